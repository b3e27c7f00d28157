namespace Coordination.Api.Boundaries;

/// <summary>Rings of neighbours, walked in SQL over the stored adjacency (neighbour contacts only).</summary>
public static class NeighbourQuery
{
    public static async Task<List<NeighbourDto>> RingsAsync(CoordinationDb db, string code, int rings, CancellationToken ct)
    {
        const string sql = """
            WITH RECURSIVE edge AS (
                SELECT code_a AS s, code_b AS t, shared_m FROM adjacency WHERE contact = 'neighbour'
                UNION ALL SELECT code_b, code_a, shared_m FROM adjacency WHERE contact = 'neighbour'
            ), walk(code, ring, via) AS (
                SELECT @code::text, 0, NULL::text
                UNION ALL
                SELECT e.t, w.ring + 1, w.code FROM walk w JOIN edge e ON e.s = w.code WHERE w.ring < @rings
            ), nearest AS (
                -- first ring in which each commune appears; via = the commune of the previous ring sharing the longest border
                SELECT DISTINCT ON (w.code) w.code, w.ring, w.via
                FROM walk w LEFT JOIN edge e ON e.s = w.via AND e.t = w.code
                ORDER BY w.code, w.ring, e.shared_m DESC NULLS LAST
            ), direct AS (
                SELECT CASE WHEN code_a = @code THEN code_b ELSE code_a END AS code, shared_m, contact
                FROM adjacency WHERE code_a = @code OR code_b = @code
            ), listed AS (
                SELECT n.code, n.ring, CASE WHEN n.ring = 1 THEN NULL ELSE n.via END AS via FROM nearest n WHERE n.ring > 0
                UNION ALL SELECT d.code, NULL, NULL FROM direct d WHERE d.contact = 'corner'
            )
            SELECT l.code, c.name, c.kind, c.province_code, p.name, l.ring, d.shared_m, d.contact,
                   ST_Distance(o.label_point::geography, c.label_point::geography) AS distance_m, l.via
            FROM listed l
            JOIN communes c ON c.code = l.code
            JOIN provinces p ON p.code = c.province_code
            JOIN communes o ON o.code = @code
            LEFT JOIN direct d ON d.code = l.code AND (l.ring = 1 OR l.ring IS NULL)
            ORDER BY l.ring NULLS LAST, d.shared_m DESC NULLS LAST, distance_m
            """;
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            cmd.Parameters.AddWithValue("code", code);
            cmd.Parameters.AddWithValue("rings", rings);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var list = new List<NeighbourDto>();
            while (await r.ReadAsync(ct))
                list.Add(new NeighbourDto(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                    r.IsDBNull(5) ? null : r.GetInt32(5), r.IsDBNull(6) ? null : Math.Round(r.GetDouble(6)),
                    r.IsDBNull(7) ? null : r.GetString(7), Math.Round(r.GetDouble(8)), r.IsDBNull(9) ? null : r.GetString(9)));
            return list;
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }
}
