using Coordination.Api.Boundaries.Import;
using Coordination.Api.Hazards.Import;
using Coordination.Api.Offices;
using Coordination.Api.Offices.Import;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordination.Api.Infrastructure;

/// <summary>
/// Start-up seeding across capabilities, in order: the boundaries (<see cref="GeoSeeder"/>), then every commune's
/// People's Committee seat (Offices), then the SAMPLE flood layer (Hazards). Idempotent like each of its parts.
/// </summary>
public sealed class Seeding(GeoSeeder geo, CoordinationDb db, HazardImporter hazards, IOptions<ExposureOptions> exposure, ILogger<Seeding> log)
{
    public const string SampleFloodLayerName = "MẪU — hành lang ngập ven sông Cả và sông Hiếu (Nghệ An)";

    /// <summary>For tools and tests that run without the app's container.</summary>
    public static Seeding Create(CoordinationDb db, ILoggerFactory? logs = null)
    {
        logs ??= NullLoggerFactory.Instance;
        var exposure = Options.Create(new ExposureOptions());
        return new Seeding(GeoSeeder.Create(db, logs, [new Hazards.FloodCoverageFollowsBoundaries()]), db,
            new HazardImporter(db, new OfficeExposureRefresh(db, exposure), TimeProvider.System), exposure, logs.CreateLogger<Seeding>());
    }

    public Task MigrateAsync(CancellationToken ct = default) => geo.MigrateAsync(ct);

    public async Task SeedAsync(GeoSeedOptions o, CancellationToken ct = default)
    {
        await geo.SeedAsync(o, ct);

        // Every commune's People's Committee seat (published, approximate), then the SAMPLE flood layer.
        var centres = GeoSeedOptions.Resolve(o.AdminCentersFile);
        if (File.Exists(centres)) log.LogInformation("Offices: {Result}", await AdminCenterSeeder.SeedAsync(db, centres, exposure.Value.NearDistanceMetres, ct));
        var zones = GeoSeedOptions.Resolve(o.SampleFloodZonesFile);
        if (File.Exists(zones))
        {
            var r = await hazards.ImportLayerAsync(Path.GetFileName(zones), await File.ReadAllBytesAsync(zones, ct), SampleFloodLayerName,
                "SAMPLE — geo/sample/rivers-nghe-an.geojson buffered by geo/make-sample-flood-zones.sh", provinceScope: null, importedBy: "seed",
                isSample: true, skipIfUnchanged: true, ct: ct);
            log.LogInformation("Sample flood layer: {Zones} zones{Skipped}", r.Zones, r.Skipped ? " (unchanged, skipped)" : "");
        }
    }
}
