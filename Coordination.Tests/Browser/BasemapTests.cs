using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// A closed network's basemap: a PMTiles file dropped in (here a small one, made by PostGIS and written by
/// <see cref="PmtilesWriter"/>) is served by the app with range requests and drawn under the communes — its water and
/// its place names in the app's own glyphs — without any configured style URL or internet.
/// </summary>
[Collection("postgis")]
public sealed class BasemapTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    const string ChauKhe = "17248";
    const string Place = "Thác Mẫu (bản đồ nền thử)";
    string _file = "";
    (double Lon, double Lat) _lake;

    protected override async Task<BrowserHost> StartAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using (var cmd = new NpgsqlCommand($"SELECT ST_X(label_point), ST_Y(label_point) FROM communes WHERE code = '{ChauKhe}'", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            await r.ReadAsync();
            _lake = (r.GetDouble(0) + 0.02, r.GetDouble(1));
        }
        // One tile per zoom 0–8 holding a 1.5 km lake and a place name beside it, as an OpenMapTiles-schema basemap has.
        var tiles = new List<(int, int, int, byte[])>();
        for (var z = 0; z <= 8; z++)
        {
            var n = 1 << z;
            var x = (int)Math.Floor((_lake.Lon + 180) / 360 * n);
            var rad = _lake.Lat * Math.PI / 180;
            var y = (int)Math.Floor((1 - Math.Log(Math.Tan(rad) + 1 / Math.Cos(rad)) / Math.PI) / 2 * n);
            await using var cmd = new NpgsqlCommand("""
                WITH p AS (SELECT ST_SetSRID(ST_MakePoint(@lon, @lat), 4326) AS g),
                water AS (SELECT ST_AsMVTGeom(ST_Transform(ST_Buffer(g::geography, 1500)::geometry, 3857), ST_TileEnvelope(@z, @x, @y)) AS geom, 'lake' AS class FROM p),
                place AS (SELECT ST_AsMVTGeom(ST_Transform(ST_Translate(g, 0, 0.02), 3857), ST_TileEnvelope(@z, @x, @y)) AS geom, 'hamlet' AS class, @name AS name FROM p)
                SELECT (SELECT ST_AsMVT(water, 'water', 4096, 'geom') FROM water) || (SELECT ST_AsMVT(place, 'place', 4096, 'geom') FROM place)
                """, conn);
            cmd.Parameters.AddWithValue("lon", _lake.Lon); cmd.Parameters.AddWithValue("lat", _lake.Lat);
            cmd.Parameters.AddWithValue("z", z); cmd.Parameters.AddWithValue("x", x); cmd.Parameters.AddWithValue("y", y);
            cmd.Parameters.AddWithValue("name", Place);
            tiles.Add((z, x, y, (byte[])(await cmd.ExecuteScalarAsync())!));
        }
        _file = Path.Combine(Path.GetTempPath(), $"coordination-basemap-{Guid.NewGuid():N}.pmtiles");
        await File.WriteAllBytesAsync(_file, PmtilesWriter.Write(tiles,
            """{"vector_layers":[{"id":"water","fields":{"class":"String"}},{"id":"place","fields":{"class":"String","name":"String"}}]}""",
            [102, 8, 110, 23.5], 0, 8));
        return await BrowserHost.StartAsync(connectionString, webSettings: ["--Map:BasemapPmtiles", _file]);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(_file);
    }

    [Fact]
    public async Task A_dropped_in_PMTiles_basemap_is_drawn_under_the_communes_from_the_app_itself()
    {
        var ranges = new List<int>();
        var app = await OpenAsync(beforeLoad: p => p.Response += (_, r) => { if (r.Url.Contains("/basemap.pmtiles")) lock (ranges) ranges.Add(r.Status); });
        var page = app.Page;
        await app.WaitForMapIdleAsync();
        await page.EvaluateAsync("([lon, lat]) => new Promise(r => { const m = window.coordinationMap; m.once('idle', () => r(true)); m.jumpTo({ center: [lon, lat], zoom: 12 }); })",
            new[] { _lake.Lon, _lake.Lat });
        await page.WaitForFunctionAsync("([lon, lat]) => { const m = window.coordinationMap; return m.queryRenderedFeatures(m.project([lon, lat]), { layers: ['basemap-water'] }).length > 0; }",
            new[] { _lake.Lon, _lake.Lat }, new() { Timeout = 15000 });
        await page.WaitForFunctionAsync("(name) => window.coordinationMap.queryRenderedFeatures({ layers: ['basemap-places'] }).some(f => f.properties.name === name)",
            Place, new() { Timeout = 15000 });
        await app.ScreenshotAsync("basemap-pmtiles");
        Log($"basemap responses: {string.Join(", ", ranges)}");
        Assert.Contains(206, ranges);   // read by ranges, not downloaded whole
        Assert.Empty(app.Errors);
    }
}
