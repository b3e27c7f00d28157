using NpgsqlTypes;

namespace Coordination.Api.Offices.Import;

public sealed record OfficeImportResult(int Rows, int Inserted, int Updated, IReadOnlyList<string> Warnings);

/// <summary>
/// Imports offices from GeoJSON or CSV (<see cref="OfficeFile"/>): a structurally bad file writes nothing and
/// names each bad row; a merely suspicious row — a point outside its own commune — is imported with a warning
/// stored on the office. Rows with a <c>ref</c> update the office with that ref in the commune; others are added.
/// </summary>
public sealed class OfficeImporter(CoordinationDb db, CurrentUser current, IOptions<ExposureOptions> exposure, TimeProvider clock)
{
    /// <summary>Points this far outside their commune are flagged (the boundaries are simplified by about 25 m).</summary>
    public const double OutsideToleranceMetres = 50;

    /// <summary>Imports the file for the signed-in user: every commune it names must be one the user acts for.</summary>
    public async Task<OfficeImportResult> ImportAsync(string fileName, byte[] bytes, Action<OfficeImportResult>? audit = null, CancellationToken ct = default)
    {
        var rows = OfficeFile.Parse(fileName, bytes);
        var codes = rows.Select(r => r.CommuneCode).Distinct().ToArray();
        var known = (await db.Communes.Where(c => codes.Contains(c.Code)).Select(c => c.Code).ToListAsync(ct)).ToHashSet();
        var unknown = rows.Where(r => !known.Contains(r.CommuneCode)).Select(r => new ImportProblem(r.Label, $"no commune with code {r.CommuneCode}")).ToList();
        if (unknown.Count > 0) throw new GeoImportRejected(fileName, unknown);
        var notYours = (await current.OutsideAsync(codes, ct)).ToHashSet();
        var outside = codes.Where(notYours.Contains)
            .Select(code => $"{string.Join(", ", rows.Where(r => r.CommuneCode == code).Select(r => r.Label).Take(5))}: commune {code} is not yours to edit").ToList();
        if (outside.Count > 0) throw new OutsideScope(outside);

        return await db.InRawTransactionAsync(async conn =>
        {
            var ids = new List<int>();
            int inserted = 0, updated = 0;
            await using (var cmd = new NpgsqlCommand("""
                WITH input AS (
                    SELECT * FROM unnest(@code::text[], @kind::text[], @name::text[], @address::text[], @phone::text[],
                        @lon::float8[], @lat::float8[], @ref::text[], @shelter::bool[], @cap::int[], @note::text[])
                        AS t(code, kind, name, address, phone, lon, lat, ref, shelter, cap, note))
                INSERT INTO offices AS o (commune_code, kind, name, address, phone, location, accuracy, ref, is_shelter, shelter_capacity, warning, updated_at, updated_by)
                SELECT code, kind, name, address, phone, ST_SetSRID(ST_MakePoint(lon, lat), 4326), 'surveyed', ref, shelter, cap, note, @now, @by
                FROM input
                ON CONFLICT (commune_code, ref) DO UPDATE SET kind = excluded.kind, name = excluded.name, address = excluded.address,
                    phone = excluded.phone, location = excluded.location, accuracy = excluded.accuracy, is_shelter = excluded.is_shelter,
                    shelter_capacity = excluded.shelter_capacity, warning = excluded.warning, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                RETURNING o.id, (xmax = 0)
                """, conn))
            {
                cmd.Parameters.AddWithValue("code", rows.Select(r => r.CommuneCode).ToArray());
                cmd.Parameters.AddWithValue("kind", rows.Select(r => r.Kind).ToArray());
                cmd.Parameters.AddWithValue("name", rows.Select(r => r.Name).ToArray());
                cmd.Parameters.AddWithValue("address", rows.Select(r => r.Address).ToArray());
                cmd.Parameters.AddWithValue("phone", rows.Select(r => r.Phone).ToArray());
                cmd.Parameters.AddWithValue("lon", rows.Select(r => r.Lon).ToArray());
                cmd.Parameters.AddWithValue("lat", rows.Select(r => r.Lat).ToArray());
                cmd.Parameters.AddWithValue("ref", rows.Select(r => r.Ref).ToArray());
                cmd.Parameters.AddWithValue("shelter", rows.Select(r => r.IsShelter).ToArray());
                cmd.Parameters.AddWithValue("cap", rows.Select(r => r.ShelterCapacity).ToArray());
                cmd.Parameters.AddWithValue("note", rows.Select(r => r.Notes.Count == 0 ? null : string.Join("; ", r.Notes)).ToArray());
                cmd.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
                cmd.Parameters.Add(new NpgsqlParameter("by", NpgsqlDbType.Text) { Value = (object?)current.Scope?.UserName ?? DBNull.Value });
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    ids.Add(r.GetInt32(0));
                    if (r.GetBoolean(1)) inserted++; else updated++;
                }
            }
            var warnings = await FlagOutsideAsync(conn, ids.ToArray(), ct);
            // Rows in file order carry their notes too (leading zeros restored, encoding).
            warnings.InsertRange(0, rows.Where(r => r.Notes.Count > 0).Select(r => $"{r.Label}: {string.Join("; ", r.Notes)}"));
            await ExposureCalculator.RefreshAsync(conn, exposure.Value.NearDistanceMetres, ids.ToArray(), ct);
            var result = new OfficeImportResult(rows.Count, inserted, updated, warnings);
            audit?.Invoke(result);
            return result;
        }, ct);
    }

    /// <summary>Adds "lies N m outside commune X" to the warning of offices placed outside their own commune.</summary>
    public static async Task<List<string>> FlagOutsideAsync(NpgsqlConnection conn, int[] ids, CancellationToken ct)
    {
        var warnings = new List<string>();
        await using var cmd = new NpgsqlCommand($"""
            WITH d AS (
                SELECT o.id, o.name, c.name AS commune, round(ST_Distance(o.location_m, c.geom_m))::int AS m
                FROM offices o JOIN communes c ON c.code = o.commune_code
                WHERE o.id = ANY(@ids) AND NOT ST_DWithin(o.location_m, c.geom_m, {OutsideToleranceMetres}))
            UPDATE offices o SET warning = concat_ws('; ', o.warning, 'the point lies ' || d.m || ' m outside ' || d.commune)
            FROM d WHERE o.id = d.id
            RETURNING o.id, d.name, d.commune, d.m
            """, conn);
        cmd.Parameters.AddWithValue("ids", ids);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            warnings.Add($"office {r.GetInt32(0)} ('{r.GetString(1)}'): the point lies {r.GetInt32(3)} m outside {r.GetString(2)} — imported, please check");
        return warnings;
    }
}
