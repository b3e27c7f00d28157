namespace Coordination.Api.Infrastructure;

/// <summary>
/// Where the database is: <c>ConnectionStrings:Coordination</c> when set (an external PostGIS),
/// otherwise the embedded cluster, started here and stopped when the app stops.
/// </summary>
public sealed class CoordinationDatabase : IDatabaseLocation, IAsyncDisposable
{
    string? _connectionString;

    public string ConnectionString => _connectionString
        ?? throw new InvalidOperationException("The database has not been started: call StartDatabaseAsync() after Build().");
    public EmbeddedPostgres? Embedded { get; private set; }

    public async Task StartAsync(IConfiguration config, CancellationToken ct = default)
    {
        if (_connectionString is not null) return;
        var external = config.GetConnectionString("Coordination");
        if (!string.IsNullOrWhiteSpace(external))
        {
            _connectionString = external;
            return;
        }
        var options = config.GetSection("EmbeddedDatabase").Get<EmbeddedPostgresOptions>() ?? new();
        Embedded = new EmbeddedPostgres(options);
        await Embedded.StartAsync(ct);
        _connectionString = Embedded.ConnectionString();
    }

    public async ValueTask DisposeAsync()
    {
        if (Embedded is not null) await Embedded.DisposeAsync();
    }
}
