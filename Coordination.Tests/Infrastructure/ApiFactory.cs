using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Coordination.Tests.Infrastructure;

/// <summary>
/// The real API, in process, against a given (already seeded) database, in Development mode (so the demo users
/// exist). <paramref name="settings"/> override configuration, e.g. the sign-in rate limit.
/// </summary>
public sealed class ApiFactory(string connectionString, IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        // Test hosts come and go by the dozen on one cluster: idle connections are closed within seconds, so the pools
        // of finished classes (100 at once after the concurrency test) do not exhaust max_connections.
        builder.UseSetting("ConnectionStrings:Coordination", connectionString + ";Connection Idle Lifetime=2;Connection Pruning Interval=1");
        builder.UseSetting("Geo:Enabled", "false");
        builder.UseSetting("Admin:Password", "Admin@Test-2025!");
        // Test clients share one address: keep the sign-in limit out of the way unless a test sets it.
        builder.UseSetting("Security:SignInPermitLimit", "10000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
    }
}
