using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Coordination.Tests.Infrastructure;

/// <summary>
/// What every browser test stands on: the real API on Kestrel against a seeded database, the real web host
/// proxying to it, and Debian's chromium driven by Playwright (never a downloaded browser).
/// </summary>
public sealed class BrowserHost : IAsyncDisposable
{
    public required ApiFactory Api { get; init; }
    public required WebApplication Web { get; init; }
    public required IPlaywright Playwright { get; init; }
    public required IBrowser Browser { get; init; }
    public required string ApiUrl { get; init; }
    public required string WebUrl { get; init; }

    /// <summary>A signed-in API client (cookie + antiforgery), straight to the API: for arranging and checking what the pages do.</summary>
    public Task<Session> ApiAsAsync(string userName) => Session.SignedInAsync(new HttpClient { BaseAddress = new Uri(ApiUrl) }, userName);

    /// <summary><paramref name="settings"/> override the API's configuration (e.g. Twilio pointed at the fake).</summary>
    /// <param name="webSettings">arguments for the web host, e.g. <c>["--Map:BasemapPmtiles", path]</c>.</param>
    public static async Task<BrowserHost> StartAsync(string connectionString, IDictionary<string, string?>? settings = null, string[]? webSettings = null)
    {
        var api = new ApiFactory(connectionString, settings);
        api.UseKestrel(0);
        api.StartServer();
        var apiUrl = Address(api.Services);
        var web = Coordination.Web.WebHost.Build([
            "--urls", "http://127.0.0.1:0",
            "--Api:BaseUrl", apiUrl,
            "--contentRoot", Path.Combine(PostgisFixture.Repo, "Coordination.Web"),
            "--Logging:LogLevel:Default", "Warning",
            .. webSettings ?? [],
        ]);
        await web.StartAsync();
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // WebGL without a GPU: ANGLE on SwiftShader (software), which chromium only allows when told to.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
        });
        return new BrowserHost { Api = api, Web = web, Playwright = playwright, Browser = browser, ApiUrl = apiUrl, WebUrl = Address(web.Services) };
    }

    static string Address(IServiceProvider services) =>
        services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/');

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        Playwright.Dispose();
        await Web.StopAsync();
        await Web.DisposeAsync();
        await Api.DisposeAsync();
    }
}
