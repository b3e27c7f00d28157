using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// A leader adds a hamlet on the map: it is listed in the commune's panel, drawn labelled (with its diacritics, in
/// the app's own glyphs) and found by search without diacritics; filing a request offers it, and choosing it places
/// the request at the hamlet.
/// </summary>
[Collection("postgis")]
public sealed class HamletsBrowserTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    const string ConCuong = "17254";
    const string Name = "Bản Khe Thần";

    [Fact]
    public async Task A_hamlet_added_by_a_leader_is_drawn_labelled_and_offered_when_filing()
    {
        var app = await OpenAsync();
        var page = app.Page;
        await app.WaitForMapIdleAsync();
        await app.SignInAsync("concuong.leader");
        await app.WaitForPanelAsync(ConCuong);
        var section = page.Locator("#commune-hamlets");
        await Assertions.Expect(section.Locator("h3")).ToContainTextAsync("Thôn, bản, tổ dân phố");

        // ---- add it: name, then its place picked on the map inside Con Cuông
        await page.ClickAsync("#hamlet-add");
        await page.FillAsync("#hamlet-name", Name);
        await page.FillAsync("#hamlet-households", "64");
        await page.CheckAsync("#hamlet-flood");
        await page.ClickAsync("#hamlet-pick");
        await app.WaitForMapIdleAsync();
        var (x, y) = await app.PointInsideAsync(ConCuong);
        await page.Mouse.ClickAsync((float)x, (float)y);
        await Assertions.Expect(page.Locator("#hamlet-point")).ToHaveAttributeAsync("data-set", "true");
        Assert.Equal(ConCuong, await app.Page.EvaluateAsync<string>("() => document.querySelector('#panel').dataset.code"));   // the click placed, it did not select
        await page.ClickAsync("#hamlet-save");
        var item = section.Locator("#hamlets-list li", new() { HasText = Name });
        await Assertions.Expect(item).ToContainTextAsync("64 hộ");
        await Assertions.Expect(item).ToContainTextAsync("hay ngập");

        // ---- on the map, labelled as written
        await using (var db = PostgisFixture.NewContext(Cs))
        {
            var h = await db.Hamlets.SingleAsync(x => x.CommuneCode == ConCuong && x.Name == Name);
            await page.EvaluateAsync("([lon, lat]) => new Promise(r => { const m = window.coordinationMap; m.once('idle', () => r(true)); m.jumpTo({ center: [lon, lat], zoom: 13 }); })",
                new[] { h.Location.X, h.Location.Y });
        }
        await page.WaitForFunctionAsync("(name) => window.coordinationMap.queryRenderedFeatures({ layers: ['hamlets-label'] }).some(f => f.properties.name === name)", Name,
            new() { Timeout = 15000 });
        await app.ScreenshotAsync("hamlet-labelled");

        // ---- search finds it without diacritics
        await page.FillAsync("#search", "khe than");
        await Assertions.Expect(page.Locator("#results li", new() { HasText = Name })).ToContainTextAsync("Con Cuông");

        // ---- filing a request offers it; choosing it places the request there
        await page.Keyboard.PressAsync("Escape");
        await app.OpenAidAsync();
        await page.ClickAsync("#aid-new");
        var pick = page.Locator("#aid-hamlet-pick");
        await Assertions.Expect(pick.Locator("option", new() { HasText = Name })).ToHaveCountAsync(1);
        await pick.SelectOptionAsync(new SelectOptionValue { Label = Name });
        await Assertions.Expect(page.Locator("#aid-point")).ToHaveAttributeAsync("data-set", "true");
        Assert.Equal(Name, await page.InputValueAsync("#aid-hamlet"));
        await page.SelectOptionAsync("#aid-form .aid-line select[name='resourceType']", "boat");
        await page.FillAsync("#aid-form .aid-line input[name='quantity']", "2");
        await page.ClickAsync("#aid-submit");
        var duplicate = page.Locator("#aid-confirm-duplicate");
        var request = page.Locator("#aid-request");
        await Assertions.Expect(request.Or(duplicate)).ToBeVisibleAsync();
        if (await duplicate.IsVisibleAsync()) await duplicate.ClickAsync();
        await Assertions.Expect(request).ToBeVisibleAsync();
        var id = int.Parse((await request.GetAttributeAsync("data-request"))!, System.Globalization.CultureInfo.InvariantCulture);
        await using (var db = PostgisFixture.NewContext(Cs))
        {
            var r = await db.AidRequests.SingleAsync(x => x.Id == id);
            var h = await db.Hamlets.SingleAsync(x => x.CommuneCode == ConCuong && x.Name == Name);
            Assert.Equal((h.Id, Name), (r.HamletId!.Value, r.Hamlet));
            Assert.True(r.Location.EqualsExact(h.Location, 1e-9), $"request at {r.Location}, hamlet at {h.Location}");
        }
        Assert.Empty(app.Errors);
    }
}
