using Coordination.Api.Data;
using Coordination.Api.Boundaries.Import;
using Coordination.Api.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordination.Tests.Infrastructure;

/// <summary>
/// One private PostGIS cluster for the whole test run (<c>.data/pg-test</c>, port 55433 unless
/// COORDINATION_TEST_PGDATA / COORDINATION_TEST_PGPORT say otherwise). A template database is migrated and seeded once with
/// the 34 provinces, Nghệ An's 130 communes and the sample defense areas; each test class gets its
/// own copy via CREATE DATABASE … TEMPLATE, which takes a fraction of a second.
/// </summary>
public sealed class PostgisFixture : IAsyncLifetime
{
    const string Template = "coordination_template";
    static int _counter;
    EmbeddedPostgres? _cluster;

    public static string Repo => EmbeddedPostgres.RepositoryRoot();
    public static string GeoFile(string name) => Path.Combine(Repo, "geo", "data", name);

    public async Task InitializeAsync()
    {
        _cluster = new EmbeddedPostgres(new EmbeddedPostgresOptions
        {
            // Two test runs at once need their own clusters: set both variables for the second one.
            DataDirectory = Environment.GetEnvironmentVariable("COORDINATION_TEST_PGDATA") ?? Path.Combine(Repo, ".data", "pg-test"),
            Port = int.TryParse(Environment.GetEnvironmentVariable("COORDINATION_TEST_PGPORT"), out var p) ? p : 55433,
            Database = "postgres",
        });
        await _cluster.StartAsync();

        await using (var admin = new NpgsqlConnection(_cluster.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            var stale = new List<string>();
            await using (var list = new NpgsqlCommand($"SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%' OR datname = '{Template}'", admin))
            await using (var r = await list.ExecuteReaderAsync())
                while (await r.ReadAsync()) stale.Add(r.GetString(0));
            foreach (var db in stale) await Exec(admin, $"DROP DATABASE \"{db}\" WITH (FORCE)");
            await Exec(admin, $"CREATE DATABASE {Template}");
        }

        // No pooling: a template database must have no connections left when it is copied.
        await using (var db = NewContext(_cluster.ConnectionString(Template) + ";Pooling=false"))
        {
            var seeder = Seeding.Create(db);
            await seeder.MigrateAsync();
            await seeder.SeedAsync(new GeoSeedOptions { CommunesFile = GeoFile("nghe-an-communes-2025.geojson") });
        }
        NpgsqlConnection.ClearAllPools();   // a template must have no open connections
    }

    /// <summary>A fresh database, a copy of the seeded template; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= $"test_{Interlocked.Increment(ref _counter)}_{Guid.NewGuid().ToString("N")[..12]}";
        await using var admin = new NpgsqlConnection(_cluster!.ConnectionString("postgres"));
        await admin.OpenAsync();
        await Exec(admin, $"CREATE DATABASE \"{name}\" TEMPLATE {Template}");
        return _cluster.ConnectionString(name);
    }

    Task<string>? _nationwide;

    /// <summary>
    /// One database per run with the whole country imported (3,321 communes), shared read-only by the
    /// tests that need it. Tests must not write to it.
    /// </summary>
    public Task<string> NationwideDatabaseAsync() => LazyInitializer.EnsureInitialized(ref _nationwide, async () =>
    {
        var cs = await CreateDatabaseAsync("test_nationwide");
        await using var db = NewContext(cs);
        var result = await new GeoImporter(db, TimeProvider.System, NullLogger<GeoImporter>.Instance)
            .ImportCommunesAsync(GeoFile("communes-2025.geojson.gz"));
        NationwideImport = result;
        return cs;
    });

    public ImportResult? NationwideImport { get; private set; }

    /// <summary>An empty database at the current schema (no geo data).</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var cs = await CreateDatabaseAsync();
        await using var db = NewContext(cs);
        await db.Database.ExecuteSqlRawAsync("TRUNCATE defense_area_communes, defense_areas, adjacency, communes, provinces, geo_imports CASCADE");
        return cs;
    }

    public static CoordinationDb NewContext(string connectionString) => CoordinationDb.Create(connectionString);

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null) await _cluster.DisposeAsync();
    }

    static async Task Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition("postgis")]
public sealed class PostgisCollection : ICollectionFixture<PostgisFixture>;
