namespace Coordination.Api.Boundaries.Hamlets;

/// <summary>
/// Demo mode only: three sample hamlets for the demo communes (Con Cuông, Châu Khê), so filing a request for a hamlet
/// can be tried. Their names say they are samples and they are marked <see cref="Hamlet.IsSample"/>; the points are
/// drawn inside the commune (PostGIS, fixed seed), not surveyed. Outside demo mode the registry starts empty.
/// </summary>
public static class DemoHamlets
{
    public static async Task EnsureAsync(CoordinationDb db, TimeProvider clock, CancellationToken ct = default)
    {
        if (await db.Hamlets.AnyAsync(ct)) return;
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO hamlets (commune_code, name, search_key, location, flood_prone, is_sample, updated_at, updated_by)
            SELECT s.code, s.name, s.key, (ST_Dump(ST_GeneratePoints(c.geom, 1, s.seed))).geom, s.flood, true, @now, 'demo'
            FROM (VALUES ('17254', 'Tiến Thành (thôn mẫu)', 'tien thanh thon mau', 11, true),
                         ('17254', 'Bản mẫu 2', 'ban mau 2', 12, false),
                         ('17248', 'Bản mẫu Châu Khê', 'ban mau chau khe', 13, false)) AS s(code, name, key, seed, flood)
            JOIN communes c ON c.code = s.code
            ON CONFLICT DO NOTHING
            """, [new NpgsqlParameter("now", clock.GetUtcNow().UtcDateTime)], ct);
    }
}
