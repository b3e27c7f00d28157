using NpgsqlTypes;

namespace Coordination.Api.Hazards;

/// <summary>Hazard zones and flood events as GeoJSON FeatureCollections, built in PostGIS.</summary>
public static class HazardQueries
{
    public static async Task<string> ZonesAsync(CoordinationDb db, int? layer, string? hazard, string? province, double[]? box, CancellationToken ct)
    {
        var json = await db.Database.SqlQueryRaw<string>("""
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', z.id, 'geometry', ST_AsGeoJSON(z.geom, 5)::json,
                'properties', json_build_object('id', z.id, 'layerId', l.id, 'layerName', l.name, 'isSample', l.is_sample, 'hazard', z.hazard,
                    'name', z.name, 'depthClass', z.depth_class, 'returnPeriodYears', z.return_period_years, 'source', z.source, 'sourceDate', z.source_date))
                ORDER BY z.id), '[]'::json))::text AS "Value"
            FROM hazard_zones z JOIN hazard_layers l ON l.id = z.layer_id
            WHERE (@layer::int IS NULL OR z.layer_id = @layer) AND (@hazard::text IS NULL OR z.hazard = @hazard)
              AND (@bbox::float8[] IS NULL OR z.geom && ST_MakeEnvelope(@bbox[1], @bbox[2], @bbox[3], @bbox[4], 4326))
              AND (@province::text IS NULL OR EXISTS (SELECT 1 FROM communes c WHERE c.province_code = @province AND ST_Intersects(c.geom, z.geom)))
            """,
            new NpgsqlParameter("layer", NpgsqlDbType.Integer) { Value = (object?)layer ?? DBNull.Value },
            new NpgsqlParameter("hazard", NpgsqlDbType.Text) { Value = (object?)hazard ?? DBNull.Value },
            new NpgsqlParameter("bbox", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = (object?)box ?? DBNull.Value },
            new NpgsqlParameter("province", NpgsqlDbType.Text) { Value = (object?)province ?? DBNull.Value }).SingleAsync(ct);
        return json;
    }

    public static async Task<string> EventsAsync(CoordinationDb db, bool? active, string? province, DateTime now, CancellationToken ct)
    {
        // An event declared for communes has no extent: it is drawn as its communes, with extent = "communes" saying so.
#pragma warning disable EF1002 // the interpolated part is ActiveFloods' constant SQL; every value is a parameter
        var json = await db.Database.SqlQueryRaw<string>($"""
            WITH e AS (SELECT *, {ActiveFloods.IsActive("flood_events")} AS active FROM flood_events)
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', e.id,
                'geometry', ST_AsGeoJSON(coalesce(e.geom, (SELECT ST_Multi(ST_Union(c.geom)) FROM flood_event_communes fc
                    JOIN communes c ON c.code = fc.commune_code WHERE fc.flood_event_id = e.id)), 6)::json,
                'properties', json_build_object('id', e.id, 'name', e.name, 'startedAt', e.started_at, 'endedAt', e.ended_at, 'active', e.active,
                    'source', e.source, 'note', e.note, 'declaredBy', e.declared_by, 'closedBy', e.closed_by,
                    'extent', CASE WHEN e.geom IS NULL THEN 'communes' ELSE 'drawn' END,
                    'communes', (SELECT coalesce(json_agg(json_build_object('code', c.code, 'name', c.name, 'kind', c.kind, 'provinceCode', c.province_code)
                        ORDER BY c.code), '[]'::json) FROM flood_event_communes fc JOIN communes c ON c.code = fc.commune_code WHERE fc.flood_event_id = e.id)))
                ORDER BY e.started_at DESC, e.id), '[]'::json))::text AS "Value"
            FROM e
            WHERE (@active::bool IS NULL OR e.active = @active)
              AND (@province::text IS NULL OR EXISTS (SELECT 1 FROM communes c WHERE c.province_code = @province AND ST_Intersects(c.geom, e.geom))
                   OR EXISTS (SELECT 1 FROM flood_event_communes fc JOIN communes c ON c.code = fc.commune_code
                              WHERE fc.flood_event_id = e.id AND c.province_code = @province))
            """,
            new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now },
            new NpgsqlParameter("active", NpgsqlDbType.Boolean) { Value = (object?)active ?? DBNull.Value },
            new NpgsqlParameter("province", NpgsqlDbType.Text) { Value = (object?)province ?? DBNull.Value }).SingleAsync(ct);
#pragma warning restore EF1002
        return json;
    }
}
