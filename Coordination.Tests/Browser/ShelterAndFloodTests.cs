using Coordination.Api.Hazards;
using Microsoft.Playwright;
using static Coordination.Tests.Hazards.HazardTestData;

namespace Coordination.Tests.Browser;

/// <summary>
/// The two things a commune chairman does first in a flood, in the web map (real API in Development mode with its
/// demo users, real web host and proxy, Debian's chromium): declare the flood for the commune and later close it,
/// add a shelter placed on the map and keep its count of people from a phone — and a leader of another commune
/// is not offered any of it there.
/// </summary>
[Collection("postgis")]
public sealed class ShelterAndFloodTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    // Chromium logs every refused request as a failed resource; the test provokes a 409 (the flood declared twice)
    // on purpose and checks what the page shows instead.
    protected override IReadOnlyCollection<int> ProvokedStatuses => [409];

    protected override string MapLayer => "offices";

    [Fact]
    public async Task A_commune_leader_declares_a_flood_for_the_commune_sees_it_on_the_map_and_closes_it()
    {
        var app = await OpenAsync();
        var page = app.Page;
        var seat = await app.SeatOfAsync(ChauKhe);
        await app.SignInAsync("chaukhe.leader");
        await app.WaitForPanelAsync(ChauKhe);
        await Assertions.Expect(page.Locator("#commune-no-flood")).ToHaveTextAsync("Không có đợt lũ nào đang diễn ra ở xã này.");
        Assert.False(await page.IsCheckedAsync("#toggle-floods"));

        // ---- declare: the leader's own commune, fixed; a name proposed; starting now; the whole commune
        await page.ClickAsync("#declare-flood");
        await page.WaitForSelectorAsync($"#panel[data-declare='{ChauKhe}']");
        Assert.Equal("Công bố đợt lũ", await page.InnerTextAsync("#declare-title"));
        var choices = page.Locator("#declare-communes label.choice");
        await Assertions.Expect(choices).ToHaveCountAsync(1);
        Assert.Equal("Xã Châu Khê", (await choices.InnerTextAsync()).Trim());
        Assert.True(await page.IsCheckedAsync($"#declare-communes label[data-code='{ChauKhe}'] input"));
        Assert.StartsWith("Lũ xã Châu Khê ", await page.InputValueAsync("#declare-name"));
        Assert.True(await page.IsCheckedAsync("#declare-area-whole"));
        Assert.False(string.IsNullOrEmpty(await page.InputValueAsync("#declare-started")));
        await page.FillAsync("#declare-name", "Lũ quét 22/7 — Châu Khê");
        await page.ClickAsync("#declare-submit");

        // ---- the flood's panel; the flood layer turned on with it; the map draws it over the commune
        await app.WaitForFloodAsync();
        var id = int.Parse((await page.GetAttributeAsync("#panel", "data-flood"))!);
        Assert.Equal("Lũ quét 22/7 — Châu Khê", await page.InnerTextAsync("#flood-name"));
        StringAssert(await page.InnerTextAsync("#flood-status"), "Đang diễn ra từ");
        Assert.Equal("Xã Châu Khê", await page.InnerTextAsync("#flood-communes"));
        Assert.Equal("Cả xã (chưa vẽ vùng ngập)", await page.InnerTextAsync("#flood-extent"));
        StringAssert(await page.InnerTextAsync("#flood-message"), "Đã công bố đợt lũ.");
        await Assertions.Expect(page.Locator("#toggle-floods")).ToBeCheckedAsync();
        await page.WaitForSelectorAsync("#layer-floods[data-state='ready']");
        await Assertions.Expect(page.Locator("#legend-floods")).ToHaveTextAsync("Đang diễn ra: Lũ quét 22/7 — Châu Khê");
        await Assertions.Expect(page.Locator("#legend-floods-whole")).ToBeVisibleAsync();
        await app.WaitForMapIdleAsync();
        Assert.Equal(id, await FloodDrawnAt(page, seat));
        await app.ScreenshotAsync("flood-declared");
        var active = await app.ActiveFloodsAsync();
        var feature = Assert.Single(active.GetProperty("features").EnumerateArray());
        Assert.Equal(id, feature.GetProperty("id").GetInt32());
        Assert.Equal("communes", feature.GetProperty("properties").GetProperty("extent").GetString());
        Assert.Equal(ChauKhe, feature.GetProperty("properties").GetProperty("communes")[0].GetProperty("code").GetString());

        // ---- the commune panel lists it; declaring it again is refused, in Vietnamese words
        await page.ClickAsync($"#flood-communes button[data-code='{ChauKhe}']");
        await app.WaitForPanelAsync(ChauKhe);
        await Assertions.Expect(page.Locator($"#commune-flood-list li[data-flood='{id}']")).ToContainTextAsync("Lũ quét 22/7 — Châu Khê");
        await page.ClickAsync("#declare-flood");
        await page.FillAsync("#declare-name", "Lũ lần hai");
        await page.ClickAsync("#declare-submit");
        var refusal = page.Locator("#declare-error");
        await Assertions.Expect(refusal).ToHaveTextAsync("Xã Châu Khê đã có đợt lũ «Lũ quét 22/7 — Châu Khê» đang diễn ra — không cần công bố lại.");
        Assert.Single((await app.ActiveFloodsAsync()).GetProperty("features").EnumerateArray());
        await page.ClickAsync("#declare-cancel");
        await app.WaitForPanelAsync(ChauKhe);

        // ---- close it from its panel, after a confirmation
        await page.ClickAsync($"#commune-flood-list li[data-flood='{id}'] button");
        await app.WaitForFloodAsync(id);
        await page.ClickAsync("#close-flood");
        await Assertions.Expect(page.Locator("#close-flood-question")).ToHaveTextAsync(
            "Kết thúc đợt lũ «Lũ quét 22/7 — Châu Khê»? Các xã sẽ lại được đề xuất làm bên hỗ trợ, và văn phòng trong vùng không còn hiện là đang ngập.");
        Assert.Single((await app.ActiveFloodsAsync()).GetProperty("features").EnumerateArray());   // asked, not yet closed
        await page.ClickAsync("#close-flood-confirm");
        await Assertions.Expect(page.Locator("#flood-message")).ToHaveTextAsync("Đã kết thúc đợt lũ.");
        StringAssert(await page.InnerTextAsync("#flood-status"), "Đã kết thúc lúc");
        Assert.Equal(0, await page.Locator("#close-flood").CountAsync());
        await Assertions.Expect(page.Locator("#legend-floods")).ToHaveTextAsync("Không có đợt lũ nào đang diễn ra.");
        Assert.Empty((await app.ActiveFloodsAsync()).GetProperty("features").EnumerateArray());
        await app.WaitForMapIdleAsync();
        Assert.Null(await FloodDrawnAt(page, seat));

        // ---- in English too
        await page.SwitchLanguageAsync();
        StringAssert(await page.InnerTextAsync("#flood-status"), "Ended");
        Assert.Equal("Whole communes (area not drawn)", await page.InnerTextAsync("#flood-extent"));

        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        await app.CloseAsync();
    }

    [Fact]
    public async Task A_commune_leader_adds_a_shelter_on_the_map_and_counts_the_people_in_it_from_a_phone()
    {
        var app = await OpenAsync();
        var page = app.Page;
        await app.SignInAsync("chaukhe.leader");
        await app.WaitForPanelAsync(ChauKhe);

        // ---- the form, then a click on the map: outside the commune refused, inside it placed
        await page.ClickAsync("#add-shelter");
        await page.WaitForSelectorAsync($"#panel[data-new-shelter='{ChauKhe}']");
        Assert.Equal("Thêm nơi sơ tán — Xã Châu Khê", await page.InnerTextAsync("#shelter-title"));
        await page.FillAsync("#shelter-name", "Nhà văn hóa bản Xiềng");
        await page.SelectOptionAsync("#shelter-kind", "cultural_house");
        await page.FillAsync("#shelter-capacity", "50");
        await page.ClickAsync("#shelter-save");
        await Assertions.Expect(page.Locator("#shelter-error")).ToHaveTextAsync("Hãy bấm vào bản đồ để đặt vị trí nơi sơ tán.");

        var inside = await LabelPointAsync(Cs, ChauKhe);
        var neighbour = await LabelPointAsync(Cs, ConCuong);
        await page.EvaluateAsync("""
            ([a, b]) => { window.coordinationMap.fitBounds([[Math.min(a[0], b[0]), Math.min(a[1], b[1])], [Math.max(a[0], b[0]), Math.max(a[1], b[1])]],
              { padding: { top: 100, bottom: 260, left: 360, right: 420 }, duration: 0 }); }
            """, new[] { new[] { inside.Lon, inside.Lat }, new[] { neighbour.Lon, neighbour.Lat } });
        await app.WaitForMapIdleAsync();
        var (ox, oy) = await app.ScreenPointAsync(neighbour);
        await page.Mouse.ClickAsync((float)ox, (float)oy);
        await Assertions.Expect(page.Locator("#shelter-error")).ToHaveTextAsync("Điểm vừa bấm nằm ngoài Xã Châu Khê. Hãy bấm trong địa bàn xã.");
        Assert.Equal("false", await page.GetAttributeAsync("#shelter-place", "data-placed"));
        var (x, y) = await app.ScreenPointAsync(inside);
        await page.Mouse.ClickAsync((float)x, (float)y);
        await Assertions.Expect(page.Locator("#shelter-place")).ToHaveAttributeAsync("data-placed", "true");
        Assert.Equal(0, await page.Locator("#shelter-error").CountAsync());
        await app.ScreenshotAsync("shelter-placed");
        await page.ClickAsync("#shelter-save");

        // ---- the new shelter's panel, the API has it where it was clicked
        await Assertions.Expect(page.Locator("#office-message")).ToHaveTextAsync("Đã thêm nơi sơ tán.");
        var officeId = int.Parse((await page.GetAttributeAsync("#panel", "data-office"))!);
        Assert.Equal("Nhà văn hóa bản Xiềng", await page.InnerTextAsync("#office-name"));
        Assert.Equal("Chưa cập nhật số người.", await page.InnerTextAsync("#shelter-count"));
        var saved = (await app.OfficeJsonAsync(officeId)).GetProperty("properties");
        Assert.True(saved.GetProperty("isShelter").GetBoolean());
        Assert.Equal(50, saved.GetProperty("shelterCapacity").GetInt32());
        Assert.Equal(ChauKhe, saved.GetProperty("communeCode").GetString());
        Assert.Equal("cultural_house", saved.GetProperty("kind").GetString());
        var at = (await app.OfficeJsonAsync(officeId)).GetProperty("geometry").GetProperty("coordinates");
        Assert.True(Math.Abs(at[0].GetDouble() - inside.Lon) < 0.002 && Math.Abs(at[1].GetDouble() - inside.Lat) < 0.002, $"placed where clicked: {at}");
        await app.CloseAsync();

        // ---- on a phone: the shelter's link, then taps; taps made while one is on its way add up
        var phoneApp = await OpenAsync(phone: true);
        var phone = phoneApp.Page;
        await phoneApp.SignInAsync("chaukhe.leader");
        await phoneApp.GoToAsync($"/?office={officeId}");
        await phoneApp.WaitForOfficeAsync(officeId);
        await Assertions.Expect(phone.Locator("[data-change='10']")).ToBeVisibleAsync();
        Assert.True(await phone.Locator("[data-change='-1']").IsDisabledAsync(), "nobody to take away yet");
        for (var i = 0; i < 5; i++) await phone.TapAsync("[data-change='10']");
        await phone.TapAsync("[data-change='1']");
        await phone.TapAsync("[data-change='1']");
        await Assertions.Expect(phone.Locator("#shelter-count")).ToHaveTextAsync("52 / 50 người");
        await Assertions.Expect(phone.Locator("#shelter-over")).ToHaveTextAsync("VƯỢT SỨC CHỨA — quá 2 người");
        Assert.Equal("true", await phone.GetAttributeAsync("#shelter-card", "data-over"));
        await WaitForOccupancy(phone, officeId, 52);
        await Assertions.Expect(phone.Locator("#office-message")).ToContainTextAsync("Đã cập nhật lúc");
        await phoneApp.ScreenshotAsync("shelter-over-capacity-phone");

        // ---- an exact count in one go: back under capacity
        await phone.FillAsync("#occupancy-input", "45");
        await phone.TapAsync("#occupancy-save");
        await Assertions.Expect(phone.Locator("#shelter-count")).ToHaveTextAsync("45 / 50 người");
        await Assertions.Expect(phone.Locator("#shelter-over")).ToBeHiddenAsync();
        Assert.Equal("false", await phone.GetAttributeAsync("#shelter-card", "data-over"));
        await WaitForOccupancy(phone, officeId, 45);

        // ---- the commune's list says how full it is; in English too
        await phone.TapAsync("#office-commune");
        await phoneApp.WaitForPanelAsync(ChauKhe);
        await Assertions.Expect(phone.Locator($"#commune-office-list li[data-office='{officeId}']")).ToContainTextAsync("45/50");
        await phone.Locator($"#commune-office-list li[data-office='{officeId}'] button").TapAsync();
        await phoneApp.WaitForOfficeAsync(officeId);
        await phone.SwitchLanguageAsync(tap: true);
        Assert.Equal("45 / 50 people", await phone.InnerTextAsync("#shelter-count"));

        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        Assert.True(phoneApp.Errors.Count == 0, "browser errors (phone):\n" + string.Join("\n", phoneApp.Errors));
        await phoneApp.CloseAsync();
    }

    [Fact]
    public async Task A_leader_of_another_commune_is_not_offered_declaring_closing_adding_or_counting_there()
    {
        // Châu Khê has a flood declared by its leader and a shelter with people in it.
        var chaukhe = await ApiAs("chaukhe.leader");
        var flood = await chaukhe.SendAsync<FloodEventDto>(HttpMethod.Post, "/api/flood-events", new { name = "Lũ Châu Khê", communes = new[] { ChauKhe } },
            HttpStatusCode.Created);
        var floodId = flood.Id;
        var centre = await LabelPointAsync(Cs, ChauKhe);
        var shelter = await (await chaukhe.SendAsync(HttpMethod.Post, "/api/offices", OfficeBody(ChauKhe, "Trường Tiểu học Châu Khê", centre, "school", true, 30)))
            .ExpectJsonAsync(HttpStatusCode.Created);
        var shelterId = shelter.GetProperty("id").GetInt32();
        await (await chaukhe.SendAsync(HttpMethod.Put, $"/api/offices/{shelterId}/occupancy", new { occupancy = 10 })).ExpectJsonAsync(HttpStatusCode.OK);

        var app = await OpenAsync();
        var page = app.Page;
        await app.SignInAsync("concuong.leader");
        // ---- in its own commune Con Cuông's leader is offered both (so their absence below means something)
        await app.WaitForPanelAsync(ConCuong);
        await Assertions.Expect(page.Locator("#declare-flood")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#add-shelter")).ToBeVisibleAsync();

        // ---- in Châu Khê: the flood and the shelter are shown (public), nothing is offered
        await page.FillAsync("#search", "chau khe");
        await page.Locator($"#results li[data-code='{ChauKhe}']").ClickAsync();
        await app.WaitForPanelAsync(ChauKhe);
        await Assertions.Expect(page.Locator($"#commune-flood-list li[data-flood='{floodId}']")).ToContainTextAsync("Lũ Châu Khê");
        await Assertions.Expect(page.Locator($"#commune-office-list li[data-office='{shelterId}']")).ToContainTextAsync("10/30");
        Assert.Equal(0, await page.Locator("#declare-flood").CountAsync());
        Assert.Equal(0, await page.Locator("#add-shelter").CountAsync());

        await page.ClickAsync($"#commune-flood-list li[data-flood='{floodId}'] button");
        await app.WaitForFloodAsync(floodId);
        Assert.Equal("Lũ Châu Khê", await page.InnerTextAsync("#flood-name"));
        StringAssert(await page.InnerTextAsync("#flood-status"), "Đang diễn ra từ");
        Assert.Equal(0, await page.Locator("#flood-closing").CountAsync());
        Assert.Equal(0, await page.Locator("#close-flood").CountAsync());

        await page.ClickAsync($"#flood-communes button[data-code='{ChauKhe}']");
        await app.WaitForPanelAsync(ChauKhe);
        await page.ClickAsync($"#commune-office-list li[data-office='{shelterId}'] button");
        await app.WaitForOfficeAsync(shelterId);
        Assert.Equal("10 / 30 người", await page.InnerTextAsync("#shelter-count"));
        Assert.Equal(0, await page.Locator("#shelter-card .step").CountAsync());
        Assert.Equal(0, await page.Locator("#occupancy-form").CountAsync());
        Assert.Equal(0, await page.Locator("#pick-fallback").CountAsync());

        // ---- Châu Khê's own leader is offered the counting on the same shelter
        var ownApp = await OpenAsync();
        var ownPage = ownApp.Page;
        await ownApp.SignInAsync("chaukhe.leader");
        await ownApp.GoToAsync($"/?office={shelterId}");
        await ownApp.WaitForOfficeAsync(shelterId);
        await Assertions.Expect(ownPage.Locator("#shelter-card .step")).ToHaveCountAsync(4);

        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        Assert.True(ownApp.Errors.Count == 0, "browser errors:\n" + string.Join("\n", ownApp.Errors));
        await app.CloseAsync();
        await ownApp.CloseAsync();
    }

    [Fact]
    public async Task A_commander_declares_a_flood_over_two_communes_ticked_on_the_map_and_one_drawn_around_an_office()
    {
        var app = await OpenAsync();
        var page = app.Page;
        var seat = await app.SeatOfAsync(ChauKhe);
        await app.SignInAsync("kv5.commander");
        await page.FillAsync("#search", "chau khe");
        await page.Locator($"#results li[data-code='{ChauKhe}']").ClickAsync();
        await app.WaitForPanelAsync(ChauKhe);

        // ---- the communes of its area around Châu Khê are offered; Con Cuông is ticked by a click on the map
        await page.ClickAsync("#declare-flood");
        var conCuong = page.Locator($"#declare-communes label[data-code='{ConCuong}'] input");
        await Assertions.Expect(conCuong).ToBeVisibleAsync();
        Assert.True(await page.IsCheckedAsync($"#declare-communes label[data-code='{ChauKhe}'] input"));
        Assert.False(await conCuong.IsCheckedAsync());
        var neighbour = await LabelPointAsync(Cs, ConCuong);
        await page.EvaluateAsync("([lon, lat]) => { window.coordinationMap.jumpTo({ center: [lon, lat], zoom: 10, padding: { right: 420 } }); }",
            new[] { neighbour.Lon, neighbour.Lat });
        await app.WaitForMapIdleAsync();
        var (nx, ny) = await app.ScreenPointAsync(neighbour);
        await page.Mouse.ClickAsync((float)nx, (float)ny);
        await Assertions.Expect(conCuong).ToBeCheckedAsync();
        Assert.Equal($"{ChauKhe}", await page.GetAttributeAsync("#panel", "data-declare"));   // the click did not leave the form
        await page.FillAsync("#declare-name", "Lũ sông Lam — Châu Khê, Con Cuông");
        await page.ClickAsync("#declare-submit");
        await app.WaitForFloodAsync();
        Assert.Equal("Xã Châu Khê, Xã Con Cuông", await page.InnerTextAsync("#flood-communes"));
        await Assertions.Expect(page.Locator("#close-flood")).ToBeVisibleAsync();     // it acts for both

        // ---- a second flood drawn around Châu Khê's seat: the seat is flooded now
        await page.ClickAsync($"#flood-communes button[data-code='{ChauKhe}']");
        await app.WaitForPanelAsync(ChauKhe);
        await page.ClickAsync("#declare-flood");
        await page.CheckAsync("#declare-area-draw");
        await Assertions.Expect(page.Locator("#declare-communes")).ToBeHiddenAsync();
        await page.EvaluateAsync("([lon, lat]) => { window.coordinationMap.jumpTo({ center: [lon, lat], zoom: 13, padding: { right: 420 } }); }",
            new[] { seat.Lon, seat.Lat });
        await app.WaitForMapIdleAsync();
        const double d = 0.006;
        foreach (var (dx, dy) in new[] { (-d, -d), (d, -d), (d, d), (-d, d) })
        {
            var (px, py) = await app.ScreenPointAsync((seat.Lon + dx, seat.Lat + dy));
            await page.Mouse.ClickAsync((float)px, (float)py);
        }
        await Assertions.Expect(page.Locator("#draw-count")).ToHaveTextAsync("Đã chọn 4 điểm.");
        await page.WaitForFunctionAsync("() => window.coordinationMap.querySourceFeatures('flood-draft').length >= 4");   // the draft is drawn
        await page.FillAsync("#declare-name", "Ngập quanh trụ sở Châu Khê");
        await page.ClickAsync("#declare-submit");
        await app.WaitForFloodAsync();
        Assert.Equal("Ngập quanh trụ sở Châu Khê", await page.InnerTextAsync("#flood-name"));
        Assert.Equal("Đã vẽ trên bản đồ", await page.InnerTextAsync("#flood-extent"));
        Assert.Equal("1", await page.InnerTextAsync("#flood-offices"));
        Assert.True((await app.OfficeJsonAsync(seat.Id)).GetProperty("properties").GetProperty("floodedNow").GetBoolean());
        // The draft is gone; the flood layer draws the declared area.
        await page.WaitForFunctionAsync("() => window.coordinationMap.querySourceFeatures('flood-draft').length === 0");
        await app.WaitForMapIdleAsync();
        var drawnId = int.Parse((await page.GetAttributeAsync("#panel", "data-flood"))!);
        Assert.Contains(drawnId, await page.EvaluateAsync<int[]>("""
            ([lon, lat]) => window.coordinationMap.queryRenderedFeatures(window.coordinationMap.project([lon, lat]), { layers: ['flood-events-fill'] }).map(f => f.id)
            """, new[] { seat.Lon, seat.Lat }));
        await app.ScreenshotAsync("flood-drawn");
        Assert.Equal(2, (await app.ActiveFloodsAsync()).GetProperty("features").GetArrayLength());

        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        await app.CloseAsync();
    }

    /// <summary>The id of the active flood the map draws at a place (null when none).</summary>
    static async Task<int?> FloodDrawnAt(IPage page, CoordinationPage.Office at) => await page.EvaluateAsync<int?>("""
        ([lon, lat]) => { const m = window.coordinationMap, p = m.project([lon, lat]);
          return m.queryRenderedFeatures(p, { layers: ['flood-events-fill'] })[0]?.id ?? null; }
        """, new[] { at.Lon, at.Lat });

    static Task<IJSHandle> WaitForOccupancy(IPage page, int id, int expected) => page.WaitForFunctionAsync($$"""
        async () => (await (await fetch('/api/offices/{{id}}', { cache: 'no-store' })).json()).properties.shelterOccupancy === {{expected}}
        """, null, new() { PollingInterval = 200, Timeout = 15000 });
}
