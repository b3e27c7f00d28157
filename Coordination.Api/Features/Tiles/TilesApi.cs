using Coordination.Api.Data;
using Coordination.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Coordination.Api.Features.Tiles;

public static class TilesApi
{
    /// <summary>Map geometry as Mapbox Vector Tiles made by PostGIS (ST_AsMVT). Public, like the boundaries.</summary>
    public static RouteGroupBuilder MapTiles(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/tiles").WithTags("Tiles");
        group.MapGet("/communes/{z:int}/{x:int}/{y:int}.mvt", async Task<Results<FileContentHttpResult, ValidationProblem>> (
            int z, int x, int y, CoordinationDb db, TileCache cache, HttpContext http, CancellationToken ct) =>
        {
            if (z is < 0 or > 16) return Problems.BadParameter("z", "z must be between 0 and 16.");
            var n = 1 << z;
            if (x < 0 || x >= n || y < 0 || y >= n) return Problems.BadParameter("x", $"x and y must be between 0 and {n - 1} at zoom {z}.");
            var tile = await cache.GetOrAddAsync((z, x, y), () => TileQuery.RenderAsync(db, z, x, y, ct));
            http.Response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.File(tile, TileCache.ContentType);
        }).WithSummary("Commune boundaries as a vector tile (layer 'communes', feature id = numeric commune code), generalised per zoom.");
        return group;
    }
}

public static class TileQuery
{
    public static async Task<byte[]> RenderAsync(CoordinationDb db, int z, int x, int y, CancellationToken ct)
    {
        const string sql = """
            WITH bounds AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env),
            mvt AS (
                SELECT c.code::int AS id, ST_AsMVTGeom(c.geom_web, b.env, 4096, 64, true) AS geom
                FROM communes c, bounds b
                WHERE c.geom_web && b.env
            )
            SELECT coalesce(ST_AsMVT(mvt, 'communes', 4096, 'geom', 'id'), ''::bytea) FROM mvt WHERE geom IS NOT NULL
            """;
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            cmd.Parameters.AddWithValue("z", z);
            cmd.Parameters.AddWithValue("x", x);
            cmd.Parameters.AddWithValue("y", y);
            return (byte[])(await cmd.ExecuteScalarAsync(ct))!;
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }
}
