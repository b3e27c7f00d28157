using System.Text.Json;
using Coordination.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Coordination.Tests.Browser;

/// <summary>
/// The web map in a real browser (Debian's chromium, software WebGL): the real API on a Kestrel port against a
/// seeded copy of the database, the real web host (static files + reverse proxy) in front of it.
/// </summary>
[Collection("postgis")]
public sealed class WebMapTests(PostgisFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    const int FirstLoadBudgetBytes = 277 * 1024;
    const string ChauKhe = "17248";

    BrowserHost? _host;
    ApiFactory? _api;
    IBrowser? _browser;
    string _webUrl = "";

    public async Task InitializeAsync()
    {
        _host = await BrowserHost.StartAsync(await fixture.CreateDatabaseAsync());
        (_api, _browser, _webUrl) = (_host.Api, _host.Browser, _host.WebUrl);
        Log($"API {_host.ApiUrl}, web {_webUrl}");
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }

    void Log(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    [Fact]
    public async Task Search_select_click_on_the_map_and_switch_language()
    {
        var context = await _browser!.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 1280, Height = 800 },
            ReducedMotion = ReducedMotion.Reduce,      // the app then moves the camera without animation
            Locale = "vi-VN",
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        var responses = new List<IResponse>();
        page.Response += (_, r) => responses.Add(r);

        // ---- first load, measured on the wire (compressed bodies + headers), tiles and API JSON excluded
        await page.GotoAsync(_webUrl + "/", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await WaitForMapIdle(page);
        long total = 0;
        foreach (var response in responses.ToList())
        {
            var path = new Uri(response.Url).AbsolutePath;
            if (path.StartsWith("/tiles/") || path.StartsWith("/api/") || !response.Url.StartsWith("http")) continue;
            var sizes = await response.Request.SizesAsync();
            var bytes = Math.Max(0, sizes.ResponseBodySize) + Math.Max(0, sizes.ResponseHeadersSize);
            total += bytes;
            var encoding = await response.HeaderValueAsync("content-encoding") ?? "identity";
            Log($"  {bytes,8:N0} B  {encoding,-8} {path}");
            if (path.EndsWith(".js") || path.EndsWith(".css") || path == "/")
                Assert.True(encoding is "br" or "gzip", $"{path} is sent {encoding}");
        }
        Log($"First load: {total:N0} bytes ({total / 1024.0:F1} KB) compressed, budget {FirstLoadBudgetBytes / 1024} KB");
        Assert.True(total <= FirstLoadBudgetBytes, $"first load {total:N0} B > {FirstLoadBudgetBytes:N0} B");
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
        await WaitForPanel(page, ChauKhe);
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
        await WaitForMapIdle(page);
        await Screenshot(page, "chau-khe");

        // ---- a real mouse click on a neighbour drawn on the map
        var neighbourCodes = await page.Locator("#ring1 li[data-code]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.code)");
        var (code, x, y) = await FindClickablePoint(page, neighbourCodes);
        await page.Mouse.ClickAsync((float)x, (float)y);
        await WaitForPanel(page, code);
        var clickedName = await page.InnerTextAsync("#name");
        Log($"Clicked the map at ({x:F0}, {y:F0}): {clickedName} ({code})");
        await Assertions.Expect(page.Locator($"#ring1 li[data-code='{ChauKhe}']")).ToHaveCountAsync(1);

        // ---- a former (pre-merger) name, chosen with the keyboard
        await page.FillAsync("#search", "chau tien");
        await page.Locator("#results li", new() { HasText = "tên cũ: Xã Châu Tiến" }).WaitForAsync();
        await page.FillAsync("#search", "chau khe");
        await page.PressAsync("#search", "Enter");
        await WaitForPanel(page, ChauKhe);

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
        await WaitForPanel(page, ChauKhe);
        StringAssert(await page.InnerTextAsync("#neighbours"), "Corner contact only");
        await WaitForMapIdle(page);
        await Screenshot(page, "chau-khe-en");

        Assert.True(errors.Count == 0, "browser errors:\n" + string.Join("\n", errors));
        await context.CloseAsync();
    }

    static void StringAssert(string actual, string expected) =>
        Assert.True(actual.Contains(expected), $"expected “{expected}” in “{actual}”");

    static Task WaitForPanel(IPage page, string code) =>
        page.WaitForSelectorAsync($"#panel[data-code='{code}'][data-state='ready']");

    static Task WaitForMapIdle(IPage page) => page.WaitForFunctionAsync(
        "() => { const m = window.coordinationMap; return m && m.loaded() && m.areTilesLoaded() && !m.isMoving() && m.getLayer('communes-fill'); }");

    /// <summary>
    /// A screen point inside one of the given communes, not covered by the panel or other controls: the
    /// commune's label point projected to the screen, checked with the map's own hit test.
    /// </summary>
    async Task<(string code, double x, double y)> FindClickablePoint(IPage page, string[] codes)
    {
        foreach (var code in codes)
        {
            var hit = await page.EvaluateAsync<JsonElement>("""
                async (code) => {
                  const map = window.coordinationMap;
                  const f = await (await fetch('/api/communes/' + code)).json();
                  const p = map.project(f.properties.labelPoint);
                  const rect = map.getCanvas().getBoundingClientRect();
                  const x = rect.left + p.x, y = rect.top + p.y;
                  const onCanvas = document.elementFromPoint(x, y) === map.getCanvas();
                  const ids = map.queryRenderedFeatures([p.x, p.y], { layers: ['communes-fill'] }).map(f => f.id);
                  return { x, y, ok: onCanvas && ids.length === 1 && ids[0] === Number(code) };
                }
                """, code);
            if (hit.GetProperty("ok").GetBoolean())
                return (code, hit.GetProperty("x").GetDouble(), hit.GetProperty("y").GetDouble());
        }
        throw new Xunit.Sdk.XunitException("no neighbour of the selection is visible and clickable on the map");
    }

    async Task Screenshot(IPage page, string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"coordination-web-{name}.png");
        await page.ScreenshotAsync(new() { Path = path });
        Log($"Screenshot: {path}");
    }
}
