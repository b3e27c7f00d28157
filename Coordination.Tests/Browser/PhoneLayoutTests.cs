using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// The map on a 390 × 844 phone: the whole country in the first view (Hoàng Sa and Trường Sa too), the legend folded
/// to its title until asked for, and after sign-in a search still wide enough to use, the user's name and role
/// shown, sign-out not the first thing under the thumb, and every control of the bar at least 44 px high.
/// </summary>
[Collection("postgis")]
public sealed class PhoneLayoutTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    static Task<bool> InViewAsync(IPage page, double lon, double lat) => page.EvaluateAsync<bool>(
        FormattableString.Invariant($"() => window.coordinationMap.getBounds().contains([{lon}, {lat}])"));

    [Fact]
    public async Task A_phone_sees_the_whole_country_a_folded_legend_and_a_usable_bar_after_sign_in()
    {
        var app = await OpenAsync(phone: true);
        var page = app.Page;
        await app.WaitForMapIdleAsync();

        // ---- the first national view: the mainland's ends and both archipelagos
        Assert.True(await InViewAsync(page, 105.3, 23.3), "Lũng Cú, the northern tip");
        Assert.True(await InViewAsync(page, 104.8, 8.6), "Cà Mau, the southern tip");
        Assert.True(await InViewAsync(page, 112.7, 17.1), "Hoàng Sa");
        Assert.True(await InViewAsync(page, 117.8, 7.2), "Trường Sa");

        // ---- the legend is folded to its title, and opens and folds again at a tap
        var toggle = page.Locator("#legend-toggle");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(page.Locator("#legend-body")).ToBeHiddenAsync();
        var folded = (await page.Locator("#legend").BoundingBoxAsync())!;
        Assert.True(folded.Height <= 60, $"folded legend {folded.Height} px high");
        await toggle.TapAsync();
        await Assertions.Expect(page.Locator("#legend-body")).ToBeVisibleAsync();
        await toggle.TapAsync();
        await Assertions.Expect(page.Locator("#legend-body")).ToBeHiddenAsync();

        // ---- signed in as a commune leader
        await app.SignInAsync("chaukhe.leader");
        await Assertions.Expect(page.Locator("#user-name")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#user-role")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#user-role")).ToHaveTextAsync("Chủ tịch UBND xã");

        var search = (await page.Locator("#search").BoundingBoxAsync())!;
        Log($"search box {search.Width:F0} × {search.Height:F0} px at y = {search.Y:F0}");
        Assert.True(search.Width >= 260, $"search is {search.Width} px wide");

        // the bar's controls in reading order (top to bottom, left to right): sign-out is not the first, all ≥ 44 px
        var controls = await page.EvaluateAsync<JsonElement>("""
            () => [...document.querySelectorAll('#bar button, #bar a, #bar input')].filter(e => e.offsetParent !== null)
              .map(e => { const r = e.getBoundingClientRect(); return { id: e.id, x: r.x, y: r.y, h: r.height, w: r.width }; })
              .sort((a, b) => Math.round(a.y / 10) - Math.round(b.y / 10) || a.x - b.x)
            """);
        var list = controls.EnumerateArray().Select(c => (Id: c.GetProperty("id").GetString()!, H: c.GetProperty("h").GetDouble(), W: c.GetProperty("w").GetDouble())).ToList();
        Log("bar: " + string.Join(", ", list.Select(c => $"{c.Id} {c.W:F0}×{c.H:F0}")));
        Assert.NotEqual("signout", list[0].Id);
        Assert.All(list, c => Assert.True(c.H >= 44, $"{c.Id} is {c.H} px high"));
        var bar = (await page.Locator("#bar").BoundingBoxAsync())!;
        Assert.True(bar.Width <= 390.5, $"bar {bar.Width} px wide");
        Assert.True(bar.Height <= 112, $"the bar takes {bar.Height} px of the screen (two rows at most)");

        // the search answers under the bar, and the map starts below the bar
        await page.FillAsync("#search", "con cuong");
        await Assertions.Expect(page.Locator("#results li").First).ToContainTextAsync("Con Cuông");
        var map = (await page.Locator("#map").BoundingBoxAsync())!;
        Assert.True(map.Y >= bar.Y + bar.Height - 1, $"map at {map.Y}, bar ends at {bar.Y + bar.Height}");
        await app.ScreenshotAsync("phone-signed-in");
    }

    [Fact]
    public async Task On_a_phone_the_aid_sheet_says_what_happened_where_the_user_is_looking()
    {
        const string ChauKhe = "17248", ConCuong = "17254";
        await Aid.AidTestData.StockAsync(Cs, ChauKhe, "boat", 10);
        var filed = await Aid.AidTestData.FileAsync(await ApiAs("concuong.leader"), Cs, ConCuong, null, ("boat", 6));

        var app = await OpenAsync(phone: true);
        var page = app.Page;
        await app.SignInAsync("concuong.leader");
        await app.OpenAidAsync();
        await page.Locator($"#aid-requests .aid-open").First.TapAsync();
        await Assertions.Expect(page.Locator("#aid-request")).ToHaveAttributeAsync("data-request", filed.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // the suggestion is further down the sheet: the user scrolls to it and taps "ask"
        var ask = page.Locator($"#aid-matches li.aid-suggestion[data-donor='{ChauKhe}'] button.aid-ask");
        await ask.ScrollIntoViewIfNeededAsync();
        await ask.TapAsync();
        var message = page.Locator("#aid-message");
        await Assertions.Expect(message).ToHaveTextAsync("Đã đề nghị xã Châu Khê hỗ trợ 6 chiếc.");
        var box = (await message.BoundingBoxAsync())!;
        var sheet = (await page.Locator("#aid").BoundingBoxAsync())!;
        Log($"message at y = {box.Y:F0}–{box.Y + box.Height:F0}, sheet {sheet.Y:F0}–{sheet.Y + sheet.Height:F0}");
        Assert.True(box.Y >= sheet.Y - 0.5 && box.Y + box.Height <= sheet.Y + sheet.Height + 0.5, "the confirmation is inside the visible sheet");
        Assert.True(box.Y + box.Height <= 844, "and on the screen");
        await app.ScreenshotAsync("phone-aid-asked");
    }
}
