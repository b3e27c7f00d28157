using System.Diagnostics;
using Npgsql;

namespace Coordination.Api.Geo.Adjacencies;

public sealed record AdjacencyStats(int Neighbours, int Corners, TimeSpan Elapsed)
{
    public override string ToString() => $"{Neighbours} neighbour pairs, {Corners} corner contacts in {Elapsed.TotalSeconds:F2} s";
}

/// <summary>
/// Computes which communes are neighbours, entirely in PostGIS on the metric (UTM 48N) geometry.
/// Two communes are neighbours when their borders run within <see cref="ToleranceM"/> of each other
/// for at least <see cref="MinSharedM"/>; a shorter contact is a corner. See geo/README.md for how
/// both numbers were chosen from the data.
/// </summary>
public static class AdjacencyCalculator
{
    public const double ToleranceM = 100;
    public const double MinSharedM = 200;

    /// <summary>Replaces the whole adjacency table, inside the caller's transaction if there is one.</summary>
    public static async Task<AdjacencyStats> RecomputeAsync(NpgsqlConnection conn, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        await using (var cmd = new NpgsqlCommand($"""
            DELETE FROM adjacency;
            INSERT INTO adjacency (code_a, code_b, shared_m, contact)
            SELECT a.code, b.code, s.len,
                   CASE WHEN s.len >= {MinSharedM} THEN 'neighbour' ELSE 'corner' END
            FROM communes a
            JOIN communes b ON a.code < b.code AND ST_DWithin(a.geom_m, b.geom_m, {ToleranceM})
            CROSS JOIN LATERAL (SELECT ST_Length(ST_Intersection(ST_Boundary(a.geom_m),
                                   ST_Buffer(ST_Boundary(b.geom_m), {ToleranceM}))) AS len) s;
            """, conn) { CommandTimeout = 600 })
            await cmd.ExecuteNonQueryAsync(ct);

        await using var count = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE contact = 'neighbour'), count(*) FILTER (WHERE contact = 'corner') FROM adjacency", conn);
        await using var r = await count.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new AdjacencyStats((int)r.GetInt64(0), (int)r.GetInt64(1), sw.Elapsed);
    }
}
