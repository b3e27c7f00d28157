using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// The map over a mountain commune's link — 400 kbit/s each way and 400 ms of latency, Chromium's own network
/// emulation — measured, not asserted: when the search box is drawn, when a search typed at once is answered, when
/// the map is usable, cold and on a repeat visit. The figures are printed for the issue's budgets (search ≤ 3 s
/// cold, map ≤ 7 s cold, ≤ 1.5 s repeat); the test itself checks only that each of them eventually happens, and that
/// what was typed before the scripts ran is searched (not dropped).
/// </summary>
[Collection("postgis")]
public sealed class SlowLinkTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    const string MapUsable = "() => { const m = window.coordinationMap; return !!(m && m.loaded() && m.areTilesLoaded() && m.getLayer('communes-fill')); }";

    [Fact]
    public async Task Search_and_map_over_a_400_kbit_link_cold_and_on_a_repeat_visit()
    {
        var context = await Host.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, Locale = "vi-VN" });
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 400, ["downloadThroughput"] = 400_000 / 8, ["uploadThroughput"] = 400_000 / 8,
        });
        long bytes = 0;
        page.Response += async (_, r) => { try { var s = await r.Request.SizesAsync(); Interlocked.Add(ref bytes, Math.Max(0, s.ResponseBodySize) + Math.Max(0, s.ResponseHeadersSize)); } catch (PlaywrightException) { } };

        // Times in the page, from the navigation's start (performance.now): scripts ready, map usable, first answer.
        await page.AddInitScriptAsync("""
            (() => {
              const iv = setInterval(() => {
                const m = window.coordinationMap;
                if (window.__readyAt == null && window.coordination) window.__readyAt = performance.now();
                if (window.__libAt == null && typeof maplibregl !== 'undefined') window.__libAt = performance.now();
                if (window.__answerAt == null && [...document.querySelectorAll('#results li')].some(li => li.textContent.includes('Châu Khê')))
                  window.__answerAt = performance.now();
                if (window.__mapAt == null && m && m.loaded() && m.areTilesLoaded() && m.getLayer('communes-fill')) window.__mapAt = performance.now();
                if (window.__mapAt != null && window.__answerAt != null) clearInterval(iv);
              }, 25);
            })();
            """);
        static async Task<double?> At(IPage p, string name) => await p.EvaluateAsync<double?>($"() => window.{name} ?? null") is { } ms ? ms / 1000 : null;

        // ---- cold: a user types as soon as the search box is there
        await page.GotoAsync(Host.WebUrl + "/", new() { WaitUntil = WaitUntilState.Commit, Timeout = 120_000 });
        await page.Locator("#search").WaitForAsync(new() { Timeout = 120_000 });
        var drawn = await page.EvaluateAsync<double>("() => performance.now()") / 1000;
        // the empty map says it is loading until the first tiles are drawn
        await Assertions.Expect(page.Locator("#map-loading")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#map-loading")).ToContainTextAsync("Đang tải bản đồ");
        await page.Locator("#search").PressSequentiallyAsync("chau khe");
        await page.WaitForFunctionAsync("() => window.__readyAt != null", null, new() { Timeout = 120_000, PollingInterval = 50 });
        var honoured = await WaitForAnswerAsync(page, TimeSpan.FromSeconds(3)) is not null;
        if (!honoured)
        {
            // what was typed before the scripts ran was dropped: type again, now that the page listens
            await page.FillAsync("#search", "");
            await page.Locator("#search").PressSequentiallyAsync("chau khe");
        }
        var answered = await WaitForAnswerAsync(page, TimeSpan.FromSeconds(60));
        await page.WaitForFunctionAsync("() => window.__mapAt != null", null, new() { Timeout = 120_000, PollingInterval = 50 });
        var (ready, searchAt, mapAt, libAt) = (await At(page, "__readyAt"), await At(page, "__answerAt"), await At(page, "__mapAt"), await At(page, "__libAt"));
        var coldBytes = Interlocked.Read(ref bytes);
        await Assertions.Expect(page.Locator("#map-loading")).ToBeHiddenAsync();

        // ---- repeat visit, same browser (its cache)
        Interlocked.Exchange(ref bytes, 0);
        await page.GotoAsync(Host.WebUrl + "/", new() { WaitUntil = WaitUntilState.Commit, Timeout = 120_000 });
        await page.WaitForFunctionAsync("() => window.__mapAt != null", null, new() { Timeout = 120_000, PollingInterval = 50 });
        var repeatMapAt = await At(page, "__mapAt");
        var repeatBytes = Interlocked.Read(ref bytes);

        Log($"400 kbit/s, 400 ms, phone 390×844, cold cache:");
        Log($"  search box drawn       {drawn,6:F1} s, 'chau khe' typed into it at once: {(honoured ? "honoured" : "DROPPED (typed again)")}");
        Log($"  scripts ready          {ready,6:F1} s");
        Log($"  search answered        {searchAt,6:F1} s   (budget 3 s)");
        Log($"  map library arrived    {libAt,6:F1} s");
        Log($"  map usable             {mapAt,6:F1} s   (budget 7 s), {coldBytes / 1024.0:F0} KB on the wire");
        Log($"repeat visit: map usable {repeatMapAt,6:F1} s   (budget 1.5 s), {repeatBytes / 1024.0:F0} KB on the wire");
        Assert.NotNull(answered);
        Assert.True(honoured, "what was typed before the scripts ran is searched once they run");
        await context.CloseAsync();
    }

    /// <summary>The first result once the search answered "Châu Khê", or null if it did not within the time.</summary>
    static async Task<string?> WaitForAnswerAsync(IPage page, TimeSpan within)
    {
        try
        {
            await page.Locator("#results li", new() { HasText = "Châu Khê" }).First.WaitForAsync(new() { Timeout = (float)within.TotalMilliseconds });
            return await page.Locator("#results li").First.InnerTextAsync();
        }
        catch (TimeoutException) { return null; }
    }

    /// <summary>
    /// The map library held back (a link that has not delivered its 225 KB yet): search answers, the commune panel
    /// opens, a leader signs in and their own requests list loads — and the page says the map is still loading.
    /// Then it arrives, and the map fills in.
    /// </summary>
    [Fact]
    public async Task Search_panel_and_own_lists_work_before_the_map_library_arrives()
    {
        var release = new TaskCompletionSource();
        // no service worker: its fetches would bypass the route that holds the library back
        var context = await Host.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, Locale = "vi-VN", ServiceWorkers = ServiceWorkerPolicy.Block });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.RouteAsync("**/lib/maplibre-gl.js*", async route => { await release.Task; await route.ContinueAsync(); });
        await page.GotoAsync(Host.WebUrl + "/", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        await page.FillAsync("#search", "chau khe");
        var candidate = page.Locator("#results li", new() { HasText = "Châu Khê" }).First;
        await candidate.ClickAsync();
        await page.WaitForSelectorAsync("#panel[data-code='17248'][data-state='ready']");
        await Assertions.Expect(page.Locator("#name")).ToHaveTextAsync("Châu Khê");
        await Assertions.Expect(page.Locator("#ring1 li", new() { HasText = "Con Cuông" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#map-loading")).ToBeVisibleAsync();

        // a leader's own lists
        await page.ClickAsync("#signin");
        await page.FillAsync("#signin-user", "concuong.leader");
        await page.FillAsync("#signin-password", Session.DemoPassword);
        await page.ClickAsync("#signin-submit");
        await page.ClickAsync("#aid-toggle");
        await Assertions.Expect(page.Locator("#aid-requests")).ToBeVisibleAsync();
        Assert.False(await page.EvaluateAsync<bool>("() => typeof maplibregl !== 'undefined'"), "the map library was held back all along");

        release.SetResult();
        await page.WaitForFunctionAsync(MapUsable, null, new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#map-loading")).ToBeHiddenAsync();
        Assert.Empty(errors);
        await context.CloseAsync();
    }
}
