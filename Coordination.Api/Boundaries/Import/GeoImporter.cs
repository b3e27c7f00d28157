using System.Diagnostics;
using Coordination.Api.Boundaries.Tiles;
using Microsoft.EntityFrameworkCore.Storage;
using NpgsqlTypes;

namespace Coordination.Api.Boundaries.Import;

public sealed record ImportResult(
    string File, bool Skipped, int Features, int Inserted, int Updated, int Unchanged,
    IReadOnlyList<string> Repaired, AdjacencyStats? Adjacency, TimeSpan Elapsed)
{
    public override string ToString() => Skipped
        ? $"{File}: unchanged since last import, skipped"
        : $"{File}: {Features} features — {Inserted} inserted, {Updated} updated, {Unchanged} unchanged, {Repaired.Count} repaired"
          + (Adjacency is null ? "" : $"; adjacency {Adjacency}") + $" ({Elapsed.TotalSeconds:F1} s)";
}

/// <summary>
/// Imports commune boundaries: validate every feature first (see <see cref="CommuneFile"/>), then in ONE
/// transaction COPY into a staging table, repair invalid rings with ST_MakeValid (keeping the polygonal
/// parts), upsert by official code touching only features whose content changed, and recompute adjacency.
/// Any failure rolls everything back: a rejected file writes nothing.
/// </summary>
public sealed class GeoImporter(CoordinationDb db, TimeProvider clock, ILogger<GeoImporter> log, TileCache? tiles = null,
    IEnumerable<IBoundariesChanged>? followers = null)
{
    const string Kind = "communes";
    /// <summary>Bump when derived columns (search keys, former names) change, so re-import refreshes them.</summary>
    const string DerivationVersion = "v1";

    public async Task<ImportResult> ImportCommunesAsync(string path, bool skipIfUnchanged = false, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        var fileName = Path.GetFileName(path);
        if (!File.Exists(path)) throw new GeoImportRejected(fileName, [new("", $"file not found: {path}")]);
        var bytes = CommuneFile.ReadBytes(path);
        var sha = CommuneFile.Sha256(bytes);
        if (skipIfUnchanged && await db.GeoImports.AnyAsync(i => i.Kind == Kind && i.Sha256 == sha, ct))
            return new ImportResult(fileName, true, 0, 0, 0, 0, [], null, sw.Elapsed);

        var features = CommuneFile.Parse(fileName, bytes);

        var result = await db.InRawTransactionAsync(async conn =>
        {
            await StageAsync(conn, features, ct);

            var rejected = new List<ImportProblem>();
            var repaired = new List<string>();
            await using (var cmd = new NpgsqlCommand("""
                SELECT idx, code, name, invalid_reason, ST_IsEmpty(g) OR g IS NULL FROM stage_communes
                WHERE invalid_reason IS NOT NULL OR g IS NULL OR ST_IsEmpty(g) ORDER BY idx
                """, conn))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct))
                {
                    var label = $"feature #{r.GetInt32(0)} (code {r.GetString(1)}, '{r.GetString(2)}')";
                    if (r.GetBoolean(4)) rejected.Add(new(label, $"geometry is empty after repair ({(r.IsDBNull(3) ? "empty" : r.GetString(3))})"));
                    else repaired.Add($"{label}: {r.GetString(3)}");
                }
            if (rejected.Count > 0) throw new GeoImportRejected(fileName, rejected);

            await Exec(conn, """
                INSERT INTO provinces (code, name)
                SELECT DISTINCT ON (province_code) province_code, coalesce(province_name, province_code)
                FROM stage_communes ORDER BY province_code
                ON CONFLICT (code) DO NOTHING
                """, ct);

            int inserted = 0, updated = 0;
            await using (var cmd = new NpgsqlCommand("""
                INSERT INTO communes AS c (code, name, name_en, kind, province_code, population, population_uncertain,
                    area_km2, merged_from, former_names, admin_center, search_key, former_keys, geom, source_hash, updated_at)
                SELECT code, name, name_en, kind, province_code, population, population_uncertain,
                    area_km2, merged_from, former_names, admin_center, search_key, former_keys, g, source_hash, @now
                FROM stage_communes
                ON CONFLICT (code) DO UPDATE SET
                    name = excluded.name, name_en = excluded.name_en, kind = excluded.kind,
                    province_code = excluded.province_code, population = excluded.population,
                    population_uncertain = excluded.population_uncertain, area_km2 = excluded.area_km2,
                    merged_from = excluded.merged_from, former_names = excluded.former_names,
                    admin_center = excluded.admin_center, search_key = excluded.search_key,
                    former_keys = excluded.former_keys, geom = excluded.geom,
                    source_hash = excluded.source_hash, updated_at = excluded.updated_at
                WHERE c.source_hash IS DISTINCT FROM excluded.source_hash
                RETURNING (xmax = 0)
                """, conn))
            {
                cmd.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct)) if (r.GetBoolean(0)) inserted++; else updated++;
            }

            AdjacencyStats? adjacency = null;
            if (inserted + updated > 0 || !await db.Adjacencies.AnyAsync(ct))
            {
                adjacency = await AdjacencyCalculator.RecomputeAsync(conn, ct);
                await TileGeneralisation.RebuildAsync(conn, ct); // per-zoom tile geometry, same transaction
                foreach (var f in followers ?? []) await f.BoundariesChangedAsync(conn, ct);   // e.g. which communes each flood event covers
            }

            db.GeoImports.Add(new GeoImport
            {
                Kind = Kind, FileName = fileName, Sha256 = sha, ImportedAt = clock.GetUtcNow().UtcDateTime,
                Features = features.Count, Inserted = inserted, Updated = updated,
                Unchanged = features.Count - inserted - updated, Repaired = repaired.ToArray(),
            });
            return new ImportResult(fileName, false, features.Count, inserted, updated,
                features.Count - inserted - updated, repaired, adjacency, sw.Elapsed);
        }, ct);
        // Committed: only now are the rendered tiles stale, and the import worth logging.
        if (result.Adjacency is not null) tiles?.Clear();
        foreach (var rep in result.Repaired) log.LogWarning("Repaired invalid geometry with ST_MakeValid: {Feature}", rep);
        log.LogInformation("Imported {Result}", result);
        return result;
    }

    static async Task StageAsync(NpgsqlConnection conn, IReadOnlyList<CommuneFeature> features, CancellationToken ct)
    {
        await Exec(conn, """
            CREATE TEMP TABLE stage_raw (
                idx int, code text, name text, name_en text, kind text, province_code text, province_name text,
                population int, population_uncertain bool, area_km2 float8, merged_from text, former_names text[],
                admin_center text, search_key text, former_keys text[], geojson text, source_hash text
            ) ON COMMIT DROP
            """, ct);
        // COPY runs on EF's own connection and transaction; Complete() commits the stream.
        await using (var w = await conn.BeginBinaryImportAsync("COPY stage_raw FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var f in features)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(f.Index, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(f.Code, NpgsqlDbType.Text, ct);
                await w.WriteAsync(f.Name, NpgsqlDbType.Text, ct);
                await WriteNullable(w, f.NameEn, NpgsqlDbType.Text, ct);
                await w.WriteAsync(f.Kind, NpgsqlDbType.Text, ct);
                await w.WriteAsync(f.ProvinceCode, NpgsqlDbType.Text, ct);
                await WriteNullable(w, f.ProvinceName, NpgsqlDbType.Text, ct);
                await WriteNullable(w, f.Population, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(f.PopulationUncertain, NpgsqlDbType.Boolean, ct);
                await WriteNullable(w, f.AreaKm2, NpgsqlDbType.Double, ct);
                await WriteNullable(w, f.MergedFrom, NpgsqlDbType.Text, ct);
                await w.WriteAsync(f.FormerNames, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await WriteNullable(w, f.AdminCenter, NpgsqlDbType.Text, ct);
                await w.WriteAsync(SearchKey.Fold(f.Name), NpgsqlDbType.Text, ct);
                await w.WriteAsync(f.FormerNames.Select(SearchKey.Fold).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await w.WriteAsync(f.GeometryJson, NpgsqlDbType.Text, ct);
                await w.WriteAsync(f.SourceHash + DerivationVersion, NpgsqlDbType.Text, ct);
            }
            await w.CompleteAsync(ct);
        }
        // Invalid rings are repaired, keeping only the polygonal parts (ST_MakeValid may return a collection).
        await Exec(conn, """
            CREATE TEMP TABLE stage_communes ON COMMIT DROP AS
            SELECT s.*, CASE WHEN valid THEN ST_Multi(g0)
                             ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(g0), 3)) END::geometry(MultiPolygon, 4326) AS g,
                        CASE WHEN valid THEN NULL ELSE ST_IsValidReason(g0) END AS invalid_reason
            FROM (SELECT r.*, g0, ST_IsValid(g0) AS valid
                  FROM stage_raw r, ST_SetSRID(ST_GeomFromGeoJSON(r.geojson), 4326) AS g0) s
            """, ct);
    }

    static Task WriteNullable<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? w.WriteNullAsync(ct) : w.WriteAsync(value, type, ct);

    static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
