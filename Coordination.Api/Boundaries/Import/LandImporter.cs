namespace Coordination.Api.Boundaries.Import;

/// <summary>
/// Loads the ground under the communes (Natural Earth land around Vietnam, geo/data/land-vn.geojson.gz) into
/// <c>land</c>, once: made valid, in web mercator for the tiles, and cut into pieces of at most 256 vertices so a
/// tile reads only the pieces it touches (the Indochina polygon alone has thousands of vertices).
/// </summary>
public sealed class LandImporter(CoordinationDb db, ILogger<LandImporter> log)
{
    public async Task<int> ImportAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path) || await db.Land.AnyAsync(ct)) return 0;
        await using var file = File.OpenRead(path);
        await using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var doc = await JsonDocument.ParseAsync(gzip, cancellationToken: ct);
        var geometries = doc.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("geometry").GetRawText()).ToArray();
        var pieces = await db.InRawTransactionAsync(async conn =>
        {
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO land (geom)
                SELECT ST_Multi(s.geom)
                FROM unnest(@geometries) AS g,
                     LATERAL ST_Subdivide(ST_Transform(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)), 3), 3857), 256) AS s(geom)
                """, conn);
            cmd.Parameters.AddWithValue("geometries", geometries);
            return await cmd.ExecuteNonQueryAsync(ct);
        }, ct);
        log.LogInformation("Land: {Pieces} pieces from {File}", pieces, Path.GetFileName(path));
        return pieces;
    }
}
