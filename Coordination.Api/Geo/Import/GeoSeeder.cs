using System.Text.Json;
using Coordination.Api.Data;
using Coordination.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Coordination.Api.Geo.Import;

/// <summary>Which files the app loads at start-up (paths relative to the checkout root).</summary>
public sealed class GeoSeedOptions
{
    public bool Enabled { get; set; } = true;
    public string CommunesFile { get; set; } = "geo/data/communes-2025.geojson.gz";
    public string ProvincesFile { get; set; } = "geo/data/provinces-2025.json";
    public string ProvinceShapesFile { get; set; } = "geo/data/provinces-2025.geojson.gz";
    public string DefenseAreasFile { get; set; } = "geo/data/defense-areas-nghe-an-sample.json";

    public static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(EmbeddedPostgres.RepositoryRoot(), path);
}

/// <summary>
/// Brings the database to the current schema and loads the geo data if it is not already there.
/// Idempotent and fast on later runs: a file already imported (same SHA-256) is skipped.
/// </summary>
public sealed class GeoSeeder(CoordinationDb db, GeoImporter communes, ProvinceImporter provinces, ILogger<GeoSeeder> log)
{
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
        await SeedDefenseAreasAsync(GeoSeedOptions.Resolve(o.DefenseAreasFile), ct);
    }

    /// <summary>Loads the sample grouping for a province only when that province has no defense areas yet.</summary>
    async Task SeedDefenseAreasAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path)) return;
        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(path, ct));
        var sample = doc.RootElement.TryGetProperty("sample", out var s) && s.ValueKind == JsonValueKind.True;
        var note = doc.RootElement.TryGetProperty("_note", out var n) ? n.GetString() : null;
        var known = await db.Communes.Select(c => c.Code).ToHashSetAsync(ct);
        var provincesWithAreas = await db.DefenseAreas.Select(d => d.ProvinceCode).Distinct().ToListAsync(ct);
        foreach (var a in doc.RootElement.GetProperty("areas").EnumerateArray())
        {
            var province = a.GetProperty("province_code").GetString()!;
            if (provincesWithAreas.Contains(province)) continue;
            var codes = a.GetProperty("communes").EnumerateArray().Select(c => c.GetString()!).Where(known.Contains).ToList();
            if (codes.Count == 0) continue;
            db.DefenseAreas.Add(new DefenseArea
            {
                Name = SearchKey.Nfc(a.GetProperty("name").GetString())!, ProvinceCode = province, IsSample = sample, Note = note,
                Communes = codes.Select(c => new DefenseAreaCommune { CommuneCode = c }).ToList(),
            });
        }
        var added = await db.SaveChangesAsync(ct);
        if (added > 0) log.LogInformation("Defense areas: loaded {Sample} grouping from {File}", sample ? "SAMPLE" : "", Path.GetFileName(path));
    }
}
