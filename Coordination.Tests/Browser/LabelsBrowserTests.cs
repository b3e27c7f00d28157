using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// Names on the map, drawn with the app's own glyphs (DejaVu Sans, built into SDF ranges by glyphs.mjs): commune
/// names with their diacritics from zoom 8, province names and lines, and the ground under them (Natural Earth land);
/// nothing fetched from anywhere but the app.
/// </summary>
[Collection("postgis")]
public sealed class LabelsBrowserTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    const string ChauKhe = "17248";

    static Task<string[]> RenderedNamesAsync(IPage page, string layer) => page.EvaluateAsync<string[]>(
        $"() => [...new Set(window.coordinationMap.queryRenderedFeatures({{ layers: ['{layer}'] }}).map(f => f.properties.name))]");

    /// <summary>Moves the camera and waits for the map's next idle (tiles and glyphs of the new view in, symbols placed).</summary>
    static Task JumpAsync(IPage page, double lon, double lat, double zoom) => page.EvaluateAsync(
        "([lon, lat, zoom]) => new Promise(resolve => { const m = window.coordinationMap; m.once('idle', () => resolve(true)); m.jumpTo({ center: [lon, lat], zoom }); })",
        new[] { lon, lat, zoom });

    [Fact]
    public async Task Commune_and_province_names_are_drawn_with_diacritics_from_the_apps_own_glyphs()
    {
        var glyphs = new List<(string Url, int Status, int Bytes, string? CacheControl)>();
        var urls = new List<string>();
        var app = await OpenAsync(beforeLoad: p => p.Response += async (_, r) =>
        {
            urls.Add(r.Url);
            if (r.Url.Contains(".pbf"))
                glyphs.Add((Uri.UnescapeDataString(r.Url), r.Status, (await r.BodyAsync()).Length, await r.HeaderValueAsync("cache-control")));
        });
        var page = app.Page;
        await app.WaitForMapIdleAsync();

        // ---- the province's name at a regional zoom, bold
        await JumpAsync(page, 104.9, 19.2, 7);
        var provinces = await RenderedNamesAsync(page, "province-labels");
        Log("province labels: " + string.Join(", ", provinces));
        Assert.Contains("Nghệ An", provinces);

        // ---- the ground ships with the app: Laos (west of Nghệ An) is land, the Gulf of Tonkin is not
        static string LandAt(double lon, double lat) =>
            FormattableString.Invariant($"() => {{ const m = window.coordinationMap; return m.queryRenderedFeatures(m.project([{lon}, {lat}]), {{ layers: ['land'] }}).length; }}");
        Assert.True(await page.EvaluateAsync<int>(LandAt(103.9, 19.6)) > 0, "Laos is drawn as land");
        Assert.Equal(0, await page.EvaluateAsync<int>(LandAt(106.9, 19.0)));
        await app.ScreenshotAsync("ground-nghe-an");
        // and the islands far offshore are drawn too: Hoàng Sa's islets around Phú Lâm (Woody Island)
        await JumpAsync(page, 112.33, 16.83, 10);
        Assert.True(await page.EvaluateAsync<int>("() => window.coordinationMap.queryRenderedFeatures({ layers: ['land'] }).length") > 0,
            "Hoàng Sa's islets are drawn");

        // ---- around Châu Khê at zoom 11: its name and its neighbour's, as written (NFC, with diacritics)
        var at = (await app.Page.EvaluateAsync<double[]>($"async () => (await (await fetch('/api/communes/{ChauKhe}')).json()).properties.labelPoint"));
        await JumpAsync(page, at[0], at[1], 11);
        var names = await RenderedNamesAsync(page, "commune-labels");
        Log("commune labels: " + string.Join(", ", names));
        Assert.Contains("Châu Khê", names);
        Assert.Contains("Con Cuông", names);

        // ---- from zoom 11 the People's Committee seats too, labelled, whether or not the offices layer is on
        var seat = await page.EvaluateAsync<System.Text.Json.JsonElement>($"async () => (await (await fetch('/api/offices?commune={ChauKhe}&kind=people_committee')).json()).features[0]");
        var seatName = seat.GetProperty("properties").GetProperty("name").GetString()!;
        var seatAt = seat.GetProperty("geometry").GetProperty("coordinates");
        await JumpAsync(page, seatAt[0].GetDouble(), seatAt[1].GetDouble(), 13);
        await page.WaitForFunctionAsync("(name) => window.coordinationMap.queryRenderedFeatures({ layers: ['seat-labels'] }).some(f => f.properties.name === name)",
            seatName, new() { Timeout = 15000 });
        Log($"seat label: {seatName}");
        Assert.All(names, n => Assert.True(n.IsNormalized(NormalizationForm.FormC), n));
        await app.ScreenshotAsync("labels-chau-khe");

        // ---- every glyph range came from the app: the Vietnamese ones carry glyphs, none failed
        foreach (var g in glyphs) Log($"  {g.Status} {g.Bytes,7:N0} B  {g.Url}");
        Assert.Contains(glyphs, g => g.Url.Contains("/_glyphs/DejaVu Sans Book/0-255.pbf") && g.Status == 200 && g.Bytes > 10_000);
        Assert.Contains(glyphs, g => g.Url.Contains("/_glyphs/DejaVu Sans Bold/7680-7935.pbf") && g.Status == 200 && g.Bytes > 1_000);
        Assert.All(glyphs, g => Assert.Equal(200, g.Status));
        // versioned by the glyph set's hash, so a phone keeps them for a year and never asks again
        Assert.All(glyphs, g => Assert.Equal("public, max-age=31536000, immutable", g.CacheControl));
        Assert.All(urls.Where(u => u.StartsWith("http", StringComparison.Ordinal)), u => Assert.StartsWith(app.WebUrl, u));
        Assert.Empty(app.Errors);
    }
}
