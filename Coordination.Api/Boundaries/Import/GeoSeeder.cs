using Coordination.Api.Data;
using Coordination.Api.Offices;
using Coordination.Api.Hazards.Import;
using Coordination.Api.Offices.Import;
using Coordination.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Coordination.Api.Boundaries.Import;

/// <summary>Which files the app loads at start-up (paths relative to the checkout root).</summary>
public sealed class GeoSeedOptions
{
    public bool Enabled { get; set; } = true;
    public string CommunesFile { get; set; } = "geo/data/communes-2025.geojson.gz";
    public string ProvincesFile { get; set; } = "geo/data/provinces-2025.json";
    public string ProvinceShapesFile { get; set; } = "geo/data/provinces-2025.geojson.gz";
    public string DefenseAreasFile { get; set; } = "geo/data/defense-areas-nghe-an-sample.json";
    public string AdminCentersFile { get; set; } = "geo/data/admin-centers-2025.geojson.gz";
    public string SampleFloodZonesFile { get; set; } = "geo/data/sample-flood-zones-nghe-an.geojson";
    public const string SampleFloodLayerName = "MẪU — hành lang ngập ven sông Cả và sông Hiếu (Nghệ An)";

    public static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(EmbeddedPostgres.RepositoryRoot(), path);
}

/// <summary>
/// Brings the database to the current schema and loads the geo data if it is not already there.
/// Idempotent and fast on later runs: a file already imported (same SHA-256) is skipped.
/// </summary>
public sealed class GeoSeeder(CoordinationDb db, GeoImporter communes, ProvinceImporter provinces, DefenseAreaImporter defenseAreas, ILogger<GeoSeeder> log,
    HazardImporter? hazards = null, Microsoft.Extensions.Options.IOptions<ExposureOptions>? exposure = null)
{
    /// <summary>For tools and tests that run without the app's container.</summary>
    public static GeoSeeder Create(CoordinationDb db, ILoggerFactory? logs = null)
    {
        logs ??= Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        return new GeoSeeder(db, new GeoImporter(db, TimeProvider.System, logs.CreateLogger<GeoImporter>()),
            new ProvinceImporter(db, logs.CreateLogger<ProvinceImporter>()),
            new DefenseAreaImporter(db, logs.CreateLogger<DefenseAreaImporter>()), logs.CreateLogger<GeoSeeder>(),
            new HazardImporter(db, Microsoft.Extensions.Options.Options.Create(new ExposureOptions()), TimeProvider.System));
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

        // Every commune's People's Committee seat (published, approximate), then the SAMPLE flood layer.
        var near = exposure?.Value.NearDistanceMetres ?? new ExposureOptions().NearDistanceMetres;
        var centres = GeoSeedOptions.Resolve(o.AdminCentersFile);
        if (File.Exists(centres)) log.LogInformation("Offices: {Result}", await AdminCenterSeeder.SeedAsync(db, centres, near, ct));
        var zones = GeoSeedOptions.Resolve(o.SampleFloodZonesFile);
        if (hazards is not null && File.Exists(zones))
        {
            var r = await hazards.ImportLayerAsync(Path.GetFileName(zones), await File.ReadAllBytesAsync(zones, ct), GeoSeedOptions.SampleFloodLayerName,
                "SAMPLE — geo/sample/rivers-nghe-an.geojson buffered by geo/make-sample-flood-zones.sh", provinceScope: null, importedBy: "seed",
                isSample: true, skipIfUnchanged: true, ct: ct);
            log.LogInformation("Sample flood layer: {Zones} zones{Skipped}", r.Zones, r.Skipped ? " (unchanged, skipped)" : "");
        }
    }
}
