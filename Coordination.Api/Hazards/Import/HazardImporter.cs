using Coordination.Api.Boundaries.Import;
using NpgsqlTypes;

namespace Coordination.Api.Hazards.Import;

public sealed record LayerImportResult(int LayerId, string Name, bool Replaced, bool Skipped, int Zones, IReadOnlyList<string> Repaired, int ExposureRows);
public sealed record EventImportResult(IReadOnlyList<int> EventIds, IReadOnlyList<string> Repaired, int ExposureRows);

/// <summary>
/// Imports hazard layers and observed flood events in one transaction each: validated in C# first
/// (<see cref="HazardFile"/>), geometry repaired with ST_MakeValid keeping the polygonal parts (and reported),
/// an empty result refused, the scope checked (an operator's features must touch its province), then office
/// exposure recomputed. Any refusal rolls everything back.
/// </summary>
public sealed class HazardImporter(CoordinationDb db, IExposureRefresh exposure, TimeProvider clock)
{
    const string RepairSql = "ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(@g), 4326)), 3))";

    /// <param name="provinceScope">The importing operator's province; null for administrators and the seed.</param>
    public async Task<LayerImportResult> ImportLayerAsync(string fileName, byte[] bytes, string layerName, string? source,
        string? provinceScope, string? importedBy, bool isSample = false, bool skipIfUnchanged = false, Action<LayerImportResult>? audit = null, CancellationToken ct = default)
    {
        var sha = CommuneFile.Sha256(bytes);
        var existing = await db.HazardLayers.AsNoTracking().FirstOrDefaultAsync(l => l.Name == layerName, ct);
        if (skipIfUnchanged && existing?.Sha256 == sha)
            return new LayerImportResult(existing.Id, existing.Name, false, true, 0, [], 0);
        if (existing is not null && provinceScope is not null && existing.ProvinceCode != provinceScope)
            throw new OutsideScope([$"layer '{layerName}' belongs to {(existing.ProvinceCode is null ? "the administrators" : "province " + existing.ProvinceCode)}"]);

        var zones = HazardFile.ParseZones(fileName, bytes);
        return await db.InRawTransactionAsync(async conn =>
        {
            int layerId;
            await using (var cmd = new NpgsqlCommand("""
                INSERT INTO hazard_layers (name, source, is_sample, sha256, imported_at, imported_by, province_code)
                VALUES (@name, @source, @sample, @sha, @now, @by, @province)
                ON CONFLICT (name) DO UPDATE SET source = excluded.source, is_sample = excluded.is_sample, sha256 = excluded.sha256,
                    imported_at = excluded.imported_at, imported_by = excluded.imported_by, province_code = excluded.province_code
                RETURNING id
                """, conn))
            {
                cmd.Parameters.AddWithValue("name", layerName);
                cmd.Parameters.AddWithValue("source", (object?)source ?? DBNull.Value);
                cmd.Parameters.AddWithValue("sample", isSample);
                cmd.Parameters.AddWithValue("sha", sha);
                cmd.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
                cmd.Parameters.AddWithValue("by", (object?)importedBy ?? DBNull.Value);
                cmd.Parameters.AddWithValue("province", (object?)provinceScope ?? DBNull.Value);
                layerId = (int)(await cmd.ExecuteScalarAsync(ct))!;
            }
            await Exec(conn, "DELETE FROM hazard_zones WHERE layer_id = @id", ct, ("id", layerId));

            var repaired = new List<string>();
            var empty = new List<ImportProblem>();
            var outside = new List<string>();
            foreach (var z in zones)
            {
                await using var cmd = new NpgsqlCommand($"""
                    WITH g AS (SELECT ST_GeomFromGeoJSON(@g) AS raw, {RepairSql} AS fixed)
                    INSERT INTO hazard_zones (layer_id, hazard, name, depth_class, return_period_years, source, source_date, geom)
                    SELECT @layer, @hazard, @name, @depth, @period, @source, @date, fixed FROM g WHERE NOT ST_IsEmpty(fixed)
                    RETURNING id, (SELECT CASE WHEN ST_IsValid(raw) THEN NULL ELSE ST_IsValidReason(raw) END FROM g),
                        @province::text IS NULL OR EXISTS (SELECT 1 FROM communes c WHERE c.province_code = @province AND ST_Intersects(c.geom, hazard_zones.geom))
                    """, conn);
                cmd.Parameters.AddWithValue("g", z.GeometryJson);
                cmd.Parameters.AddWithValue("layer", layerId);
                cmd.Parameters.AddWithValue("hazard", z.Hazard);
                cmd.Parameters.AddWithValue("name", (object?)z.Name ?? DBNull.Value);
                cmd.Parameters.AddWithValue("depth", (object?)z.DepthClass ?? DBNull.Value);
                cmd.Parameters.AddWithValue("period", (object?)z.ReturnPeriodYears ?? DBNull.Value);
                cmd.Parameters.AddWithValue("source", (object?)(z.Source ?? source) ?? DBNull.Value);
                cmd.Parameters.Add(new NpgsqlParameter("date", NpgsqlDbType.Date) { Value = (object?)z.SourceDate ?? DBNull.Value });
                cmd.Parameters.Add(new NpgsqlParameter("province", NpgsqlDbType.Text) { Value = (object?)provinceScope ?? DBNull.Value });
                await using var r = await cmd.ExecuteReaderAsync(ct);
                if (!await r.ReadAsync(ct)) { empty.Add(new(z.Label, "geometry is empty after repair (no area)")); continue; }
                if (!r.IsDBNull(1)) repaired.Add($"{z.Label}: {r.GetString(1)}");
                if (!r.GetBoolean(2)) outside.Add($"{z.Label} does not touch province {provinceScope}");
            }
            if (empty.Count > 0) throw new GeoImportRejected(fileName, empty);
            if (outside.Count > 0) throw new OutsideScope(outside);
            var rows = await exposure.RefreshAsync(conn, ct);
            return new LayerImportResult(layerId, layerName, existing is not null, false, zones.Count, repaired, rows);
        }, ct, audit);
    }

    public async Task<EventImportResult> ImportEventsAsync(string fileName, byte[] bytes, string? provinceScope, string? importedBy, Action<EventImportResult>? audit = null, CancellationToken ct = default)
    {
        var events = HazardFile.ParseEvents(fileName, bytes);
        return await db.InRawTransactionAsync(async conn =>
        {
            var ids = new List<int>();
            var repaired = new List<string>();
            var empty = new List<ImportProblem>();
            var outside = new List<string>();
            foreach (var e in events)
            {
                await using var cmd = new NpgsqlCommand($"""
                    WITH g AS (SELECT ST_GeomFromGeoJSON(@g) AS raw, {RepairSql} AS fixed)
                    INSERT INTO flood_events (name, started_at, ended_at, source, note, geom, declared_by, closed_by, created_at)
                    SELECT @name, @started, @ended, @source, @note, fixed, @by, CASE WHEN @ended::timestamptz IS NULL THEN NULL ELSE @by END, @now
                    FROM g WHERE NOT ST_IsEmpty(fixed)
                    RETURNING id, (SELECT CASE WHEN ST_IsValid(raw) THEN NULL ELSE ST_IsValidReason(raw) END FROM g),
                        @province::text IS NULL OR EXISTS (SELECT 1 FROM communes c WHERE c.province_code = @province AND ST_Intersects(c.geom, flood_events.geom))
                    """, conn);
                cmd.Parameters.AddWithValue("g", e.GeometryJson);
                cmd.Parameters.AddWithValue("name", e.Name);
                cmd.Parameters.AddWithValue("started", e.StartedAt);
                cmd.Parameters.Add(new NpgsqlParameter("ended", NpgsqlDbType.TimestampTz) { Value = (object?)e.EndedAt ?? DBNull.Value });
                cmd.Parameters.AddWithValue("source", (object?)e.Source ?? DBNull.Value);
                cmd.Parameters.AddWithValue("note", (object?)e.Note ?? DBNull.Value);
                cmd.Parameters.Add(new NpgsqlParameter("by", NpgsqlDbType.Text) { Value = (object?)importedBy ?? DBNull.Value });
                cmd.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
                cmd.Parameters.Add(new NpgsqlParameter("province", NpgsqlDbType.Text) { Value = (object?)provinceScope ?? DBNull.Value });
                await using var r = await cmd.ExecuteReaderAsync(ct);
                if (!await r.ReadAsync(ct)) { empty.Add(new(e.Label, "geometry is empty after repair (no area)")); continue; }
                ids.Add(r.GetInt32(0));
                if (!r.IsDBNull(1)) repaired.Add($"{e.Label}: {r.GetString(1)}");
                if (!r.GetBoolean(2)) outside.Add($"{e.Label} does not touch province {provinceScope}");
            }
            if (empty.Count > 0) throw new GeoImportRejected(fileName, empty);
            if (outside.Count > 0) throw new OutsideScope(outside);
            await FloodEventCoverage.RefreshAsync(conn, ids.ToArray(), ct);
            var rows = await exposure.RefreshAsync(conn, ct);
            return new EventImportResult(ids, repaired, rows);
        }, ct, audit);
    }

    static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct, params (string, object)[] ps)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (n, v) in ps) cmd.Parameters.AddWithValue(n, v);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
