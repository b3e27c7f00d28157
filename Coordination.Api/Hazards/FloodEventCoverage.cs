namespace Coordination.Api.Hazards;

/// <summary>Keeps <see cref="FloodEventCommune"/> in step with the events (and with the communes, after an import).</summary>
public static class FloodEventCoverage
{
    /// <summary>The covering rule in SQL, for an extent in the metric CRS: shrunk by 50 m unless that leaves nothing.</summary>
    public const string Shrunk = "CASE WHEN ST_IsEmpty(ST_Buffer({0}, -50)) THEN {0} ELSE ST_Buffer({0}, -50) END";

    /// <summary>Recomputes the communes of events with an extent; an event declared for communes (no extent) keeps its own.</summary>
    public static async Task<int> RefreshAsync(NpgsqlConnection conn, int[]? eventIds = null, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand($"""
            DELETE FROM flood_event_communes fc USING flood_events e
            WHERE e.id = fc.flood_event_id AND e.geom IS NOT NULL AND (@all OR e.id = ANY(@ids));
            INSERT INTO flood_event_communes (flood_event_id, commune_code)
            SELECT e.id, c.code FROM flood_events e
            JOIN communes c ON ST_Intersects(c.geom_m, {string.Format(Shrunk, "e.geom_m")})
            WHERE e.geom IS NOT NULL AND (@all OR e.id = ANY(@ids));
            """, conn);
        cmd.Parameters.AddWithValue("all", eventIds is null);
        cmd.Parameters.AddWithValue("ids", eventIds ?? []);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
