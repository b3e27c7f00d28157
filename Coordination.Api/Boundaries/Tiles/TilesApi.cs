namespace Coordination.Api.Boundaries.Tiles;

public static class TilesApi
{
    /// <summary>Map geometry as Mapbox Vector Tiles made by PostGIS (ST_AsMVT). Public, like the boundaries.</summary>
    public static RouteGroupBuilder MapTiles(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/tiles").WithTags("Tiles").AllowAnonymous();
        group.MapGet("/communes/{z:int}/{x:int}/{y:int}.mvt", async Task<Results<FileContentHttpResult, ValidationProblem>> (
            int z, int x, int y, CoordinationDb db, TileCache cache, HttpContext http, CancellationToken ct) =>
        {
            if (z is < 0 or > 16) return Problems.BadParameter("z", "z must be between 0 and 16.", CommonProblems.FieldOutOfRange, new { Min = 0, Max = 16 });
            var n = 1 << z;
            if (x < 0 || x >= n || y < 0 || y >= n) return Problems.BadParameter("x", $"x and y must be between 0 and {n - 1} at zoom {z}.", CommonProblems.FieldOutOfRange, new { Min = 0, Max = n - 1 });
            var tile = await cache.GetOrAddAsync((z, x, y), () => TileQuery.RenderAsync(db, z, x, y, ct));
            http.Response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.File(tile, TileCache.ContentType);
        }).WithSummary("Commune boundaries as a vector tile (layer 'communes', feature id = numeric commune code), generalised per zoom; "
            + "from zoom 8 the communes' label points (layer 'labels': name, kind), at every zoom the province boundaries "
            + "(layer 'provinces', lines) and from zoom 4 to 9 their label points (layer 'province_labels': name).");
        return group;
    }
}

/// <summary>
/// The tile SQL. Zooms 0–<see cref="TileGeneralisation.MaxGeneralisedZoom"/> read the coverage-simplified geometry
/// of their own zoom from <c>commune_tiles</c> (see <see cref="TileGeneralisation"/>); higher zooms read
/// <c>communes.geom_web</c> as is. Both keep extent 4096: a coarser extent makes ST_AsMVTGeom's snapping collapse
/// small communes and its validity repair then drops slivers, which opens visible holes at low zoom.
/// ST_AsMVT skips rows whose ST_AsMVTGeom is NULL, so there is no <c>WHERE geom IS NOT NULL</c> (that filter makes
/// the planner evaluate ST_AsMVTGeom twice per row).
/// </summary>
public static class TileQuery
{
    public const int Extent = 4096, Buffer = 64;

    /// <summary>The query as first shipped (raw geometry at every zoom): the baseline for the bench.</summary>
    public const string RawSql = """
        WITH bounds AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env),
        mvt AS (
            SELECT c.code::int AS id, ST_AsMVTGeom(c.geom_web, b.env, 4096, 64, true) AS geom
            FROM communes c, bounds b
            WHERE c.geom_web && b.env
        )
        SELECT coalesce(ST_AsMVT(mvt, 'communes', 4096, 'geom', 'id'), ''::bytea) FROM mvt WHERE geom IS NOT NULL
        """;

    /// <summary>Zoom from which commune names are in the tiles (below it the ~3,300 names would be a blur).</summary>
    public const int CommuneLabelsFromZoom = 8;

    /// <summary>
    /// The ground, the names and the province lines, as further layers of the same tile (MVT layers concatenate):
    /// land, commune label points from <see cref="CommuneLabelsFromZoom"/>, province boundaries at every zoom, province
    /// names at 4–9. <c>w</c> holds the tile in 4326 and half a screen pixel of the zoom in metres (a tile is 256 px),
    /// the tolerance the land and the province lines are simplified to (the commune borders carry the detail).
    /// </summary>
    static readonly string NamesSql = $"""
        , w AS (SELECT ST_Transform(env, 4326) AS env, 40075016.686 / (1 << @z) / 512 AS half_px FROM bounds),
        land AS (
            -- pieces of at most 256 vertices (LandImporter)
            SELECT ST_AsMVTGeom(ST_Simplify(l.geom, w.half_px), b.env, 4096, 64, true) AS geom
            FROM land l, bounds b, w
            WHERE l.geom && b.env
        ),
        labels AS (
            SELECT c.code::int AS id, c.name, c.kind, ST_AsMVTGeom(ST_Transform(c.label_point, 3857), b.env, 4096, 64, true) AS geom
            FROM communes c, bounds b, w
            WHERE @z >= {CommuneLabelsFromZoom} AND c.label_point && w.env
        ),
        province_lines AS (
            SELECT p.code::int AS id, ST_AsMVTGeom(ST_Simplify(ST_Transform(ST_Boundary(p.geom), 3857), w.half_px), b.env, 4096, 64, true) AS geom
            FROM provinces p, bounds b, w
            WHERE p.geom && w.env
        ),
        province_labels AS (
            SELECT p.code::int AS id, p.name, ST_AsMVTGeom(ST_Transform(ST_PointOnSurface(p.geom), 3857), b.env, 4096, 64, true) AS geom
            FROM provinces p, bounds b, w
            WHERE @z BETWEEN 4 AND 9 AND p.geom && w.env
        )
        SELECT coalesce((SELECT ST_AsMVT(mvt, 'communes', 4096, 'geom', 'id') FROM mvt), ''::bytea)
            || coalesce((SELECT ST_AsMVT(labels, 'labels', 4096, 'geom', 'id') FROM labels), ''::bytea)
            || coalesce((SELECT ST_AsMVT(province_lines, 'provinces', 4096, 'geom', 'id') FROM province_lines), ''::bytea)
            || coalesce((SELECT ST_AsMVT(province_labels, 'province_labels', 4096, 'geom', 'id') FROM province_labels), ''::bytea)
            || coalesce((SELECT ST_AsMVT(land, 'land', 4096, 'geom') FROM land WHERE geom IS NOT NULL), ''::bytea)
        """;

    static readonly string GeneralisedSql = """
        WITH bounds AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env),
        mvt AS (
            SELECT g.code::int AS id, ST_AsMVTGeom(g.geom, b.env, 4096, 64, true) AS geom
            FROM commune_tiles g, bounds b
            WHERE g.band = @z AND g.geom && b.env
        )
        """ + NamesSql;

    static readonly string DetailedSql = """
        WITH bounds AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env),
        mvt AS (
            SELECT c.code::int AS id, ST_AsMVTGeom(c.geom_web, b.env, 4096, 64, true) AS geom
            FROM communes c, bounds b
            WHERE c.geom_web && b.env
        )
        """ + NamesSql;

    public static string Sql(int z) => z <= TileGeneralisation.MaxGeneralisedZoom ? GeneralisedSql : DetailedSql;

    public static async Task<byte[]> RenderAsync(CoordinationDb db, int z, int x, int y, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try { return await RenderAsync((NpgsqlConnection)db.Database.GetDbConnection(), z, x, y, ct); }
        finally { await db.Database.CloseConnectionAsync(); }
    }

    /// <summary>Renders one tile on an open connection (builds the generalised table first if it is missing or stale).</summary>
    public static async Task<byte[]> RenderAsync(NpgsqlConnection conn, int z, int x, int y, CancellationToken ct)
    {
        if (z <= TileGeneralisation.MaxGeneralisedZoom) await TileGeneralisation.EnsureAsync(conn, ct);
        return await ExecuteAsync(conn, Sql(z), z, x, y, ct);
    }

    public static async Task<byte[]> ExecuteAsync(NpgsqlConnection conn, string sql, int z, int x, int y, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("z", z);
        cmd.Parameters.AddWithValue("x", x);
        cmd.Parameters.AddWithValue("y", y);
        return (byte[])(await cmd.ExecuteScalarAsync(ct))!;
    }
}
