using Coordination.Api.Hazards;

namespace Coordination.Api.Offices;

/// <summary>Which offices to list; at least one of commune, province, defense area or bbox.</summary>
public sealed record OfficeFilter(string? Commune = null, string? Province = null, int? DefenseArea = null, double[]? Bbox = null,
    bool? FloodProne = null, int? Id = null, string? Kind = null);

/// <summary>
/// Offices as GeoJSON, built in PostGIS in one statement: each office with its exposure reasons (zone or event,
/// distance), whether it is flooded now (inside an active event), its fallback, and where services are now —
/// the fallback while the office is flooded and the fallback is dry.
/// </summary>
public static class OfficeQuery
{
    static readonly string Sql = $"""
        WITH picked AS (
            SELECT o.* FROM offices o JOIN communes c ON c.code = o.commune_code
            WHERE (@id::int IS NULL OR o.id = @id)
              AND (@commune::text IS NULL OR o.commune_code = @commune)
              AND (@kind::text IS NULL OR o.kind = @kind)
              AND (@province::text IS NULL OR c.province_code = @province)
              AND (@area::int IS NULL OR o.commune_code IN (SELECT commune_code FROM defense_area_communes WHERE defense_area_id = @area))
              AND (@bbox::float8[] IS NULL OR o.location && ST_MakeEnvelope(@bbox[1], @bbox[2], @bbox[3], @bbox[4], 4326))),
        flooded AS (
            SELECT DISTINCT x.office_id FROM office_exposures x JOIN flood_events e ON e.id = x.flood_event_id
            WHERE x.reason = 'inside_event' AND {ActiveFloods.IsActive("e")}),
        reasons AS (
            SELECT x.office_id,
                bool_or(x.hazard IN ('flood', 'flash_flood')) AS flood_prone,
                bool_or(x.hazard = 'landslide') AS landslide_prone,
                json_agg(json_build_object(
                    'hazard', x.hazard, 'reason', x.reason, 'distanceM', x.distance_m,
                    'zoneId', x.hazard_zone_id, 'zoneName', z.name, 'layerId', l.id, 'layerName', l.name, 'layerIsSample', l.is_sample,
                    'depthClass', z.depth_class, 'returnPeriodYears', z.return_period_years,
                    'eventId', x.flood_event_id, 'eventName', e.name, 'eventStartedAt', e.started_at, 'eventEndedAt', e.ended_at,
                    'eventActive', e.id IS NOT NULL AND {ActiveFloods.IsActive("e")})
                    ORDER BY x.reason = 'inside_event' DESC, x.distance_m, x.id) AS list
            FROM office_exposures x
            LEFT JOIN hazard_zones z ON z.id = x.hazard_zone_id
            LEFT JOIN hazard_layers l ON l.id = z.layer_id
            LEFT JOIN flood_events e ON e.id = x.flood_event_id
            WHERE x.office_id IN (SELECT id FROM picked)
            GROUP BY x.office_id)
        SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
            'type', 'Feature', 'id', o.id,
            'geometry', ST_AsGeoJSON(o.location, 6)::json,
            'properties', json_build_object(
                'id', o.id, 'communeCode', o.commune_code, 'communeName', c.name, 'communeKind', c.kind, 'provinceCode', c.province_code,
                'kind', o.kind, 'name', o.name, 'address', o.address, 'phone', o.phone, 'accuracy', o.accuracy, 'ref', o.ref, 'warning', o.warning,
                'isShelter', o.is_shelter, 'shelterCapacity', o.shelter_capacity, 'shelterOccupancy', o.shelter_occupancy,
                'occupancyUpdatedAt', o.occupancy_updated_at, 'updatedAt', o.updated_at, 'updatedBy', o.updated_by,
                'floodProne', coalesce(r.flood_prone, false), 'landslideProne', coalesce(r.landslide_prone, false),
                'floodedNow', fo.office_id IS NOT NULL,
                'reasons', coalesce(r.list, '[]'::json),
                'fallback', CASE WHEN fb.id IS NULL THEN NULL ELSE json_build_object(
                    'id', fb.id, 'name', fb.name, 'communeCode', fb.commune_code, 'communeName', fbc.name, 'address', fb.address, 'phone', fb.phone,
                    'lon', round(ST_X(fb.location)::numeric, 6), 'lat', round(ST_Y(fb.location)::numeric, 6),
                    'floodedNow', ff.office_id IS NOT NULL) END,
                -- Where the public and the neighbours should go now: the office itself while dry, its fallback while it is
                -- flooded and the fallback is dry, null when flooded with no dry fallback.
                'servingFrom', CASE
                    WHEN fo.office_id IS NULL THEN json_build_object('id', o.id, 'name', o.name, 'isFallback', false)
                    WHEN fb.id IS NOT NULL AND ff.office_id IS NULL THEN json_build_object('id', fb.id, 'name', fb.name, 'isFallback', true,
                        'communeCode', fb.commune_code, 'communeName', fbc.name, 'address', fb.address, 'phone', fb.phone)
                    ELSE NULL END))
            ORDER BY c.province_code, o.commune_code, o.kind <> 'people_committee', o.id), '[]'::json))::text AS "Value"
        FROM picked o
        JOIN communes c ON c.code = o.commune_code
        LEFT JOIN reasons r ON r.office_id = o.id
        LEFT JOIN flooded fo ON fo.office_id = o.id
        LEFT JOIN offices fb ON fb.id = o.fallback_office_id
        LEFT JOIN communes fbc ON fbc.code = fb.commune_code
        LEFT JOIN flooded ff ON ff.office_id = fb.id
        WHERE (@floodProne::bool IS NULL OR coalesce(r.flood_prone, false) = @floodProne)
        """;

    public static async Task<string> FeatureCollectionAsync(CoordinationDb db, OfficeFilter f, DateTime now, CancellationToken ct)
    {
        NpgsqlParameter P(string name, object? value, NpgsqlTypes.NpgsqlDbType type) => new(name, type) { Value = value ?? DBNull.Value };
        return await db.Database.SqlQueryRaw<string>(Sql,
            P("id", f.Id, NpgsqlTypes.NpgsqlDbType.Integer),
            P("commune", f.Commune, NpgsqlTypes.NpgsqlDbType.Text),
            P("kind", f.Kind, NpgsqlTypes.NpgsqlDbType.Text),
            P("province", f.Province, NpgsqlTypes.NpgsqlDbType.Text),
            P("area", f.DefenseArea, NpgsqlTypes.NpgsqlDbType.Integer),
            P("bbox", f.Bbox, NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Double),
            P("floodProne", f.FloodProne, NpgsqlTypes.NpgsqlDbType.Boolean),
            P("now", now, NpgsqlTypes.NpgsqlDbType.TimestampTz)).SingleAsync(ct);
    }
}
