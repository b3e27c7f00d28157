using Coordination.Api.Boundaries.Tiles;

namespace Coordination.Tests.Geo;

/// <summary>Per-zoom generalised vector tiles: built by the import, gap-free, small, same layer contract.</summary>
[Collection("postgis")]
public class TileGeneralisationTests(PostgisFixture fixture, ITestOutputHelper output)
{
    /// <summary>
    /// Holes in the union of a tile's decoded polygons (what ST_AsMVT ships), in CSS px² of a 512-px tile,
    /// plus how many of the tile's communes are in it. A gap between neighbours shows up as a hole.
    /// </summary>
    static async Task<(long Features, long Holes, double MaxHolePx2)> HolesAsync(NpgsqlConnection conn, string source, int z, int x, int y)
    {
        await using var cmd = new NpgsqlCommand($"""
            WITH b AS (SELECT ST_TileEnvelope({z}, {x}, {y}) env),
            t AS (SELECT ST_AsMVTGeom(g, b.env, 4096, 0, true) geom FROM b, LATERAL ({source}) s(g) WHERE g && b.env),
            u AS (SELECT ST_Union(geom) u FROM t),
            h AS (SELECT ST_Area(ST_MakePolygon(ST_InteriorRingN(d.geom, n))) / 64.0 a
                  FROM u, ST_Dump(u.u) d, generate_series(1, ST_NumInteriorRings(d.geom)) n)
            SELECT (SELECT count(*) FROM t WHERE geom IS NOT NULL), (SELECT count(*) FROM h), (SELECT coalesce(max(a), 0) FROM h)
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt64(0), r.GetInt64(1), r.GetDouble(2));
    }

    [Fact]
    public async Task Import_builds_every_band_and_low_zoom_tiles_have_no_gaps()
    {
        await using var conn = new NpgsqlConnection(await fixture.CreateDatabaseAsync());
        await conn.OpenAsync();
        await using (var cmd = new NpgsqlCommand("""
            SELECT count(DISTINCT band), bool_and(n = (SELECT count(*) FROM communes)),
                   obj_description('commune_tiles'::regclass, 'pg_class')
            FROM (SELECT band, count(*) n FROM commune_tiles GROUP BY band) b
            """, conn))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            await r.ReadAsync();
            Assert.Equal(TileGeneralisation.MaxGeneralisedZoom + 1, r.GetInt64(0));
            Assert.True(r.GetBoolean(1), "one row per commune in every band");
            Assert.Equal(TileGeneralisation.Version, r.GetString(2));
        }

        // Nghệ An at z6–z9: every commune of the tile is there, and no hole of a quarter pixel or more.
        foreach (var (z, x, y) in new[] { (6, 50, 28), (7, 101, 56), (8, 202, 114), (9, 404, 228) })
        {
            var ours = await HolesAsync(conn, $"SELECT geom FROM commune_tiles WHERE band = {z}", z, x, y);
            var raw = await HolesAsync(conn, "SELECT geom_web FROM communes", z, x, y);
            output.WriteLine($"{z}/{x}/{y}: ours {ours}, raw {raw}");
            Assert.True(ours.Features > 0);
            Assert.Equal(raw.Features, ours.Features);
            Assert.True(ours.MaxHolePx2 < 0.25, $"{z}/{x}/{y}: hole of {ours.MaxHolePx2:F2} px²");
        }

        // Same contract as before: layer 'communes', feature id = numeric code; smaller than the raw tile.
        var tile = await TileQuery.RenderAsync(conn, 8, 202, 114, CancellationToken.None);
        var rawTile = await TileQuery.ExecuteAsync(conn, TileQuery.RawSql, 8, 202, 114, CancellationToken.None);
        output.WriteLine($"8/202/114: {tile.Length} B generalised, {rawTile.Length} B raw");
        Assert.True(tile.Length > 1000 && tile.Length < rawTile.Length / 2);
        Assert.True(tile.AsSpan().IndexOf("communes"u8) >= 0, "layer name");
    }

    [Fact]
    public async Task Missing_or_outdated_table_is_rebuilt_on_first_tile()
    {
        await using var conn = new NpgsqlConnection(await fixture.CreateDatabaseAsync());
        await conn.OpenAsync();
        await new NpgsqlCommand("DROP TABLE commune_tiles", conn).ExecuteNonQueryAsync();
        var tile = await TileQuery.RenderAsync(conn, 7, 101, 56, CancellationToken.None);
        Assert.True(tile.Length > 1000);
        Assert.Equal(TileGeneralisation.Version,
            await new NpgsqlCommand("SELECT obj_description('commune_tiles'::regclass, 'pg_class')", conn).ExecuteScalarAsync());
    }

    [Fact]
    public async Task Nationwide_z6_tile_over_the_north_is_at_most_60_KB()
    {
        await using var conn = new NpgsqlConnection(await fixture.NationwideDatabaseAsync());
        await conn.OpenAsync();
        var tile = await TileQuery.RenderAsync(conn, 6, 50, 28, CancellationToken.None);
        var raw = await TileQuery.ExecuteAsync(conn, TileQuery.RawSql, 6, 50, 28, CancellationToken.None);
        output.WriteLine($"6/50/28: {tile.Length} B generalised, {raw.Length} B raw");
        Assert.True(tile.Length <= 60 * 1024, $"{tile.Length} B");
        var holes = await HolesAsync(conn, "SELECT geom FROM commune_tiles WHERE band = 6", 6, 50, 28);
        output.WriteLine($"6/50/28 holes: {holes}");
        Assert.True(holes.MaxHolePx2 < 0.25, $"hole of {holes.MaxHolePx2:F2} px²");
    }
}
