namespace Coordination.Api.Boundaries;

/// <summary>Questions about a commune's geometry that other capabilities ask (a request's or a hamlet's point).</summary>
public static class CommuneGeometry
{
    /// <summary>Whether the point (WGS84) is in the commune, with 50 m of slack for the simplified boundary.</summary>
    public static Task<bool> ContainsAsync(CoordinationDb db, string commune, double lon, double lat, CancellationToken ct) =>
        db.Database.SqlQueryRaw<bool>(
            "SELECT ST_DWithin(ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 32648), geom_m, 50) AS \"Value\" FROM communes WHERE code = @code",
            new NpgsqlParameter("lon", lon), new NpgsqlParameter("lat", lat), new NpgsqlParameter("code", commune)).SingleAsync(ct);
}
