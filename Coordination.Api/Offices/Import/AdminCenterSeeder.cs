using Coordination.Api.Boundaries;
using Coordination.Api.Boundaries.Import;

namespace Coordination.Api.Offices.Import;

public sealed record AdminCenterResult(bool Skipped, int Points, int Seeded, int RepresentativePoints, IReadOnlyList<string> UnknownCodes, IReadOnlyList<string> Outside)
{
    public override string ToString() => Skipped ? "admin centres unchanged, skipped"
        : $"{Seeded} People's Committee seats ({Points} published points, {RepresentativePoints} communes without one use their representative point; "
          + $"{Outside.Count} points outside their commune kept with a warning; {UnknownCodes.Count} points for codes not loaded skipped{(UnknownCodes.Count == 0 ? "" : ": " + string.Join(", ", UnknownCodes.Take(5)) + (UnknownCodes.Count > 5 ? ", …" : ""))})";
}

/// <summary>
/// Gives every commune its People's Committee seat from the published 2025 administrative-centre points
/// (approximate; the label names the old office now used). A commune without a point gets its representative
/// point, marked as such. A seat a commune has since placed itself (accuracy 'surveyed') is never overwritten.
/// </summary>
public static class AdminCenterSeeder
{
    public const string Ref = "admin-center-2025", Kind = "admin_centers";

    public static async Task<AdminCenterResult> SeedAsync(CoordinationDb db, string path, double nearMetres, CancellationToken ct = default)
    {
        var bytes = CommuneFile.ReadBytes(path);
        var sha = CommuneFile.Sha256(bytes);
        if (await db.GeoImports.AnyAsync(i => i.Kind == Kind && i.Sha256 == sha, ct)) return new(true, 0, 0, 0, [], []);

        var codes = new List<string>(); var labels = new List<string?>(); var lons = new List<double>(); var lats = new List<double>();
        using (var doc = JsonDocument.Parse(bytes))
            foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
            {
                var p = f.GetProperty("properties");
                var c = f.GetProperty("geometry").GetProperty("coordinates");
                codes.Add(p.GetProperty("commune_code").GetString()!);
                labels.Add(p.TryGetProperty("label", out var l) ? SearchKey.Nfc(l.GetString()) : null);
                lons.Add(c[0].GetDouble());
                lats.Add(c[1].GetDouble());
            }

        return await db.InRawTransactionAsync<AdminCenterResult>(async conn =>
        {
            var unknown = new List<string>();
            await using (var cmd = new NpgsqlCommand("""
                SELECT DISTINCT t.code FROM unnest(@code::text[]) t(code) LEFT JOIN communes c ON c.code = t.code WHERE c.code IS NULL ORDER BY 1
                """, conn))
            {
                cmd.Parameters.AddWithValue("code", codes.ToArray());
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct)) unknown.Add(r.GetString(0));
            }
            var ids = new List<int>();
            var representative = 0;
            await using (var cmd = new NpgsqlCommand("""
                WITH input AS (SELECT DISTINCT ON (code) * FROM unnest(@code::text[], @label::text[], @lon::float8[], @lat::float8[]) t(code, label, lon, lat) ORDER BY code)
                INSERT INTO offices AS o (commune_code, kind, name, address, location, accuracy, ref, warning, is_shelter, updated_at, updated_by)
                SELECT c.code, 'people_committee', 'UBND ' || c.kind || ' ' || c.name, i.label,
                    coalesce(ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326), c.label_point),
                    CASE WHEN i.code IS NULL THEN 'representative_point' ELSE 'approximate' END, @ref,
                    CASE WHEN i.code IS NULL THEN 'no published location: the commune''s representative point stands in' END, false, now(), 'seed'
                FROM communes c LEFT JOIN input i ON i.code = c.code
                ON CONFLICT (commune_code, ref) DO UPDATE SET address = excluded.address, location = excluded.location,
                    accuracy = excluded.accuracy, warning = excluded.warning, updated_at = excluded.updated_at
                    WHERE o.accuracy <> 'surveyed'
                RETURNING o.id, o.accuracy = 'representative_point'
                """, conn))
            {
                cmd.Parameters.AddWithValue("code", codes.ToArray());
                cmd.Parameters.AddWithValue("label", labels.ToArray());
                cmd.Parameters.AddWithValue("lon", lons.ToArray());
                cmd.Parameters.AddWithValue("lat", lats.ToArray());
                cmd.Parameters.AddWithValue("ref", Ref);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct)) { ids.Add(r.GetInt32(0)); if (r.GetBoolean(1)) representative++; }
            }
            var outside = await OfficeImporter.FlagOutsideAsync(conn, ids.ToArray(), ct);
            await ExposureCalculator.RefreshAsync(conn, nearMetres, ids.ToArray(), ct);
            db.GeoImports.Add(new GeoImport { Kind = Kind, FileName = Path.GetFileName(path), Sha256 = sha, ImportedAt = DateTime.UtcNow,
                Features = codes.Count, Inserted = ids.Count, Repaired = [.. outside, .. unknown.Select(u => $"unknown commune code {u}: point skipped")] });
            return new(false, codes.Count, ids.Count, representative, unknown, outside);
        }, ct);
    }
}
