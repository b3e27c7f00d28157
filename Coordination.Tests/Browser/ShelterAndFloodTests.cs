using System.Net;
using System.Text.Json;
using Coordination.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Coordination.Tests.Hazards.HazardTestData;

namespace Coordination.Tests.Browser;

/// <summary>
/// The two things a commune chairman does first in a flood, in the web map (real API in Development mode with its
/// demo users, real web host and proxy, Debian's chromium): declare the flood for the commune and later close it,
/// add a shelter placed on the map and keep its count of people from a phone — and a leader of another commune
/// is not offered any of it there.
/// </summary>
[Collection("postgis")]
public sealed class ShelterAndFloodTests(PostgisFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    BrowserHost? _host;
    IBrowser? _browser;
    string _webUrl = "", _apiUrl = "", _cs = "";

    public async Task InitializeAsync()
    {
        _cs = await fixture.CreateDatabaseAsync();
        _host = await BrowserHost.StartAsync(_cs);
        (_browser, _webUrl, _apiUrl) = (_host.Browser, _host.WebUrl, _host.ApiUrl);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }

    Task<Session> ApiAs(string userName) => _host!.ApiAsAsync(userName);

    async Task<(IBrowserContext, IPage, List<string>)> OpenAsync(bool phone = false)
    {
        var context = await _browser!.NewContextAsync(phone
            ? new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2, ReducedMotion = ReducedMotion.Reduce, Locale = "vi-VN" }
            : new() { ViewportSize = new() { Width = 1280, Height = 800 }, ReducedMotion = ReducedMotion.Reduce, Locale = "vi-VN" });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        // Chromium logs every refused request as a failed resource; the test provokes a 409 (the flood declared twice)
        // on purpose and checks what the page shows instead.
        page.Console += (_, m) => { if (m.Type == "error" && !m.Text.Contains("status of 409")) errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(_webUrl + "/", new() { WaitUntil = WaitUntilState.NetworkIdle });
        return (context, page, errors);
    }

    static async Task SignInAsync(IPage page, string userName)
    {
        await page.ClickAsync("#signin");
        await page.FillAsync("#signin-user", userName);
        await page.FillAsync("#signin-password", Session.DemoPassword);
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("#signout")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_commune_leader_declares_a_flood_for_the_commune_sees_it_on_the_map_and_closes_it()
    {
        var (context, page, errors) = await OpenAsync();
        var seat = await SeatOf(page, ChauKhe);
        await SignInAsync(page, "chaukhe.leader");
        await WaitForPanel(page, ChauKhe);
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
        await page.WaitForSelectorAsync("#panel[data-flood][data-state='ready']");
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
        await WaitForMapIdle(page);
        Assert.Equal(id, await FloodDrawnAt(page, seat));
        await Screenshot(page, "flood-declared");
        var active = await ActiveFloods(page);
        var feature = Assert.Single(active.GetProperty("features").EnumerateArray());
        Assert.Equal(id, feature.GetProperty("id").GetInt32());
        Assert.Equal("communes", feature.GetProperty("properties").GetProperty("extent").GetString());
        Assert.Equal(ChauKhe, feature.GetProperty("properties").GetProperty("communes")[0].GetProperty("code").GetString());

        // ---- the commune panel lists it; declaring it again is refused, in Vietnamese words
        await page.ClickAsync($"#flood-communes button[data-code='{ChauKhe}']");
        await WaitForPanel(page, ChauKhe);
        await Assertions.Expect(page.Locator($"#commune-flood-list li[data-flood='{id}']")).ToContainTextAsync("Lũ quét 22/7 — Châu Khê");
        await page.ClickAsync("#declare-flood");
        await page.FillAsync("#declare-name", "Lũ lần hai");
        await page.ClickAsync("#declare-submit");
        var refusal = page.Locator("#declare-error");
        await Assertions.Expect(refusal).ToHaveTextAsync("Xã Châu Khê đã có đợt lũ «Lũ quét 22/7 — Châu Khê» đang diễn ra — không cần công bố lại.");
        Assert.Single((await ActiveFloods(page)).GetProperty("features").EnumerateArray());
        await page.ClickAsync("#declare-cancel");
        await WaitForPanel(page, ChauKhe);

        // ---- close it from its panel, after a confirmation
        await page.ClickAsync($"#commune-flood-list li[data-flood='{id}'] button");
        await page.WaitForSelectorAsync($"#panel[data-flood='{id}'][data-state='ready']");
        await page.ClickAsync("#close-flood");
        await Assertions.Expect(page.Locator("#close-flood-question")).ToHaveTextAsync(
            "Kết thúc đợt lũ «Lũ quét 22/7 — Châu Khê»? Các xã sẽ lại được đề xuất làm bên hỗ trợ, và văn phòng trong vùng không còn hiện là đang ngập.");
        Assert.Single((await ActiveFloods(page)).GetProperty("features").EnumerateArray());   // asked, not yet closed
        await page.ClickAsync("#close-flood-confirm");
        await Assertions.Expect(page.Locator("#flood-message")).ToHaveTextAsync("Đã kết thúc đợt lũ.");
        StringAssert(await page.InnerTextAsync("#flood-status"), "Đã kết thúc lúc");
        Assert.Equal(0, await page.Locator("#close-flood").CountAsync());
        await Assertions.Expect(page.Locator("#legend-floods")).ToHaveTextAsync("Không có đợt lũ nào đang diễn ra.");
        Assert.Empty((await ActiveFloods(page)).GetProperty("features").EnumerateArray());
        await WaitForMapIdle(page);
        Assert.Null(await FloodDrawnAt(page, seat));

        // ---- in English too
        await page.SwitchLanguageAsync();
        StringAssert(await page.InnerTextAsync("#flood-status"), "Ended");
        Assert.Equal("Whole communes (area not drawn)", await page.InnerTextAsync("#flood-extent"));

        Assert.True(errors.Count == 0, "browser errors:\n" + string.Join("\n", errors));
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_commune_leader_adds_a_shelter_on_the_map_and_counts_the_people_in_it_from_a_phone()
    {
        var (context, page, errors) = await OpenAsync();
        await SignInAsync(page, "chaukhe.leader");
        await WaitForPanel(page, ChauKhe);

        // ---- the form, then a click on the map: outside the commune refused, inside it placed
        await page.ClickAsync("#add-shelter");
        await page.WaitForSelectorAsync($"#panel[data-new-shelter='{ChauKhe}']");
        Assert.Equal("Thêm nơi sơ tán — Xã Châu Khê", await page.InnerTextAsync("#shelter-title"));
        await page.FillAsync("#shelter-name", "Nhà văn hóa bản Xiềng");
        await page.SelectOptionAsync("#shelter-kind", "cultural_house");
        await page.FillAsync("#shelter-capacity", "50");
        await page.ClickAsync("#shelter-save");
        await Assertions.Expect(page.Locator("#shelter-error")).ToHaveTextAsync("Hãy bấm vào bản đồ để đặt vị trí nơi sơ tán.");

        var inside = await LabelPointAsync(_cs, ChauKhe);
        var neighbour = await LabelPointAsync(_cs, ConCuong);
        await page.EvaluateAsync("""
            ([a, b]) => { window.coordinationMap.fitBounds([[Math.min(a[0], b[0]), Math.min(a[1], b[1])], [Math.max(a[0], b[0]), Math.max(a[1], b[1])]],
              { padding: { top: 100, bottom: 260, left: 360, right: 420 }, duration: 0 }); }
            """, new[] { new[] { inside.Lon, inside.Lat }, new[] { neighbour.Lon, neighbour.Lat } });
        await WaitForMapIdle(page);
        var (ox, oy) = await ScreenPoint(page, neighbour);
        await page.Mouse.ClickAsync((float)ox, (float)oy);
        await Assertions.Expect(page.Locator("#shelter-error")).ToHaveTextAsync("Điểm vừa bấm nằm ngoài Xã Châu Khê. Hãy bấm trong địa bàn xã.");
        Assert.Equal("false", await page.GetAttributeAsync("#shelter-place", "data-placed"));
        var (x, y) = await ScreenPoint(page, inside);
        await page.Mouse.ClickAsync((float)x, (float)y);
        await Assertions.Expect(page.Locator("#shelter-place")).ToHaveAttributeAsync("data-placed", "true");
        Assert.Equal(0, await page.Locator("#shelter-error").CountAsync());
        await Screenshot(page, "shelter-placed");
        await page.ClickAsync("#shelter-save");

        // ---- the new shelter's panel, the API has it where it was clicked
        await Assertions.Expect(page.Locator("#office-message")).ToHaveTextAsync("Đã thêm nơi sơ tán.");
        var officeId = int.Parse((await page.GetAttributeAsync("#panel", "data-office"))!);
        Assert.Equal("Nhà văn hóa bản Xiềng", await page.InnerTextAsync("#office-name"));
        Assert.Equal("Chưa cập nhật số người.", await page.InnerTextAsync("#shelter-count"));
        var saved = (await OfficeJson(page, officeId)).GetProperty("properties");
        Assert.True(saved.GetProperty("isShelter").GetBoolean());
        Assert.Equal(50, saved.GetProperty("shelterCapacity").GetInt32());
        Assert.Equal(ChauKhe, saved.GetProperty("communeCode").GetString());
        Assert.Equal("cultural_house", saved.GetProperty("kind").GetString());
        var at = (await OfficeJson(page, officeId)).GetProperty("geometry").GetProperty("coordinates");
        Assert.True(Math.Abs(at[0].GetDouble() - inside.Lon) < 0.002 && Math.Abs(at[1].GetDouble() - inside.Lat) < 0.002, $"placed where clicked: {at}");
        await context.CloseAsync();

        // ---- on a phone: the shelter's link, then taps; taps made while one is on its way add up
        var (phoneContext, phone, phoneErrors) = await OpenAsync(phone: true);
        await SignInAsync(phone, "chaukhe.leader");
        await phone.GotoAsync($"{_webUrl}/?office={officeId}", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await phone.WaitForSelectorAsync($"#panel[data-office='{officeId}'][data-state='ready']");
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
        await Screenshot(phone, "shelter-over-capacity-phone");

        // ---- an exact count in one go: back under capacity
        await phone.FillAsync("#occupancy-input", "45");
        await phone.TapAsync("#occupancy-save");
        await Assertions.Expect(phone.Locator("#shelter-count")).ToHaveTextAsync("45 / 50 người");
        await Assertions.Expect(phone.Locator("#shelter-over")).ToBeHiddenAsync();
        Assert.Equal("false", await phone.GetAttributeAsync("#shelter-card", "data-over"));
        await WaitForOccupancy(phone, officeId, 45);

        // ---- the commune's list says how full it is; in English too
        await phone.TapAsync("#office-commune");
        await WaitForPanel(phone, ChauKhe);
        await Assertions.Expect(phone.Locator($"#commune-office-list li[data-office='{officeId}']")).ToContainTextAsync("45/50");
        await phone.Locator($"#commune-office-list li[data-office='{officeId}'] button").TapAsync();
        await phone.WaitForSelectorAsync($"#panel[data-office='{officeId}'][data-state='ready']");
        await phone.SwitchLanguageAsync(tap: true);
        Assert.Equal("45 / 50 people", await phone.InnerTextAsync("#shelter-count"));

        Assert.True(errors.Count == 0, "browser errors:\n" + string.Join("\n", errors));
        Assert.True(phoneErrors.Count == 0, "browser errors (phone):\n" + string.Join("\n", phoneErrors));
        await phoneContext.CloseAsync();
    }

    [Fact]
    public async Task A_leader_of_another_commune_is_not_offered_declaring_closing_adding_or_counting_there()
    {
        // Châu Khê has a flood declared by its leader and a shelter with people in it.
        var chaukhe = await ApiAs("chaukhe.leader");
        var flood = await (await chaukhe.SendAsync(HttpMethod.Post, "/api/flood-events", new { name = "Lũ Châu Khê", communes = new[] { ChauKhe } }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        var floodId = flood.GetProperty("id").GetInt32();
        var centre = await LabelPointAsync(_cs, ChauKhe);
        var shelter = await (await chaukhe.SendAsync(HttpMethod.Post, "/api/offices", OfficeBody(ChauKhe, "Trường Tiểu học Châu Khê", centre, "school", true, 30)))
            .ExpectJsonAsync(HttpStatusCode.Created);
        var shelterId = shelter.GetProperty("id").GetInt32();
        await (await chaukhe.SendAsync(HttpMethod.Put, $"/api/offices/{shelterId}/occupancy", new { occupancy = 10 })).ExpectJsonAsync(HttpStatusCode.OK);

        var (context, page, errors) = await OpenAsync();
        await SignInAsync(page, "concuong.leader");
        // ---- in its own commune Con Cuông's leader is offered both (so their absence below means something)
        await WaitForPanel(page, ConCuong);
        await Assertions.Expect(page.Locator("#declare-flood")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#add-shelter")).ToBeVisibleAsync();

        // ---- in Châu Khê: the flood and the shelter are shown (public), nothing is offered
        await page.FillAsync("#search", "chau khe");
        await page.Locator($"#results li[data-code='{ChauKhe}']").ClickAsync();
        await WaitForPanel(page, ChauKhe);
        await Assertions.Expect(page.Locator($"#commune-flood-list li[data-flood='{floodId}']")).ToContainTextAsync("Lũ Châu Khê");
        await Assertions.Expect(page.Locator($"#commune-office-list li[data-office='{shelterId}']")).ToContainTextAsync("10/30");
        Assert.Equal(0, await page.Locator("#declare-flood").CountAsync());
        Assert.Equal(0, await page.Locator("#add-shelter").CountAsync());

        await page.ClickAsync($"#commune-flood-list li[data-flood='{floodId}'] button");
        await page.WaitForSelectorAsync($"#panel[data-flood='{floodId}'][data-state='ready']");
        Assert.Equal("Lũ Châu Khê", await page.InnerTextAsync("#flood-name"));
        StringAssert(await page.InnerTextAsync("#flood-status"), "Đang diễn ra từ");
        Assert.Equal(0, await page.Locator("#flood-closing").CountAsync());
        Assert.Equal(0, await page.Locator("#close-flood").CountAsync());

        await page.ClickAsync($"#flood-communes button[data-code='{ChauKhe}']");
        await WaitForPanel(page, ChauKhe);
        await page.ClickAsync($"#commune-office-list li[data-office='{shelterId}'] button");
        await page.WaitForSelectorAsync($"#panel[data-office='{shelterId}'][data-state='ready']");
        Assert.Equal("10 / 30 người", await page.InnerTextAsync("#shelter-count"));
        Assert.Equal(0, await page.Locator("#shelter-card .step").CountAsync());
        Assert.Equal(0, await page.Locator("#occupancy-form").CountAsync());
        Assert.Equal(0, await page.Locator("#pick-fallback").CountAsync());

        // ---- Châu Khê's own leader is offered the counting on the same shelter
        var (own, ownPage, ownErrors) = await OpenAsync();
        await SignInAsync(ownPage, "chaukhe.leader");
        await ownPage.GotoAsync($"{_webUrl}/?office={shelterId}", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await ownPage.WaitForSelectorAsync($"#panel[data-office='{shelterId}'][data-state='ready']");
        await Assertions.Expect(ownPage.Locator("#shelter-card .step")).ToHaveCountAsync(4);

        Assert.True(errors.Count == 0, "browser errors:\n" + string.Join("\n", errors));
        Assert.True(ownErrors.Count == 0, "browser errors:\n" + string.Join("\n", ownErrors));
        await context.CloseAsync();
        await own.CloseAsync();
    }

    [Fact]
    public async Task A_commander_declares_a_flood_over_two_communes_ticked_on_the_map_and_one_drawn_around_an_office()
    {
        var (context, page, errors) = await OpenAsync();
        var seat = await SeatOf(page, ChauKhe);
        await SignInAsync(page, "kv5.commander");
        await page.FillAsync("#search", "chau khe");
        await page.Locator($"#results li[data-code='{ChauKhe}']").ClickAsync();
        await WaitForPanel(page, ChauKhe);

        // ---- the communes of its area around Châu Khê are offered; Con Cuông is ticked by a click on the map
        await page.ClickAsync("#declare-flood");
        var conCuong = page.Locator($"#declare-communes label[data-code='{ConCuong}'] input");
        await Assertions.Expect(conCuong).ToBeVisibleAsync();
        Assert.True(await page.IsCheckedAsync($"#declare-communes label[data-code='{ChauKhe}'] input"));
        Assert.False(await conCuong.IsCheckedAsync());
        var neighbour = await LabelPointAsync(_cs, ConCuong);
        await page.EvaluateAsync("([lon, lat]) => { window.coordinationMap.jumpTo({ center: [lon, lat], zoom: 10, padding: { right: 420 } }); }",
            new[] { neighbour.Lon, neighbour.Lat });
        await WaitForMapIdle(page);
        var (nx, ny) = await ScreenPoint(page, neighbour);
        await page.Mouse.ClickAsync((float)nx, (float)ny);
        await Assertions.Expect(conCuong).ToBeCheckedAsync();
        Assert.Equal($"{ChauKhe}", await page.GetAttributeAsync("#panel", "data-declare"));   // the click did not leave the form
        await page.FillAsync("#declare-name", "Lũ sông Lam — Châu Khê, Con Cuông");
        await page.ClickAsync("#declare-submit");
        await page.WaitForSelectorAsync("#panel[data-flood][data-state='ready']");
        Assert.Equal("Xã Châu Khê, Xã Con Cuông", await page.InnerTextAsync("#flood-communes"));
        await Assertions.Expect(page.Locator("#close-flood")).ToBeVisibleAsync();     // it acts for both

        // ---- a second flood drawn around Châu Khê's seat: the seat is flooded now
        await page.ClickAsync($"#flood-communes button[data-code='{ChauKhe}']");
        await WaitForPanel(page, ChauKhe);
        await page.ClickAsync("#declare-flood");
        await page.CheckAsync("#declare-area-draw");
        await Assertions.Expect(page.Locator("#declare-communes")).ToBeHiddenAsync();
        await page.EvaluateAsync("([lon, lat]) => { window.coordinationMap.jumpTo({ center: [lon, lat], zoom: 13, padding: { right: 420 } }); }",
            new[] { seat.Lon, seat.Lat });
        await WaitForMapIdle(page);
        const double d = 0.006;
        foreach (var (dx, dy) in new[] { (-d, -d), (d, -d), (d, d), (-d, d) })
        {
            var (px, py) = await ScreenPoint(page, (seat.Lon + dx, seat.Lat + dy));
            await page.Mouse.ClickAsync((float)px, (float)py);
        }
        await Assertions.Expect(page.Locator("#draw-count")).ToHaveTextAsync("Đã chọn 4 điểm.");
        await page.WaitForFunctionAsync("() => window.coordinationMap.querySourceFeatures('flood-draft').length >= 4");   // the draft is drawn
        await page.FillAsync("#declare-name", "Ngập quanh trụ sở Châu Khê");
        await page.ClickAsync("#declare-submit");
        await page.WaitForSelectorAsync("#panel[data-flood][data-state='ready']");
        Assert.Equal("Ngập quanh trụ sở Châu Khê", await page.InnerTextAsync("#flood-name"));
        Assert.Equal("Đã vẽ trên bản đồ", await page.InnerTextAsync("#flood-extent"));
        Assert.Equal("1", await page.InnerTextAsync("#flood-offices"));
        Assert.True((await OfficeJson(page, seat.Id)).GetProperty("properties").GetProperty("floodedNow").GetBoolean());
        // The draft is gone; the flood layer draws the declared area.
        await page.WaitForFunctionAsync("() => window.coordinationMap.querySourceFeatures('flood-draft').length === 0");
        await WaitForMapIdle(page);
        var drawnId = int.Parse((await page.GetAttributeAsync("#panel", "data-flood"))!);
        Assert.Contains(drawnId, await page.EvaluateAsync<int[]>("""
            ([lon, lat]) => window.coordinationMap.queryRenderedFeatures(window.coordinationMap.project([lon, lat]), { layers: ['flood-events-fill'] }).map(f => f.id)
            """, new[] { seat.Lon, seat.Lat }));
        await Screenshot(page, "flood-drawn");
        Assert.Equal(2, (await ActiveFloods(page)).GetProperty("features").GetArrayLength());

        Assert.True(errors.Count == 0, "browser errors:\n" + string.Join("\n", errors));
        await context.CloseAsync();
    }

    sealed record Seat(int Id, double Lon, double Lat);

    static async Task<Seat> SeatOf(IPage page, string commune)
    {
        var fc = await page.EvaluateAsync<JsonElement>($"async () => (await fetch('/api/offices?commune={commune}')).json()");
        var seat = fc.GetProperty("features").EnumerateArray().First(f => f.GetProperty("properties").GetProperty("kind").GetString() == "people_committee");
        var c = seat.GetProperty("geometry").GetProperty("coordinates");
        return new(seat.GetProperty("id").GetInt32(), c[0].GetDouble(), c[1].GetDouble());
    }

    static Task<JsonElement> OfficeJson(IPage page, int id) =>
        page.EvaluateAsync<JsonElement>($"async () => (await fetch('/api/offices/{id}', {{ cache: 'no-store' }})).json()");

    static Task<JsonElement> ActiveFloods(IPage page) =>
        page.EvaluateAsync<JsonElement>("async () => (await fetch('/api/flood-events?active=true', { cache: 'no-store' })).json()");

    /// <summary>The id of the active flood the map draws at a place (null when none).</summary>
    static async Task<int?> FloodDrawnAt(IPage page, Seat at) => await page.EvaluateAsync<int?>("""
        ([lon, lat]) => { const m = window.coordinationMap, p = m.project([lon, lat]);
          return m.queryRenderedFeatures(p, { layers: ['flood-events-fill'] })[0]?.id ?? null; }
        """, new[] { at.Lon, at.Lat });

    /// <summary>Where a place is on the screen, once the map is still and draws the canvas there (not under the panel).</summary>
    static async Task<(double x, double y)> ScreenPoint(IPage page, (double Lon, double Lat) at)
    {
        var handle = await page.WaitForFunctionAsync("""
            ([lon, lat]) => {
              const m = window.coordinationMap;
              if (!m.loaded() || m.isMoving()) return null;
              const p = m.project([lon, lat]), r = m.getCanvas().getBoundingClientRect();
              const x = r.left + p.x, y = r.top + p.y;
              return document.elementFromPoint(x, y) === m.getCanvas() ? { x, y } : null;
            }
            """, new[] { at.Lon, at.Lat }, new() { Timeout = 15000 });
        var point = await handle.JsonValueAsync<JsonElement>();
        return (point.GetProperty("x").GetDouble(), point.GetProperty("y").GetDouble());
    }

    static Task WaitForOccupancy(IPage page, int id, int expected) => page.WaitForFunctionAsync($$"""
        async () => (await (await fetch('/api/offices/{{id}}', { cache: 'no-store' })).json()).properties.shelterOccupancy === {{expected}}
        """, null, new() { PollingInterval = 200, Timeout = 15000 });

    static Task WaitForPanel(IPage page, string code) =>
        page.WaitForSelectorAsync($"#panel[data-code='{code}'][data-state='ready']");

    static Task WaitForMapIdle(IPage page) => page.WaitForFunctionAsync(
        "() => { const m = window.coordinationMap; return m && m.loaded() && m.areTilesLoaded() && !m.isMoving() && m.getLayer('offices'); }");

    static void StringAssert(string actual, string expected) =>
        Assert.True(actual.Contains(expected), $"expected “{expected}” in “{actual}”");

    async Task Screenshot(IPage page, string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"coordination-web-{name}.png");
        await page.ScreenshotAsync(new() { Path = path });
        output.WriteLine($"Screenshot: {path}");
    }
}
