using Coordination.Api.MutualAid;
using Coordination.Tests.Aid;
using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// A donor commune's leader on a phone whose link drops: the page keeps working from the service worker's copies
/// (a reload included), says it is offline and how old what it shows is; the inventory change and the answers to
/// two asks made offline are queued in IndexedDB and replayed when the link returns — each applied once, and the one
/// the server can no longer apply (the requester withdrew the ask meanwhile) is said in words, not dropped.
/// </summary>
[Collection("postgis")]
public sealed class OfflineTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    const string ChauKhe = "17248", ConCuong = "17254";

    [Fact]
    public async Task Changes_made_offline_reach_the_server_once_and_a_refused_replay_is_said_in_words()
    {
        // ---- Con Cuông asks Châu Khê for 6 boats and 20 life jackets
        await AidTestData.StockAsync(Cs, ChauKhe, "boat", 10);
        await AidTestData.StockAsync(Cs, ChauKhe, "life_jacket", 50);
        var requester = await ApiAs("concuong.leader");
        var request = await AidTestData.FileAsync(requester, Cs, ConCuong, null, ("boat", 6), ("life_jacket", 20));
        async Task<PledgeDto> Ask(string type, int quantity) => await requester.SendAsync<PledgeDto>(HttpMethod.Post, "/api/pledges",
            new { lineId = request.Lines.Single(l => l.ResourceType == type).Id, donorCode = ChauKhe, quantity }, HttpStatusCode.Created);
        var boats = await Ask("boat", 6);
        var jackets = await Ask("life_jacket", 20);

        // ---- Châu Khê's leader, online: the page is taken over by the service worker and has seen its screens
        var app = await OpenAsync(phone: true);
        var page = app.Page;
        await app.SignInAsync("chaukhe.leader");
        await app.WaitForPanelAsync(ChauKhe);
        await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller != null", null, new() { Timeout = 15000 });
        // its own area (the commune and ring 1) is kept for offline use, zoom 8 to 14
        await page.WaitForFunctionAsync("() => Number(document.documentElement.dataset.tilesKept) > 0", null, new() { Timeout = 60000 });
        Log($"tiles kept for offline use: {await page.EvaluateAsync<string>("() => document.documentElement.dataset.tilesKept")}");
        await app.OpenAidAsync();
        await page.ClickAsync("#aid-tab-inventory");
        await Assertions.Expect(page.Locator("#aid-inventory tr[data-type='boat'] input.aid-onhand")).ToHaveValueAsync("10");
        await page.ClickAsync("#aid-tab-incoming");
        await Assertions.Expect(page.Locator("li.aid-incoming[data-status='requested']")).ToHaveCountAsync(2);

        // ---- the link drops; a reload still shows the page, signed in, saying since when its data dates
        await app.Context.SetOfflineAsync(true);
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.Locator("#offline-state")).ToContainTextAsync("Đang ngoại tuyến");
        await Assertions.Expect(page.Locator("#offline-state")).ToContainTextAsync("Dữ liệu hiển thị từ");
        // the map too, from the kept tiles, its names drawn from the kept glyphs
        await page.WaitForFunctionAsync("() => { const m = window.coordinationMap; return !!m && m.loaded() && m.queryRenderedFeatures({ layers: ['commune-labels'] }).some(f => f.properties.name === 'Châu Khê'); }",
            null, new() { Timeout = 30000 });
        await page.Locator("#aid-toggle").WaitForAsync();
        if (!await page.Locator("#aid").IsVisibleAsync()) await page.ClickAsync("#aid-toggle");

        // ---- offline: 12 boats on hand, accept 4 boats, accept the 20 jackets — each kept on the phone
        await page.ClickAsync("#aid-tab-inventory");
        var boatRow = page.Locator("#aid-inventory tr[data-type='boat']");
        await boatRow.Locator("input.aid-onhand").FillAsync("12");
        await boatRow.Locator("button.aid-save-row").ClickAsync();
        await Assertions.Expect(page.Locator("#aid-message")).ToContainTextAsync("sẽ tự gửi khi có mạng");
        await page.ClickAsync("#aid-tab-incoming");
        var boatAsk = page.Locator($"li.aid-incoming[data-pledge='{boats.Id}']");
        await boatAsk.Locator("input.aid-accept-qty").FillAsync("4");
        await boatAsk.Locator("button.aid-accept").ClickAsync();
        await Assertions.Expect(page.Locator("#outbox-count")).ToContainTextAsync("2");
        var jacketAsk = page.Locator($"li.aid-incoming[data-pledge='{jackets.Id}']");
        await jacketAsk.Locator("input.aid-accept-qty").FillAsync("20");
        await jacketAsk.Locator("button.aid-accept").ClickAsync();
        await Assertions.Expect(page.Locator("#outbox-count")).ToContainTextAsync("3");
        await Assertions.Expect(page.Locator("#outbox-list")).ToContainTextAsync($"Cập nhật kho (Thuyền, xuồng)Nhận đề nghị #{boats.Id}Nhận đề nghị #{jackets.Id}");
        await app.ScreenshotAsync("offline-queued");
        Assert.Equal((10, 0), await AidTestData.StockOfAsync(Cs, ChauKhe, "boat"));   // nothing reached the server

        // meanwhile Con Cuông withdraws the jackets ask (it found them elsewhere)
        Assert.Equal(HttpStatusCode.OK, (await requester.SendAsync(HttpMethod.Post, $"/api/pledges/{jackets.Id}/cancel")).StatusCode);

        // ---- the link returns: the queue is replayed
        await app.Context.SetOfflineAsync(false);
        await Assertions.Expect(page.Locator("#outbox-count")).ToHaveCountAsync(0, new() { Timeout = 30000 });
        var refused = page.Locator("#outbox-refused");
        await Assertions.Expect(refused).ToContainTextAsync($"Nhận đề nghị #{jackets.Id}");
        await Assertions.Expect(refused).ToContainTextAsync("hiện đã ở trạng thái «Đã rút»");
        await Assertions.Expect(page.Locator("#offline-state")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#aid-message", new() { HasText = "sẽ tự gửi" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"li.aid-incoming[data-pledge='{boats.Id}']")).ToHaveAttributeAsync("data-status", "accepted");
        await app.ScreenshotAsync("offline-replayed");

        // each change once
        Assert.Equal((12, 4), await AidTestData.StockOfAsync(Cs, ChauKhe, "boat"));
        await using var db = PostgisFixture.NewContext(Cs);
        var pledges = await db.Pledges.Where(p => p.Id == boats.Id || p.Id == jackets.Id).ToDictionaryAsync(p => p.Id);
        Assert.Equal((PledgeStatus.Accepted, (int?)4), (pledges[boats.Id].Status, pledges[boats.Id].QuantityAccepted));
        Assert.Equal(PledgeStatus.Cancelled, pledges[jackets.Id].Status);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "pledge.accept" && e.EntityId == boats.Id.ToString()));
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == AidAudit.InventoryChanged && e.CommuneCode == ChauKhe));
        // the writes carried their Idempotency-Key (kept with the answer for replays)
        Assert.True(await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM idempotent_responses").SingleAsync() >= 2);
        await app.CloseAsync();
    }
}
