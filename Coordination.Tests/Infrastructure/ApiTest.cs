using Coordination.Api.Data;

namespace Coordination.Tests.Infrastructure;

/// <summary>
/// What every API test stands on: its own copy of the seeded database and the real app on it (xunit makes one
/// instance per test, so each test has both to itself), clients signed in as the demo users, and the responses read
/// into the API's own records (<see cref="Responses"/>). A derived class says what it needs by overriding
/// <see cref="Settings"/>, <see cref="ArrangeAsync"/> (data the app must find when it starts) or <see cref="StartAsync"/>
/// (another way of hosting it, e.g. on Kestrel).
/// </summary>
public abstract class ApiTest(PostgisFixture fixture) : IAsyncLifetime
{
    /// <summary>The demo users of Nghệ An, and null for anonymous: the roles the scope tests walk through.</summary>
    public static readonly string?[] Actors = [null, "chaukhe.leader", "concuong.leader", "kv5.commander", "nghean.operator", "admin.demo"];

    protected PostgisFixture Fixture => fixture;
    /// <summary>The test's own database.</summary>
    protected string Cs { get; private set; } = null!;
    protected ApiFactory Api { get; private set; } = null!;

    /// <summary>Configuration the app starts with (over <see cref="ApiFactory"/>'s test defaults).</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    /// <summary>Runs on the fresh database before the app is created.</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;

    /// <summary>The app on the database; in process by default.</summary>
    protected virtual Task<ApiFactory> StartAsync(string connectionString) => Task.FromResult(new ApiFactory(connectionString, Settings));

    /// <summary>A new client of the app (its own cookie jar).</summary>
    protected virtual HttpClient NewClient() => Api.CreateClient();

    public virtual async Task InitializeAsync()
    {
        Cs = await fixture.CreateDatabaseAsync();
        await ArrangeAsync();
        Api = await StartAsync(Cs);
    }

    public virtual async Task DisposeAsync() => await Api.DisposeAsync();

    /// <summary>A new session signed in as the user (anonymous for null); every call signs in again.</summary>
    protected Task<Session> SignInAsync(string? userName) => Session.SignedInAsync(NewClient(), userName);

    /// <summary>A session that has not signed in (for the sign-in tests themselves).</summary>
    protected Session Anonymous() => new(NewClient());

    /// <summary>One signed-in session per user, keyed by user name ("anonymous" for null).</summary>
    protected async Task<Dictionary<string, Session>> SignInAllAsync(IEnumerable<string?> userNames)
    {
        var sessions = new Dictionary<string, Session>();
        foreach (var u in userNames) sessions[u ?? "anonymous"] = await SignInAsync(u);
        return sessions;
    }

    /// <summary>The test's database, straight (arranging and checking what the API does).</summary>
    protected CoordinationDb Db() => PostgisFixture.NewContext(Cs);

    /// <summary>
    /// A query of one text value (its column named "Value") on the test's database: the snapshots a refusal is checked
    /// against (nothing written means the same text before and after).
    /// </summary>
    protected async Task<string> QueryTextAsync(string sql)
    {
        await using var db = Db();
        return await db.Database.SqlQueryRaw<string>(sql).SingleAsync();
    }
}
