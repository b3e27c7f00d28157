namespace Coordination.Api.Hazards.Import;

/// <summary>
/// Builds the SAMPLE flood-zone layer from approximate river centre lines (geo/sample/rivers-nghe-an.geojson):
/// each line buffered by its stated width on each side, in metres (UTM 48N), back to WGS 84 with 5 decimals.
/// Nothing is drawn by hand around any office: the zone is whatever the line and the width give.
/// </summary>
public static class SampleFloodZones
{
    public static async Task<string> BuildAsync(NpgsqlConnection conn, string riversGeoJson, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand("""
            WITH f AS (SELECT ordinality AS n, value AS feature FROM json_array_elements(@doc::json -> 'features') WITH ORDINALITY),
            z AS (
                SELECT n, feature -> 'properties' AS p,
                    ST_Transform(ST_Buffer(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(feature ->> 'geometry'), 4326), 32648),
                        (feature -> 'properties' ->> 'buffer_m')::float8, 'quad_segs=8'), 4326) AS g
                FROM f)
            SELECT json_build_object(
                'type', 'FeatureCollection',
                'name', 'SAMPLE flood-prone river corridors, western Nghệ An — built by geo/make-sample-flood-zones.sh; not a hazard survey',
                'features', json_agg(json_build_object(
                    'type', 'Feature',
                    'properties', json_build_object(
                        'hazard', 'flood',
                        'name', (p ->> 'river') || ' — hành lang ngập ven sông (MẪU)',
                        'depth_class', NULL,
                        'return_period_years', NULL,
                        'source', 'SAMPLE: ' || (p ->> 'buffer_m') || ' m each side of an approximate centre line of ' || (p ->> 'river')
                            || ' (' || (p ->> 'reach') || '); geo/sample/rivers-nghe-an.geojson',
                        'source_date', '2026-11-23'),
                    'geometry', ST_AsGeoJSON(ST_Multi(g), 5)::json) ORDER BY n))::text
            FROM z
            """, conn);
        cmd.Parameters.AddWithValue("doc", riversGeoJson);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
