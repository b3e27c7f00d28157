using System.Diagnostics;

namespace Coordination.Api.Boundaries;

public sealed record AdjacencyStats(int Neighbours, int Corners, TimeSpan Elapsed)
{
    public override string ToString() => $"{Neighbours} neighbour pairs, {Corners} corner contacts in {Elapsed.TotalSeconds:F2} s";
}

/// <summary>
/// Which communes are neighbours, computed entirely in PostGIS on the metric (UTM 48N) geometry.
///
/// For a candidate pair (bounding boxes within the tolerance), the shared border a→b is the total length of
/// a's boundary segments whose two ends both lie within <see cref="ToleranceM"/> of b's boundary; b→a likewise;
/// the pair's shared length is the mean of both. On clean data shared vertices are at distance 0, so this is the
/// exact common boundary; on gappy data it bridges gaps and overlaps up to the tolerance. Pairs whose boundaries
/// come within the tolerance at all are stored: <see cref="ContactKind.Neighbour"/> from
/// <see cref="MinSharedM"/> of shared border, <see cref="ContactKind.Corner"/> below it. The per-pair work is the
/// SQL function adjacency_pair (migration AdjacencyFunction). README "Adjacency" explains both numbers.
/// </summary>
public static class AdjacencyCalculator
{
    /// <summary>Borders this close are the same border (covers the gappy file's 99th-percentile gap of 47 m).</summary>
    public const double ToleranceM = 50;
    /// <summary>Shorter contacts are corners (sharp-angle point contacts score up to ~203 m at 50 m tolerance).</summary>
    public const double MinSharedM = 250;

    /// <summary>
    /// Replaces the whole adjacency table. Must run inside a transaction (the importer's, or see
    /// <see cref="RecomputeInTransactionAsync"/>): the planner settings below are SET LOCAL.
    /// </summary>
    public static async Task<AdjacencyStats> RecomputeAsync(NpgsqlConnection conn, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        // CREATE TABLE AS may use a parallel plan (INSERT … SELECT may not); JIT compile time would cost ~1 s.
        // OFFSET 0 makes the pair function run once per pair instead of once per array element.
        await using (var cmd = new NpgsqlCommand($"""
            SET LOCAL max_parallel_workers_per_gather = 2;
            SET LOCAL parallel_setup_cost = 0;
            SET LOCAL parallel_tuple_cost = 0;
            SET LOCAL min_parallel_table_scan_size = 0;
            SET LOCAL jit = off;
            CREATE TEMP TABLE adjacency_new ON COMMIT DROP AS
            SELECT code_a, code_b, (r[1] + r[2]) / 2 AS shared_m
            FROM (SELECT a.code AS code_a, b.code AS code_b, adjacency_pair(a.geom_m, b.geom_m, {ToleranceM}) AS r
                  FROM communes a
                  JOIN communes b ON a.code < b.code AND a.geom_m && ST_Expand(b.geom_m, {ToleranceM})
                  OFFSET 0) x
            WHERE r[3] = 1;
            DELETE FROM adjacency;
            INSERT INTO adjacency (code_a, code_b, shared_m, contact)
            SELECT code_a, code_b, round(shared_m::numeric, 1),
                   CASE WHEN shared_m >= {MinSharedM} THEN '{ContactKind.Neighbour}' ELSE '{ContactKind.Corner}' END
            FROM adjacency_new;
            DROP TABLE adjacency_new;
            """, conn) { CommandTimeout = 600 })
            await cmd.ExecuteNonQueryAsync(ct);

        await using var count = new NpgsqlCommand(
            $"SELECT count(*) FILTER (WHERE contact = '{ContactKind.Neighbour}'), count(*) FILTER (WHERE contact = '{ContactKind.Corner}') FROM adjacency", conn);
        await using var r = await count.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new AdjacencyStats((int)r.GetInt64(0), (int)r.GetInt64(1), sw.Elapsed);
    }

    public static async Task<AdjacencyStats> RecomputeInTransactionAsync(NpgsqlConnection conn, CancellationToken ct = default)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        var stats = await RecomputeAsync(conn, ct);
        await tx.CommitAsync(ct);
        return stats;
    }
}
