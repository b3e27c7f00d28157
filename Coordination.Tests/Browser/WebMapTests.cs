using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// The web map in a real browser (Debian's chromium, software WebGL): the real API on a Kestrel port against a
/// seeded copy of the database, the real web host (static files + reverse proxy) in front of it.
/// </summary>
[Collection("postgis")]
public sealed class WebMapTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>Everything the map page downloads until its first tiles are drawn (MapLibre, 225 KB, is most of it).</summary>
    const int FirstLoadBudgetBytes = 280 * 1024;
    /// <summary>What search, the commune panel and the user's lists need: everything but the map library (issue 13: ≤ 60 KB).</summary>
    const int FirstResponseBudgetBytes = 60 * 1024;
    const string ChauKhe = "17248";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Log($"API {Host.ApiUrl}, web {Host.WebUrl}");
    }

    [Fact]
    public async Task Search_select_click_on_the_map_and_switch_language()
    {
        var responses = new List<IResponse>();

        // ---- first load, measured on the wire (compressed bodies + headers), tiles and API JSON excluded
        var app = await OpenAsync(beforeLoad: p => p.Response += (_, r) => responses.Add(r));
        var page = app.Page;
        await app.WaitForMapIdleAsync();
        long total = 0, library = 0, beforeLibrary = 0;
        foreach (var response in responses.ToList())
        {
            var path = new Uri(response.Url).AbsolutePath;
            if (path.StartsWith("/tiles/", StringComparison.Ordinal) || path.StartsWith("/api/", StringComparison.Ordinal) || !response.Url.StartsWith("http", StringComparison.Ordinal)) continue;
            var sizes = await response.Request.SizesAsync();
            var bytes = Math.Max(0, sizes.ResponseBodySize) + Math.Max(0, sizes.ResponseHeadersSize);
            total += bytes;
            if (path == "/lib/maplibre-gl.js") library += bytes;
            else if (library == 0) beforeLibrary += bytes;   // arrived before the map library (what comes after waits for it)
            var encoding = await response.HeaderValueAsync("content-encoding") ?? "identity";
            Log($"  {bytes,8:N0} B  {encoding,-8} {path}");
            if (path.EndsWith(".js", StringComparison.Ordinal) || path.EndsWith(".css", StringComparison.Ordinal) || path == "/")
                Assert.True(encoding is "br" or "gzip", $"{path} is sent {encoding}");
        }
        Log($"First load: {total:N0} bytes ({total / 1024.0:F1} KB) compressed, budget {FirstLoadBudgetBytes / 1024} KB");
        Log($"Before the map library (search, panel, lists): {beforeLibrary:N0} bytes ({beforeLibrary / 1024.0:F1} KB), budget {FirstResponseBudgetBytes / 1024} KB");
        Assert.True(total <= FirstLoadBudgetBytes, $"first load {total:N0} B > {FirstLoadBudgetBytes:N0} B");
        Assert.True(library > 0 && beforeLibrary <= FirstResponseBudgetBytes, $"before the map library {beforeLibrary:N0} B > {FirstResponseBudgetBytes:N0} B");
        Assert.Contains(responses, r => r.Url.Contains("/tiles/communes/") && r.Status == 200);

        // ---- Vietnamese by default
        Assert.Equal("vi", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Chú giải", await page.InnerTextAsync("#legend-title"));
        await Assertions.Expect(page.Locator("#legend-own")).ToBeHiddenAsync();   // an anonymous visitor has no area of their own

        // ---- search without diacritics, pick "Châu Khê"
        await page.FillAsync("#search", "chau khe");
        var candidate = page.Locator("#results li", new() { HasText = "Châu Khê" });
        await candidate.First.WaitForAsync();
        StringAssert(await candidate.First.InnerTextAsync(), "Nghệ An");
        await candidate.First.ClickAsync();
        await app.WaitForPanelAsync(ChauKhe);
        Assert.Equal("Châu Khê", await page.InnerTextAsync("#name"));
        var conCuong = page.Locator("#ring1 li[data-code]", new() { HasText = "Con Cuông" });
        await Assertions.Expect(conCuong).ToHaveCountAsync(1);
        // The shared border as the API measures it, formatted the Vietnamese way ("15,7 km").
        var borderKm = await page.EvaluateAsync<double>($$"""
            async () => (await (await fetch('/api/communes/{{ChauKhe}}/neighbours?rings=2')).json())
                .neighbours.find(n => n.name === 'Con Cuông').sharedBorderM / 1000
            """);
        var borderEn = $"{borderKm.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} km";
        StringAssert(await conCuong.InnerTextAsync(), borderEn.Replace('.', ','));
        Assert.True(await page.Locator("#ring2 li[data-code]").CountAsync() > 0, "ring-2 neighbours listed");
        Assert.Equal(0, await page.EvaluateAsync<int>(
            $"() => window.coordinationMap.getFeatureState({{source:'communes', sourceLayer:'communes', id:{int.Parse(ChauKhe)}}}).ring"));
        await app.WaitForMapIdleAsync();
        await app.ScreenshotAsync("chau-khe");

        // ---- a real mouse click on a neighbour drawn on the map
        var neighbourCodes = await page.Locator("#ring1 li[data-code]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.code)");
        var (code, x, y) = await app.ClickableLabelPointAsync(neighbourCodes);
        await page.Mouse.ClickAsync((float)x, (float)y);
        await app.WaitForPanelAsync(code);
        var clickedName = await page.InnerTextAsync("#name");
        Log($"Clicked the map at ({x:F0}, {y:F0}): {clickedName} ({code})");
        await Assertions.Expect(page.Locator($"#ring1 li[data-code='{ChauKhe}']")).ToHaveCountAsync(1);

        // ---- a former (pre-merger) name, chosen with the keyboard
        await page.FillAsync("#search", "chau tien");
        await page.Locator("#results li", new() { HasText = "tên cũ: Xã Châu Tiến" }).WaitForAsync();
        await page.FillAsync("#search", "chau khe");
        await page.PressAsync("#search", "Enter");
        await app.WaitForPanelAsync(ChauKhe);

        // ---- English, remembered across a reload
        await page.SwitchLanguageAsync();
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Legend", await page.InnerTextAsync("#legend-title"));
        StringAssert(await page.InnerTextAsync("#neighbours"), "Neighbours (ring 1)");
        StringAssert(await conCuong.InnerTextAsync(), borderEn);
        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => document.documentElement.lang === 'en'");
        Assert.Equal("Tiếng Việt", await page.InnerTextAsync("#lang"));
        await page.EvaluateAsync($"() => window.coordination.select('{ChauKhe}', {{ fly: true }})");
        await app.WaitForPanelAsync(ChauKhe);
        StringAssert(await page.InnerTextAsync("#neighbours"), "Corner contact only");
        await app.WaitForMapIdleAsync();
        await app.ScreenshotAsync("chau-khe-en");

        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        await app.CloseAsync();
    }
}
