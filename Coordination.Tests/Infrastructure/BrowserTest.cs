namespace Coordination.Tests.Infrastructure;

/// <summary>
/// What every browser test class stands on: a <see cref="BrowserHost"/> on its own database (one per test, as xunit
/// makes one instance per test), pages opened on it (<see cref="CoordinationPage"/>), and API clients signed in as the
/// demo users for arranging and checking what the pages do.
/// </summary>
public abstract class BrowserTest(PostgisFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    protected PostgisFixture Fixture => fixture;
    protected BrowserHost Host { get; private set; } = null!;
    /// <summary>The test's own database.</summary>
    protected string Cs { get; private set; } = "";

    /// <summary>Statuses the test's pages are refused on purpose (their console errors are not the page's faults).</summary>
    protected virtual IReadOnlyCollection<int> ProvokedStatuses => [];

    /// <summary>The map layer that says the map is ready on this test's pages.</summary>
    protected virtual string MapLayer => "communes-fill";

    /// <summary>The hosts on the fresh database; override for other settings (e.g. Twilio pointed at a fake).</summary>
    protected virtual Task<BrowserHost> StartAsync(string connectionString) => BrowserHost.StartAsync(connectionString);

    public virtual async Task InitializeAsync()
    {
        Cs = await fixture.CreateDatabaseAsync();
        Host = await StartAsync(Cs);
    }

    public virtual async Task DisposeAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
    }

    /// <summary>A new desktop (or phone) browser context on the page at the path.</summary>
    protected Task<CoordinationPage> OpenAsync(string path = "/", bool phone = false, Action<Microsoft.Playwright.IPage>? beforeLoad = null) =>
        CoordinationPage.OpenAsync(Host, Log, path, phone, ProvokedStatuses, MapLayer, beforeLoad);

    /// <summary>A signed-in API client (cookie + antiforgery), straight to the API.</summary>
    protected Task<Session> ApiAs(string userName) => Host.ApiAsAsync(userName);

    protected void Log(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    protected static void StringAssert(string actual, string expected) =>
        Assert.True(actual.Contains(expected), $"expected “{expected}” in “{actual}”");
}
