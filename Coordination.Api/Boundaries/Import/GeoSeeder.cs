namespace Coordination.Api.Boundaries.Import;

/// <summary>Which files the app loads at start-up (paths relative to the checkout root).</summary>
public sealed class GeoSeedOptions
{
    public bool Enabled { get; set; } = true;
    public string CommunesFile { get; set; } = "geo/data/communes-2025.geojson.gz";
    public string ProvincesFile { get; set; } = "geo/data/provinces-2025.json";
    public string ProvinceShapesFile { get; set; } = "geo/data/provinces-2025.geojson.gz";
    public string DefenseAreasFile { get; set; } = "geo/data/defense-areas-nghe-an-sample.json";
    /// <summary>The ground under the communes (geo/land/extract.mjs).</summary>
    public string LandFile { get; set; } = "geo/data/land-vn.geojson.gz";
    // Seeded by Infrastructure/Seeding after the boundaries (offices and the sample hazard layer need them).
    public string AdminCentersFile { get; set; } = "geo/data/admin-centers-2025.geojson.gz";
    public string SampleFloodZonesFile { get; set; } = "geo/data/sample-flood-zones-nghe-an.geojson";

    public static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(CheckoutRoot(), path);

    /// <summary>The directory holding Coordination.sln (from the working directory or the binaries), as the host finds it.</summary>
    static string CheckoutRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Coordination.sln"))) return d.FullName;
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".coordination");
    }
}

/// <summary>
/// Brings the database to the current schema and loads the boundaries (provinces, communes, the sample defense
/// areas) if they are not already there.
/// Idempotent and fast on later runs: a file already imported (same SHA-256) is skipped.
/// </summary>
public sealed class GeoSeeder(CoordinationDb db, GeoImporter communes, ProvinceImporter provinces, DefenseAreaImporter defenseAreas, LandImporter land,
    ILogger<GeoSeeder> log)
{
    /// <summary>For tools and tests that run without the app's container.</summary>
    public static GeoSeeder Create(CoordinationDb db, ILoggerFactory? logs = null, IEnumerable<IBoundariesChanged>? followers = null)
    {
        logs ??= Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        return new GeoSeeder(db, new GeoImporter(db, TimeProvider.System, logs.CreateLogger<GeoImporter>(), followers: followers),
            new ProvinceImporter(db, logs.CreateLogger<ProvinceImporter>()),
            new DefenseAreaImporter(db, logs.CreateLogger<DefenseAreaImporter>()), new LandImporter(db, logs.CreateLogger<LandImporter>()),
            logs.CreateLogger<GeoSeeder>());
    }

    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await db.Database.MigrateAsync(ct);
        // New extensions' types (postgis, pg_trgm) must be visible to this process's connections.
        await db.Database.OpenConnectionAsync(ct);
        await ((Npgsql.NpgsqlConnection)db.Database.GetDbConnection()).ReloadTypesAsync(ct);
        await db.Database.CloseConnectionAsync();
    }

    public async Task SeedAsync(GeoSeedOptions o, CancellationToken ct = default)
    {
        await provinces.ImportAsync(GeoSeedOptions.Resolve(o.ProvincesFile), GeoSeedOptions.Resolve(o.ProvinceShapesFile), ct);
        var result = await communes.ImportCommunesAsync(GeoSeedOptions.Resolve(o.CommunesFile), skipIfUnchanged: true, ct);
        log.LogInformation("Communes: {Result}", result);
        // The sample grouping only for provinces that have none yet, so edits made since are kept.
        var areasFile = GeoSeedOptions.Resolve(o.DefenseAreasFile);
        if (File.Exists(areasFile)) await defenseAreas.ImportAsync(areasFile, replace: false, ct);
        await land.ImportAsync(GeoSeedOptions.Resolve(o.LandFile), ct);
    }
}
