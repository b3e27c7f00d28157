namespace Coordination.Api.Infrastructure;

/// <summary>
/// Where the database is: <c>ConnectionStrings:Coordination</c> when set (an external PostGIS),
/// otherwise the embedded cluster, started here and stopped when the app stops.
/// </summary>
public sealed class CoordinationDatabase : IAsyncDisposable
{
    public required string ConnectionString { get; init; }
    public EmbeddedPostgres? Embedded { get; init; }

    public static async Task<CoordinationDatabase> OpenAsync(IConfiguration config, CancellationToken ct = default)
    {
        var external = config.GetConnectionString("Coordination");
        if (!string.IsNullOrWhiteSpace(external)) return new CoordinationDatabase { ConnectionString = external };

        var options = config.GetSection("EmbeddedDatabase").Get<EmbeddedPostgresOptions>() ?? new();
        var embedded = new EmbeddedPostgres(options);
        await embedded.StartAsync(ct);
        return new CoordinationDatabase { ConnectionString = embedded.ConnectionString(), Embedded = embedded };
    }

    public async ValueTask DisposeAsync()
    {
        if (Embedded is not null) await Embedded.DisposeAsync();
    }
}
