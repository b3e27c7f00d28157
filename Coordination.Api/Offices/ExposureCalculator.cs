using Coordination.Api.Hazards;

namespace Coordination.Api.Offices;

public sealed class ExposureOptions
{
    /// <summary>An office this close to a hazard zone (metres, not inside it) counts as exposed.</summary>
    public double NearDistanceMetres { get; set; } = 250;
}

/// <summary>
/// Flood exposure of offices, computed in PostGIS on the metric columns with their GiST indexes:
/// inside a zone, within <see cref="ExposureOptions.NearDistanceMetres"/> of one, or inside an observed flood
/// event (past or active). One row per reason, so the API can say which zone or event and how far.
/// Run inside the caller's transaction, right after the change that calls for it.
/// </summary>
public static class ExposureCalculator
{
    /// <summary>Recomputes the reasons of the given offices (all offices when null). Returns the rows written.</summary>
    public static async Task<int> RefreshAsync(NpgsqlConnection conn, double nearMetres, int[]? officeIds = null, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand("""
            DELETE FROM office_exposures WHERE @all OR office_id = ANY(@ids);
            INSERT INTO office_exposures (office_id, hazard, reason, hazard_zone_id, flood_event_id, distance_m)
            SELECT o.id, z.hazard, CASE WHEN d.m = 0 THEN 'inside_zone' ELSE 'near_zone' END, z.id, NULL, d.m
            FROM offices o
            JOIN hazard_zones z ON ST_DWithin(o.location_m, z.geom_m, @near)
            CROSS JOIN LATERAL (SELECT round(ST_Distance(o.location_m, z.geom_m)::numeric, 1)::float8 AS m) d
            WHERE @all OR o.id = ANY(@ids)
            UNION ALL
            SELECT o.id, 'flood', 'inside_event', NULL, e.id, 0
            FROM offices o
            JOIN flood_events e ON ST_Intersects(o.location_m, e.geom_m)
            WHERE @all OR o.id = ANY(@ids);
            """, conn);
        cmd.Parameters.AddWithValue("all", officeIds is null);
        cmd.Parameters.AddWithValue("ids", officeIds ?? []);
        cmd.Parameters.AddWithValue("near", nearMetres);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Offices keep the exposure Hazards asks for (<see cref="IExposureRefresh"/>).</summary>
public sealed class OfficeExposureRefresh(CoordinationDb db, IOptions<ExposureOptions> options) : IExposureRefresh
{
    public Task<int> RefreshAsync(NpgsqlConnection conn, CancellationToken ct) =>
        ExposureCalculator.RefreshAsync(conn, options.Value.NearDistanceMetres, null, ct);

    public Task<int> OfficesInsideAsync(int floodEventId, CancellationToken ct) =>
        db.OfficeExposures.CountAsync(x => x.FloodEventId == floodEventId, ct);
}
