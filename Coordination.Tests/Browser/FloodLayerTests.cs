using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// Offices, flood zones and active floods in the web map (real API in Development mode with the seeded People's
/// Committee seats and the SAMPLE flood layer, real web host and proxy, Debian's chromium): the layers, the office
/// panel with its exposure in words, the deep link, and a commune leader picking a fallback office on the map.
/// </summary>
[Collection("postgis")]
public sealed class FloodLayerTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    const string ChauTien = "16792", ChauKhe = "17248", ConCuong = "17254";

    protected override string MapLayer => "offices";

    [Fact]
    public async Task Flood_zones_and_offices_show_the_Chau_Tien_seat_as_flood_prone_with_its_reason_in_words()
    {
        var app = await OpenAsync();
        var page = app.Page;
        await app.WaitForMapIdleAsync();

        // ---- the three layer toggles, Vietnamese by default, all off at first
        Assert.Equal("Văn phòng", (await page.InnerTextAsync("#layer-offices")).Trim());
        Assert.Equal("Vùng ngập", (await page.InnerTextAsync("#layer-zones")).Trim());
        Assert.Equal("Lũ đang diễn ra", (await page.InnerTextAsync("#layer-floods")).Trim());
        Assert.False(await page.IsCheckedAsync("#toggle-offices"));
        Assert.Equal("none", await page.EvaluateAsync<string>("() => window.coordinationMap.getLayoutProperty('offices', 'visibility')"));

        // ---- turn on the flood zones, the offices and the active floods
        await page.CheckAsync("#toggle-zones");
        await page.CheckAsync("#toggle-offices");
        await page.CheckAsync("#toggle-floods");
        await app.WaitForLayersAsync("zones", "offices", "floods");
        // The sample layer is labelled as such in the legend; no flood is going on in the seeded data.
        await Assertions.Expect(page.Locator("#legend-zone-layers li.sample"))
            .ToContainTextAsync("MẪU — hành lang ngập ven sông Cả và sông Hiếu (Nghệ An) — dữ liệu MẪU, không phải số liệu khảo sát");
        await Assertions.Expect(page.Locator("#legend-floods")).ToHaveTextAsync("Không có đợt lũ nào đang diễn ra.");
        var loaded = await page.EvaluateAsync<JsonElement>("() => window.coordination.offices.loaded()");
        Log($"Loaded at the country view: {loaded}");
        Assert.True(loaded.GetProperty("offices").GetInt32() >= 130, "the offices of Nghệ An (the default province) are loaded");
        Assert.Equal(2, loaded.GetProperty("zones").GetInt32());

        // ---- find Châu Tiến, see its offices listed with their exposure
        await page.FillAsync("#search", "chau tien");
        await page.Locator($"#results li[data-code='{ChauTien}']").ClickAsync();
        await app.WaitForPanelAsync(ChauTien);
        var seat = await app.SeatOfAsync(ChauTien);
        var listed = page.Locator($"#commune-offices li[data-office='{seat.Id}']");
        await Assertions.Expect(listed).ToContainTextAsync("UBND xã Châu Tiến");
        await Assertions.Expect(listed).ToContainTextAsync("nguy cơ ngập");

        // ---- a real click on the seat's circle on the map opens the office panel
        await app.WaitForMapIdleAsync();
        await app.WaitForLayersAsync("offices");
        var (x, y) = await app.OfficePointAsync(seat);
        await page.Mouse.ClickAsync((float)x, (float)y);
        await app.WaitForOfficeAsync(seat.Id);
        Assert.Equal(0, await page.Locator("#panel[data-code]").CountAsync());
        Assert.Equal("UBND xã Châu Tiến", await page.InnerTextAsync("#office-name"));
        StringAssert(await page.InnerTextAsync("#office-meta"), "Trụ sở UBND");
        StringAssert(await page.InnerTextAsync("#office-meta"), "Xã Châu Tiến");
        Assert.Equal("true", await page.GetAttributeAsync("#office-exposure", "data-flood-prone"));
        Assert.Equal("Có nguy cơ ngập", await page.InnerTextAsync("#office-exposure"));
        var reason = page.Locator("#office-reasons li[data-reason='inside_zone']");
        await Assertions.Expect(reason).ToHaveCountAsync(1);
        var reasonText = await reason.InnerTextAsync();
        Log($"Reason: {reasonText}");
        StringAssert(reasonText, "Trong vùng ngập «Sông Hiếu (Nậm Quàng) — hành lang ngập ven sông (MẪU)»");
        StringAssert(reasonText, "lớp «MẪU — hành lang ngập ven sông Cả và sông Hiếu (Nghệ An)» (dữ liệu mẫu)");
        Assert.Equal("vị trí gần đúng", await page.InnerTextAsync("#office-accuracy"));
        Assert.Equal(0, await page.Locator("#office-flooded").CountAsync());   // no flood event going on
        await Assertions.Expect(page.Locator("#office-fallback-none")).ToHaveTextAsync("Chưa có văn phòng dự phòng.");
        Assert.Equal(0, await page.Locator("#pick-fallback").CountAsync());    // anonymous: nothing to change
        // The zone is drawn under the office, and the office is marked as the selected one.
        var zonesHere = await page.EvaluateAsync<string[]>("""
            ([x, y]) => { const m = window.coordinationMap, r = m.getCanvas().getBoundingClientRect();
              return m.queryRenderedFeatures([x - r.left, y - r.top], { layers: ['hazard-zones-fill'] }).map(f => f.properties.name); }
            """, new[] { x, y });
        Assert.Contains(zonesHere, n => n.StartsWith("Sông Hiếu", StringComparison.Ordinal));
        Assert.True(await page.EvaluateAsync<bool>($"() => window.coordinationMap.getFeatureState({{ source: 'offices', id: {seat.Id} }}).selected === true"));
        Assert.EndsWith($"?office={seat.Id}", page.Url);
        await app.WaitForMapIdleAsync();
        await app.ScreenshotAsync("office-chau-tien");

        // ---- the same in English
        await page.SwitchLanguageAsync();
        Assert.Equal("Flood-prone", await page.InnerTextAsync("#office-exposure"));
        StringAssert(await reason.InnerTextAsync(), "Inside the flood zone «Sông Hiếu (Nậm Quàng) — hành lang ngập ven sông (MẪU)»");
        StringAssert(await reason.InnerTextAsync(), "(sample data)");
        Assert.Equal("approximate location", await page.InnerTextAsync("#office-accuracy"));
        Assert.Equal("Offices", (await page.InnerTextAsync("#layer-offices")).Trim());
        await page.SwitchLanguageAsync();

        // ---- a deep link to an office (Châu Khê's seat: no flood exposure), layers remembered across the reload
        var chauKheSeat = await app.SeatOfAsync(ChauKhe);
        await app.GoToAsync($"/?office={chauKheSeat.Id}");
        await app.WaitForOfficeAsync(chauKheSeat.Id);
        Assert.Equal("UBND xã Châu Khê", await page.InnerTextAsync("#office-name"));
        Assert.Equal("Không thấy nguy cơ ngập", await page.InnerTextAsync("#office-exposure"));
        Assert.Equal(0, await page.Locator("#office-reasons").CountAsync());
        Assert.True(await page.IsCheckedAsync("#toggle-offices"));
        await page.ClickAsync("#office-close");
        await page.WaitForSelectorAsync("#panel[data-state='empty']");
        Assert.DoesNotContain("office=", page.Url);

        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        await app.CloseAsync();
    }

    [Fact]
    public async Task Commune_leader_picks_a_neighbours_seat_as_fallback_on_the_map()
    {
        var app = await OpenAsync();
        var page = app.Page;
        await app.WaitForMapIdleAsync();
        var seat = await app.SeatOfAsync(ChauKhe);
        var conCuongSeat = await app.SeatOfAsync(ConCuong);
        Assert.Equal(JsonValueKind.Null, (await app.OfficeJsonAsync(seat.Id)).GetProperty("properties").GetProperty("fallback").ValueKind);

        // ---- sign in: the map goes to Châu Khê; its seat is opened from the commune's office list
        await app.SubmitSignInAsync("chaukhe.leader", Session.DemoPassword);
        await Assertions.Expect(page.Locator("#user-role")).ToHaveTextAsync("Chủ tịch UBND xã");
        await app.WaitForPanelAsync(ChauKhe);
        await page.CheckAsync("#toggle-offices");
        await page.Locator($"#commune-offices li[data-office='{seat.Id}'] button").ClickAsync();
        await app.WaitForOfficeAsync(seat.Id);
        Assert.Equal("UBND xã Châu Khê", await page.InnerTextAsync("#office-name"));
        await Assertions.Expect(page.Locator("#office-fallback-none")).ToHaveTextAsync("Chưa có văn phòng dự phòng.");

        // ---- pick the fallback on the map: Con Cuông (a ring-1 neighbour) — its seat is among the candidates
        await Assertions.Expect(page.Locator("#pick-fallback")).ToHaveTextAsync("Chọn văn phòng dự phòng trên bản đồ");
        await page.ClickAsync("#pick-fallback");
        await Assertions.Expect(page.Locator("#pick-hint")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"#pick-candidates li[data-office='{conCuongSeat.Id}']")).ToContainTextAsync("UBND xã Con Cuông");
        Assert.Equal(0, await page.Locator($"#pick-candidates li[data-office='{seat.Id}']").CountAsync());
        await app.WaitForMapIdleAsync();
        await app.WaitForLayersAsync("offices");
        await app.ScreenshotAsync("picking-fallback");
        var (x, y) = await app.OfficePointAsync(conCuongSeat);
        await page.Mouse.ClickAsync((float)x, (float)y);
        await Assertions.Expect(page.Locator("#office-message")).ToHaveTextAsync("Đã chọn văn phòng dự phòng: UBND xã Con Cuông.");
        await Assertions.Expect(page.Locator("#office-fallback-name")).ToContainTextAsync("UBND xã Con Cuông");
        Assert.Equal(0, await page.Locator("#pick-hint").CountAsync());
        await app.WaitForOfficeAsync(seat.Id);      // the click picked, it did not open Con Cuông's seat
        Assert.True(await page.EvaluateAsync<bool>($"() => window.coordinationMap.getFeatureState({{ source: 'offices', id: {conCuongSeat.Id} }}).fallback === true"));
        await app.WaitForMapIdleAsync();
        await app.ScreenshotAsync("fallback-set");

        // ---- the API has it
        var fallback = (await app.OfficeJsonAsync(seat.Id)).GetProperty("properties").GetProperty("fallback");
        Assert.Equal(conCuongSeat.Id, fallback.GetProperty("id").GetInt32());
        Assert.Equal(ConCuong, fallback.GetProperty("communeCode").GetString());

        // ---- and it can be cleared again
        await page.ClickAsync("#clear-fallback");
        await Assertions.Expect(page.Locator("#office-message")).ToHaveTextAsync("Đã bỏ văn phòng dự phòng.");
        await Assertions.Expect(page.Locator("#office-fallback-none")).ToBeVisibleAsync();
        Assert.Equal(JsonValueKind.Null, (await app.OfficeJsonAsync(seat.Id)).GetProperty("properties").GetProperty("fallback").ValueKind);

        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        await app.CloseAsync();
    }

    [Fact]
    public async Task An_office_inside_an_active_flood_says_it_is_flooded_and_where_services_are()
    {
        var app = await OpenAsync();
        var page = app.Page;
        var seat = await app.SeatOfAsync(ChauKhe);
        var conCuongSeat = await app.SeatOfAsync(ConCuong);

        // ---- an administrator declares a flood over Châu Khê's seat and gives the seat Con Cuông's as fallback
        var admin = await ApiAs("admin.demo");
        double w = seat.Lon - 0.01, e = seat.Lon + 0.01, s = seat.Lat - 0.01, n = seat.Lat + 0.01;
        var declared = await admin.SendAsync(HttpMethod.Post, "/api/flood-events", new
        {
            name = "Lũ thử nghiệm Châu Khê",
            geometry = new { type = "Polygon", coordinates = new[] { new[] { new[] { w, s }, new[] { e, s }, new[] { e, n }, new[] { w, n }, new[] { w, s } } } },
        });
        Assert.True(declared.IsSuccessStatusCode, await declared.Content.ReadAsStringAsync());
        var put = await admin.SendAsync(HttpMethod.Put, $"/api/offices/{seat.Id}/fallback", new { fallbackOfficeId = conCuongSeat.Id });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        // ---- the deep link: flooded now, services at Con Cuông's seat; the event named as the reason
        await app.GoToAsync($"/?office={seat.Id}");
        await app.WaitForOfficeAsync(seat.Id);
        Assert.Equal("Đang ngập — làm việc tại: UBND xã Con Cuông", await page.InnerTextAsync("#office-flooded"));
        var reason = page.Locator("#office-reasons li[data-reason='inside_event']");
        StringAssert(await reason.InnerTextAsync(), "Nằm trong đợt lũ «Lũ thử nghiệm Châu Khê»");
        StringAssert(await reason.InnerTextAsync(), "đang diễn ra");
        Assert.Equal("Có nguy cơ ngập", await page.InnerTextAsync("#office-exposure"));

        // ---- the active-floods layer draws the event under the office, the legend names it
        await page.CheckAsync("#toggle-floods");
        await app.WaitForLayersAsync("floods");
        await Assertions.Expect(page.Locator("#legend-floods")).ToHaveTextAsync("Đang diễn ra: Lũ thử nghiệm Châu Khê");
        await app.WaitForMapIdleAsync();
        Assert.True(await page.EvaluateAsync<bool>("""
            ([lon, lat]) => { const m = window.coordinationMap, p = m.project([lon, lat]);
              return m.queryRenderedFeatures(p, { layers: ['flood-events-fill'] }).length === 1
                && m.queryRenderedFeatures([[p.x - 2, p.y - 2], [p.x + 2, p.y + 2]], { layers: ['offices'] })[0]?.properties.floodedNow === true; }
            """, new[] { seat.Lon, seat.Lat }), "the flood is drawn under the office, which is drawn as flooded");
        await app.ScreenshotAsync("flooded-now");

        // ---- without a fallback there is nowhere dry to go, in both languages
        var cleared = await admin.SendAsync(HttpMethod.Put, $"/api/offices/{seat.Id}/fallback", new { fallbackOfficeId = (int?)null });
        Assert.True(cleared.IsSuccessStatusCode, await cleared.Content.ReadAsStringAsync());
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.NetworkIdle });
        await app.WaitForOfficeAsync(seat.Id);
        Assert.Equal("Đang ngập — không có văn phòng dự phòng còn khô", await page.InnerTextAsync("#office-flooded"));
        await page.SwitchLanguageAsync();
        Assert.Equal("Flooded now — no dry fallback office", await page.InnerTextAsync("#office-flooded"));
        StringAssert(await reason.InnerTextAsync(), "Inside the flood event «Lũ thử nghiệm Châu Khê»");

        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        await app.CloseAsync();
    }
}
