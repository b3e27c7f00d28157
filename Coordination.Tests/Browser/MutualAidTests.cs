using Coordination.Api.Boundaries;
using Coordination.Api.MutualAid;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// Mutual aid in the web map (real API in Development mode with its demo users, real web host and proxy, Debian's
/// chromium, two browser contexts): Con Cuông's leader files a request on the map, asks the ring-1 neighbour the
/// matching suggests, Châu Khê's leader sees the ask arrive live and accepts part of it, and the requester's page
/// follows without a reload (server-sent events); the command sees the request on its screen.
/// </summary>
[Collection("postgis")]
public sealed class MutualAidTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    const string ChauKhe = "17248", ConCuong = "17254";

    // Chromium logs every refused request as a failed resource; the test provokes 400 (validation) and 409 (possible
    // duplicate) on purpose and checks what the page shows instead.
    protected override IReadOnlyCollection<int> ProvokedStatuses => [400, 409];

    [Fact]
    public async Task Con_Cuong_asks_Chau_Khe_for_boats_and_both_pages_follow_the_pledge_live()
    {
        // ---- Châu Khê's leader stocks 10 boats (through the API, as the right leader)
        var chaukheApi = await ApiAs("chaukhe.leader");
        var stocked = await chaukheApi.SendAsync<InventoryDto>(HttpMethod.Put, $"/api/communes/{ChauKhe}/inventory/boat", new { onHand = 10 }, HttpStatusCode.OK);
        Assert.Equal(10, stocked.Available);

        // ---- the requester: Con Cuông's leader, mutual-aid panel open, live stream connected
        var requester = await OpenAsync();
        var a = requester.Page;
        await requester.WaitForMapIdleAsync();
        Assert.Equal(0, await a.Locator("#aid-toggle").CountAsync());      // anonymous: the module is not even loaded
        await requester.SignInAsync("concuong.leader");
        await requester.WaitForPanelAsync(ConCuong);
        await Assertions.Expect(a.Locator("#aid-toggle")).ToHaveTextAsync("Hỗ trợ");
        await requester.OpenAidAsync();
        await Assertions.Expect(a.Locator("#aid-title")).ToHaveTextAsync("Hỗ trợ lẫn nhau");
        await Assertions.Expect(a.Locator("#aid-requests")).ToContainTextAsync("Chưa có yêu cầu nào.");

        // ---- the donor, in a second browser: Châu Khê's leader watching the asks addressed to the commune
        var donor = await OpenAsync();
        var b = donor.Page;
        await donor.SignInAsync("chaukhe.leader");
        await donor.WaitForPanelAsync(ChauKhe);
        await donor.OpenAidAsync();
        await b.ClickAsync("#aid-tab-incoming");
        await Assertions.Expect(b.Locator("#aid-incoming-none")).ToHaveTextAsync("Không có đề nghị nào gửi tới xã.");

        // ---- file a request for 6 boats: the place is picked on the map, inside Con Cuông
        await a.ClickAsync("#aid-new");
        await Assertions.Expect(a.Locator("#aid-form h3")).ToContainTextAsync("Gửi yêu cầu hỗ trợ");
        await a.ClickAsync("#aid-pick");
        await Assertions.Expect(a.Locator("#aid-pick-hint")).ToContainTextAsync("Con Cuông");
        await requester.WaitForMapIdleAsync();
        var (x, y) = await requester.PointInsideAsync(ConCuong);
        await a.Mouse.ClickAsync((float)x, (float)y);
        await Assertions.Expect(a.Locator("#aid-point")).ToHaveAttributeAsync("data-set", "true");
        StringAssert(await a.InnerTextAsync("#aid-point"), "Đã chọn vị trí:");
        Assert.Equal(0, await a.Locator("#aid-pick-hint").CountAsync());
        await a.FillAsync("#aid-hamlet", "Bản Xiềng");
        await a.SelectOptionAsync("#aid-hazard", "flood");
        await a.SelectOptionAsync("#aid-urgency", "life_threatening");
        await a.FillAsync("#aid-description", "Nước sông Cả lên nhanh, 30 hộ bị cô lập");
        await a.SelectOptionAsync("#aid-form .aid-line select[name='resourceType']", "boat");
        await a.FillAsync("#aid-form .aid-line input[name='quantity']", "6");
        await requester.ScreenshotAsync("aid-filing");
        await a.ClickAsync("#aid-submit");
        var request = a.Locator("#aid-request");
        await Assertions.Expect(request).ToBeVisibleAsync();
        var id = int.Parse((await request.GetAttributeAsync("data-request"))!);
        Log($"Request #{id} filed");
        await Assertions.Expect(a.Locator("#aid-request-summary")).ToHaveTextAsync("Đang mở – chưa đề nghị xã nào");
        await Assertions.Expect(a.Locator("#aid-message")).ToHaveTextAsync($"Đã gửi yêu cầu #{id}.");
        StringAssert(await a.InnerTextAsync("#aid-request .meta"), "Nguy hiểm tính mạng");
        StringAssert(await a.InnerTextAsync("#aid-request .meta"), "Bản Xiềng");

        // ---- the suggestions: Châu Khê in ring 1, with the API's reason in words; tiers in 4-on-the-spot order
        var conCuongApi = await ApiAs("concuong.leader");
        var matches = await conCuongApi.GetAsync<List<LineMatch>>($"/api/aid-requests/{id}/matches");
        var apiSuggestion = matches[0].Suggestions.Single(s => s.DonorCode == ChauKhe);
        Assert.Equal(2, apiSuggestion.Tier);
        var suggestion = a.Locator($"#aid-matches li.aid-suggestion[data-donor='{ChauKhe}']");
        await Assertions.Expect(suggestion).ToHaveCountAsync(1);
        await Assertions.Expect(suggestion).ToHaveAttributeAsync("data-tier", "2");
        await Assertions.Expect(suggestion.Locator(".tier")).ToHaveTextAsync("Vòng 1 (giáp ranh)");
        await Assertions.Expect(suggestion.Locator(".reason")).ToHaveTextAsync(apiSuggestion.ReasonVi);
        var reason = await suggestion.Locator(".reason").InnerTextAsync();
        Log($"Reason: {reason}");
        StringAssert(reason, "xã liền kề (vòng 1)");
        StringAssert(reason, "sẵn có 10 chiếc");
        var tiers = await a.Locator("#aid-matches li.aid-suggestion").EvaluateAllAsync<int[]>("els => els.map(e => Number(e.dataset.tier))");
        Assert.Equal(tiers.Order(), tiers);
        // The request on the map, its commune and neighbours shaded by ring (the map's own ring styling)
        await a.WaitForFunctionAsync($$"""
            () => window.coordinationMap.getFeatureState({source:'communes', sourceLayer:'communes', id:{{int.Parse(ChauKhe)}}}).ring === 1
              && window.coordinationMap.getFeatureState({source:'communes', sourceLayer:'communes', id:{{int.Parse(ConCuong)}}}).ring === 0
              && window.coordination.aid.drawn.requests.some(r => r.id === {{id}} && r.urgency === 'life_threatening' && r.selected)
            """);

        // ---- ask Châu Khê for the suggested 6 boats
        var askButton = suggestion.Locator("button.aid-ask");
        await Assertions.Expect(askButton).ToHaveTextAsync("Đề nghị hỗ trợ 6 chiếc");
        await askButton.ClickAsync();
        await Assertions.Expect(a.Locator("#aid-message")).ToHaveTextAsync("Đã đề nghị xã Châu Khê hỗ trợ 6 chiếc.");
        var pledge = a.Locator($"#aid-pledges li.aid-pledge[data-donor='{ChauKhe}']");
        await Assertions.Expect(pledge).ToHaveAttributeAsync("data-status", "requested");
        await Assertions.Expect(pledge).ToContainTextAsync("Đang chờ trả lời");
        await Assertions.Expect(a.Locator("#aid-request-summary")).ToHaveTextAsync("Đã đề nghị, đang chờ trả lời");
        await a.WaitForFunctionAsync($"() => window.coordination.aid.drawn.pledges.some(p => p.donor === '{ChauKhe}' && p.request === {id} && p.status === 'requested')");

        // ---- Châu Khê sees the ask arrive, live (no reload), and accepts 4 of the 6
        var incoming = b.Locator("li.aid-incoming[data-status='requested']");
        await Assertions.Expect(incoming).ToContainTextAsync("Con Cuông đề nghị 6 chiếc (Thuyền, xuồng)");
        await Assertions.Expect(incoming).ToContainTextAsync($"cho Bản Xiềng · Nguy hiểm tính mạng · yêu cầu #{id}");
        await Assertions.Expect(b.Locator("#toasts .toast[data-kind='pledge.asked']")).ToContainTextAsync("Con Cuông đề nghị xã Châu Khê hỗ trợ 6 chiếc");
        await Assertions.Expect(b.Locator("#aid-tab-incoming .badge")).ToHaveTextAsync("1");
        await donor.WaitForMapIdleAsync();
        await donor.ScreenshotAsync("aid-incoming");
        // A bad entry (0, empty) is refused in words and accepts nothing — it never becomes "all 6".
        foreach (var bad in new[] { "0", "" })
        {
            await incoming.Locator("input.aid-accept-qty").FillAsync(bad);
            await incoming.Locator("button.aid-accept").ClickAsync();
            await Assertions.Expect(b.Locator("#aid-message")).ToHaveTextAsync("Số lượng nhận lời phải là số nguyên từ 1 đến 6 chiếc. Chưa nhận lời.");
            await Assertions.Expect(incoming).ToHaveAttributeAsync("data-status", "requested");
        }
        var reserved = (await chaukheApi.GetAsync<List<InventoryDto>>($"/api/communes/{ChauKhe}/inventory")).Single(i => i.ResourceType == "boat").Reserved;
        Assert.Equal(0, reserved);
        await incoming.Locator("input.aid-accept-qty").FillAsync("4");
        await incoming.Locator("button.aid-accept").ClickAsync();
        await Assertions.Expect(b.Locator("#aid-message")).ToHaveTextAsync("Đã nhận lời 4 chiếc.");
        var accepted = b.Locator("li.aid-incoming[data-status='accepted']");
        await Assertions.Expect(accepted).ToContainTextAsync("4/6 chiếc");
        await Assertions.Expect(accepted.Locator("button.aid-dispatch")).ToHaveTextAsync("Xuất phát");

        // ---- the requester's page follows without a reload: partially pledged
        await Assertions.Expect(a.Locator("#aid-request-summary")).ToHaveTextAsync("Đã cam kết một phần");
        await Assertions.Expect(a.Locator("#toasts .toast[data-kind='pledge.accept']")).ToContainTextAsync("Châu Khê nhận hỗ trợ 4/6 chiếc");
        await Assertions.Expect(pledge).ToHaveAttributeAsync("data-status", "accepted");
        var pledgedStage = a.Locator("#aid-lines li [data-stage='pledged']");
        await Assertions.Expect(pledgedStage).ToHaveTextAsync("Cam kết: một phần (4/6)");
        await a.WaitForFunctionAsync($"() => window.coordination.aid.drawn.pledges.some(p => p.donor === '{ChauKhe}' && p.status === 'accepted')");
        await Assertions.Expect(a.Locator($"#aid-matches li.aid-suggestion[data-donor='{ChauKhe}']")).ToHaveCountAsync(0);   // asked already
        await requester.WaitForMapIdleAsync();
        await requester.ScreenshotAsync("aid-partially-pledged");
        var line = (await RequestAsync(conCuongApi, id)).Lines[0];
        Assert.Equal(4, line.Pledged);
        Assert.Equal("partial", line.PledgedStatus);

        // ---- the command sees it on its screen: Con Cuông, Bản Xiềng, 2 boats unmet
        var command = await OpenAsync();
        var c = command.Page;
        await command.SignInAsync("kv5.commander");
        await command.OpenAidAsync();
        await Assertions.Expect(c.Locator("#aid-tab-area")).ToHaveTextAsync("Yêu cầu trong khu vực phòng thủ");
        var row = c.Locator($"#aid-area tr[data-request='{id}']");
        await Assertions.Expect(row).ToContainTextAsync("Con Cuông");
        await Assertions.Expect(row).ToContainTextAsync("Bản Xiềng");
        await Assertions.Expect(row.Locator("td.unmet")).ToHaveTextAsync("2 chiếc thuyền, xuồng");
        // The first screen says how many requests are open, and the table has room for its columns.
        var rows = await c.Locator("#aid-area tbody tr").CountAsync();
        await Assertions.Expect(c.Locator("#aid-area-count")).ToContainTextAsync($"{rows} yêu cầu đang mở");
        var widths = await c.EvaluateAsync<double[]>("() => [document.querySelector('#aid-area').scrollWidth, document.querySelector('#aid .table-wrap').clientWidth]");
        Assert.True(widths[0] <= widths[1] + 1, $"the command's table overflows its panel: {widths[0]} > {widths[1]}");
        await row.ClickAsync();
        // The request's circle ends up on the visible map, not under the panels.
        await c.WaitForFunctionAsync($"() => window.coordination.aid.drawn.requests.some(r => r.id === {id} && r.selected)");
        await command.WaitForMapIdleAsync();
        var hidden = await c.EvaluateAsync<string>($$"""
            () => {
              const m = window.coordinationMap, r = m.getCanvas().getBoundingClientRect();
              const req = m.querySourceFeatures('aid-requests').find(f => f.properties.id === {{id}});
              if (!req) return 'not drawn';
              const p = m.project(req.geometry.coordinates), x = r.left + p.x, y = r.top + p.y;
              if (x < r.left || x > r.right || y < r.top || y > r.bottom) return 'off the map';
              return ['#aid', '#panel'].filter(s => { const b = document.querySelector(s)?.getBoundingClientRect();
                return b && b.width && x >= b.left && x <= b.right && y >= b.top && y <= b.bottom; }).join(',');
            }
            """);
        Assert.True(hidden == "", $"request circle hidden: {hidden}");
        await Assertions.Expect(c.Locator("#aid-escalate")).ToHaveTextAsync("Đề nghị tỉnh hỗ trợ");
        await Assertions.Expect(c.Locator("#aid-include-affected")).ToBeVisibleAsync();
        await command.CloseAsync();

        // ---- another ring-1 neighbour gets 5 boats; the requester asks it for the remaining 2
        var other = (await conCuongApi.GetAsync<NeighboursDto>($"/api/communes/{ConCuong}/neighbours?rings=1"))
            .Neighbours.Select(n => n.Code).First(code => code != ChauKhe);
        var admin = await ApiAs("admin.demo");
        await (await admin.SendAsync(HttpMethod.Put, $"/api/communes/{other}/inventory/boat", new { onHand = 5 })).ExpectJsonAsync(HttpStatusCode.OK);
        await a.ClickAsync("#aid-refresh-matches");
        var second = a.Locator($"#aid-matches li.aid-suggestion[data-donor='{other}']");
        await Assertions.Expect(second.Locator("button.aid-ask")).ToHaveTextAsync("Đề nghị hỗ trợ 2 chiếc");
        await second.Locator("button.aid-ask").ClickAsync();
        await Assertions.Expect(a.Locator($"#aid-pledges li.aid-pledge[data-donor='{other}']")).ToHaveAttributeAsync("data-status", "requested");
        var secondPledge = (await RequestAsync(conCuongApi, id)).Pledges.Single(p => p.DonorCode == other).Id;
        await (await admin.SendAsync(HttpMethod.Post, $"/api/pledges/{secondPledge}/accept", new { })).ExpectJsonAsync(HttpStatusCode.OK);
        await Assertions.Expect(a.Locator("#aid-request-summary")).ToHaveTextAsync("Đã cam kết đủ");
        await Assertions.Expect(pledgedStage).ToHaveTextAsync("Cam kết: đủ (6/6)");
        Assert.Equal(6, (await RequestAsync(conCuongApi, id)).Lines[0].Pledged);

        // ---- the same in English
        await a.SwitchLanguageAsync();
        await Assertions.Expect(a.Locator("#aid-request-summary")).ToHaveTextAsync("Fully pledged");
        await Assertions.Expect(pledgedStage).ToHaveTextAsync("Pledged: complete (6/6)");
        await Assertions.Expect(a.Locator("#aid-toggle")).ToHaveTextAsync("Mutual aid");
        await Assertions.Expect(pledge).ToContainTextAsync("4/6 boats");   // English amounts: never "4/6 boats Boat"
        Assert.DoesNotContain("boats Boat", await pledge.InnerTextAsync());
        await a.SwitchLanguageAsync();

        // ---- Châu Khê dispatches its 4 boats (after confirming), Con Cuông records their arrival, Châu Khê has them back:
        // each side's screen says where the help is at every step.
        var acceptedB = b.Locator("li.aid-incoming[data-status='accepted']");
        await acceptedB.Locator("button.aid-dispatch").ClickAsync();
        await Assertions.Expect(b.Locator("#aid-confirm-text")).ToContainTextAsync("Xuất phát 4 chiếc Thuyền, xuồng của xã Châu Khê đi hỗ trợ xã Con Cuông?");
        await b.ClickAsync("#aid-confirm-yes");
        await Assertions.Expect(b.Locator("#aid-message")).ToHaveTextAsync("Đã ghi nhận xuất phát 4 chiếc.");
        await Assertions.Expect(b.Locator("li.aid-incoming[data-status='dispatched']")).ToContainTextAsync("4/6 chiếc");
        await Assertions.Expect(pledge).ToHaveAttributeAsync("data-status", "dispatched");
        await Assertions.Expect(a.Locator("#aid-request-summary")).ToHaveTextAsync("Một phần đang trên đường");
        await Assertions.Expect(a.Locator("#aid-lines li [data-stage='inTransit']")).ToHaveTextAsync("Đang trên đường: một phần (4/6)");
        await pledge.Locator("button.aid-arrive").ClickAsync();
        await Assertions.Expect(pledge).ToHaveAttributeAsync("data-status", "arrived");
        await Assertions.Expect(a.Locator("#aid-request-summary")).ToHaveTextAsync("Đã đến một phần");
        await Assertions.Expect(a.Locator("#aid-lines li [data-stage='inTransit']")).ToHaveCountAsync(0);   // nothing on the road any more
        await Assertions.Expect(a.Locator("#aid-lines li [data-stage='arrived']")).ToHaveTextAsync("Đã đến: một phần (4/6)");
        await Assertions.Expect(a.Locator("#aid-request-missing")).ToHaveCountAsync(0);                     // all 6 are promised
        var arrivedB = b.Locator("li.aid-incoming[data-status='arrived']");
        await Assertions.Expect(arrivedB).ToBeVisibleAsync();
        await arrivedB.Locator("button.aid-return").ClickAsync();
        await Assertions.Expect(b.Locator("#aid-message")).ToHaveTextAsync("Đã xác nhận xã đã nhận lại 4 chiếc.");
        await Assertions.Expect(pledge).ToHaveAttributeAsync("data-status", "returned");
        await Assertions.Expect(a.Locator("#aid-request-summary")).ToHaveTextAsync("Đã đến một phần");

        // ---- the request is amended: 8 boats instead of 6, and 20 militia
        await a.Locator("#aid-lines li[data-type='boat'] button.aid-edit-line").ClickAsync();
        await a.Locator("#aid-lines li[data-type='boat'] input.aid-line-qty").FillAsync("8");
        await a.Locator("#aid-lines li[data-type='boat'] button.aid-save-line").ClickAsync();
        await Assertions.Expect(a.Locator("#aid-message")).ToHaveTextAsync("Đã sửa: Thuyền, xuồng 8 chiếc.");
        await Assertions.Expect(a.Locator("#aid-request-missing")).ToHaveTextAsync("Còn thiếu: 2 chiếc Thuyền, xuồng");
        await a.SelectOptionAsync("#aid-new-line-type", "militia");
        await a.FillAsync("#aid-new-line-qty", "20");
        await a.ClickAsync("#aid-add-line-submit");
        await Assertions.Expect(a.Locator("#aid-message")).ToHaveTextAsync($"Đã thêm 20 người Dân quân tự vệ vào yêu cầu #{id}.");
        await Assertions.Expect(a.Locator("#aid-lines li[data-type='militia']")).ToContainTextAsync("Dân quân tự vệ — 20 người");
        var amendedLines = (await RequestAsync(conCuongApi, id)).Lines;
        Assert.Equal(8, amendedLines[0].Quantity);
        Assert.Equal(20, amendedLines[1].Quantity);

        // ---- the command asks Châu Khê for militia on Con Cuông's behalf, then withdraws: Con Cuông's page follows both, live
        var commanderApi = await ApiAs("kv5.commander");
        var militiaAsk = (await commanderApi.SendAsync<PledgeDto>(HttpMethod.Post, "/api/pledges",
            new { lineId = amendedLines[1].Id, donorCode = ChauKhe, quantity = 5 }, HttpStatusCode.Created)).Id;
        var onBehalf = a.Locator($"#aid-pledges li.aid-pledge[data-pledge='{militiaAsk}']");
        await Assertions.Expect(onBehalf).ToHaveAttributeAsync("data-status", "requested");
        await Assertions.Expect(onBehalf).ToContainTextAsync("đề nghị thay mặt xã: Chỉ huy khu vực phòng thủ (demo)");
        await Assertions.Expect(a.Locator("#toasts .toast[data-kind='pledge.asked_on_behalf']")).ToContainTextAsync("Chỉ huy khu vực phòng thủ (demo) đã thay mặt xã Con Cuông");
        await (await commanderApi.SendAsync(HttpMethod.Post, $"/api/pledges/{militiaAsk}/cancel")).ExpectJsonAsync(HttpStatusCode.OK);
        await Assertions.Expect(onBehalf).ToHaveAttributeAsync("data-status", "cancelled");
        await Assertions.Expect(onBehalf.Locator("button.aid-cancel")).ToHaveCountAsync(0);   // nothing stale left to press

        // ---- a second request for the same hazard is a possible duplicate: the page asks before filing it
        await a.ClickAsync("#aid-back");
        await a.ClickAsync("#aid-new");
        await a.ClickAsync("#aid-submit");      // nothing filled in: the API's field errors, in words
        await Assertions.Expect(a.Locator("#aid-form .field-error[data-field='location']")).ToHaveTextAsync("Vị trí phải nằm trong địa bàn xã: hãy chọn trên bản đồ.");
        await Assertions.Expect(a.Locator("#aid-form .field-error[data-field='hamlet']")).ToBeVisibleAsync();
        await Assertions.Expect(a.Locator("#aid-form .field-error[data-field='lines[0].resourceType']")).ToHaveTextAsync("Dòng 1: hãy chọn loại.");
        await a.ClickAsync("#aid-pick");
        await requester.WaitForMapIdleAsync();
        (x, y) = await requester.PointInsideAsync(ConCuong);
        await a.Mouse.ClickAsync((float)x, (float)y);
        await Assertions.Expect(a.Locator("#aid-point")).ToHaveAttributeAsync("data-set", "true");
        await a.FillAsync("#aid-hamlet", "Bản Xiềng");
        await a.SelectOptionAsync("#aid-form .aid-line select[name='resourceType']", "life_jacket");
        await a.FillAsync("#aid-form .aid-line input[name='quantity']", "20");
        await a.ClickAsync("#aid-submit");
        await Assertions.Expect(a.Locator("#aid-duplicate")).ToContainTextAsync($"Xã đã có yêu cầu #{id} đang mở");
        await Assertions.Expect(a.Locator("#aid-amend-duplicate")).ToHaveTextAsync($"Mở yêu cầu #{id} để bổ sung");
        await a.ClickAsync("#aid-confirm-duplicate");
        await Assertions.Expect(a.Locator("#aid-request")).Not.ToHaveAttributeAsync("data-request", id.ToString());
        StringAssert(await a.InnerTextAsync("#aid-request"), $"Có thể trùng với yêu cầu #{id}");

        Assert.True(requester.Errors.Count == 0, "browser errors (requester):\n" + string.Join("\n", requester.Errors));
        Assert.True(donor.Errors.Count == 0, "browser errors (donor):\n" + string.Join("\n", donor.Errors));
        Assert.True(command.Errors.Count == 0, "browser errors (command):\n" + string.Join("\n", command.Errors));
        await donor.CloseAsync();
        await requester.CloseAsync();
    }

    [Fact]
    public async Task Leader_keeps_inventory_and_agreements_and_the_command_moves_a_pledge_from_ask_to_return()
    {
        var app = await OpenAsync();
        var page = app.Page;
        await app.SignInAsync("concuong.leader");
        await app.WaitForPanelAsync(ConCuong);
        await app.OpenAidAsync();

        // ---- inventory: 3 boats on hand, reserved and available shown
        await page.ClickAsync("#aid-tab-inventory");
        var boats = page.Locator("#aid-inventory tr[data-type='boat']");
        await Assertions.Expect(boats.Locator("input.aid-onhand")).ToHaveValueAsync("0");
        await Assertions.Expect(page.Locator("#aid-inventory tr.pillar").First).ToHaveTextAsync("Chỉ huy tại chỗ");
        // 10¹² is refused in words (it used to read "(Bad Request)") and nothing is saved
        await boats.Locator("input.aid-onhand").FillAsync("1000000000000");
        await boats.Locator("button.aid-save-row").ClickAsync();
        await Assertions.Expect(page.Locator("#aid-message")).ToHaveTextAsync("Số hiện có là số nguyên từ 0 đến 1.000.000.");
        await boats.Locator("input.aid-onhand").FillAsync("3");
        await boats.Locator("button.aid-save-row").ClickAsync();
        await Assertions.Expect(page.Locator("#aid-message")).ToHaveTextAsync("Đã lưu: Thuyền, xuồng 3 chiếc.");
        await Assertions.Expect(boats.Locator("td.available")).ToHaveTextAsync("3");

        // ---- agreements: propose one with Châu Khê (it lends up to 10 boats), sign our side; active once it signs too
        await page.ClickAsync("#aid-tab-agreements");
        await Assertions.Expect(page.Locator("#aid-agreements")).ToContainTextAsync("Chưa có quy chế phối hợp nào.");
        await page.ClickAsync("#aid-ag-submit");   // nothing chosen: said in words, not just the label "Xã giáp ranh"
        await Assertions.Expect(page.Locator("#aid-agreement-form .form-error")).ToHaveTextAsync(
            "Hãy chọn xã giáp ranh. Hãy chọn loại phương tiện, vật tư. Hãy ghi số lượng tối đa (số nguyên từ 1).");
        await page.SelectOptionAsync("#aid-ag-partner", ChauKhe);
        await page.SelectOptionAsync("#aid-ag-lender", "partner");
        await page.SelectOptionAsync("#aid-ag-type", "boat");
        await page.FillAsync("#aid-ag-max", "10");
        await page.FillAsync("#aid-ag-contact-own", "0238 3873 100");
        await page.ClickAsync("#aid-ag-submit");
        await Assertions.Expect(page.Locator("#aid-message")).ToContainTextAsync("Đã gửi đề xuất quy chế #");
        var agreement = page.Locator("#aid-agreements li[data-agreement]");
        await Assertions.Expect(agreement).ToContainTextAsync("Châu Khê cho mượn tới 10 chiếc Thuyền, xuồng");
        await Assertions.Expect(agreement).ToContainTextAsync("Chưa hiệu lực");
        var agreementId = int.Parse((await agreement.GetAttributeAsync("data-agreement"))!);
        await agreement.Locator("button.aid-sign").ClickAsync();
        await Assertions.Expect(page.Locator("#aid-message")).ToHaveTextAsync($"Đã ký quy chế #{agreementId}.");
        await Assertions.Expect(agreement).ToContainTextAsync("Con Cuông: đã ký (Chủ tịch UBND xã Con Cuông (demo))");   // the person, not the user name
        var chaukheApi = await ApiAs("chaukhe.leader");
        await (await chaukheApi.SendAsync(HttpMethod.Post, $"/api/agreements/{agreementId}/sign")).ExpectJsonAsync(HttpStatusCode.OK);
        await (await chaukheApi.SendAsync(HttpMethod.Put, $"/api/communes/{ChauKhe}/inventory/boat", new { onHand = 10 })).ExpectJsonAsync(HttpStatusCode.OK);
        await page.ClickAsync("#aid-tab-requests");
        await page.ClickAsync("#aid-tab-agreements");
        await Assertions.Expect(agreement).ToHaveAttributeAsync("data-active", "true");
        await Assertions.Expect(agreement).ToContainTextAsync("Đang hiệu lực");
        await page.ClickAsync("#signout");
        await Assertions.Expect(page.Locator("#aid")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#aid-toggle")).ToBeHiddenAsync();
        Assert.Null(await page.GetAttributeAsync("body", "data-live"));

        // ---- a request for 8 boats (through the API), seen by the command on its screen
        var conCuongApi = await ApiAs("concuong.leader");
        var label = (await (await conCuongApi.Http.GetAsync($"/api/communes/{ConCuong}")).ExpectJsonAsync(HttpStatusCode.OK))
            .GetProperty("properties").GetProperty("labelPoint");
        var filed = await conCuongApi.SendAsync<RequestDto>(HttpMethod.Post, "/api/aid-requests", new
        {
            communeCode = ConCuong, lon = label[0].GetDouble(), lat = label[1].GetDouble(), hamlet = "Khối 4", hazard = "flood",
            urgency = "urgent", lines = new[] { new { resourceType = "boat", quantity = 8 } },
        }, HttpStatusCode.Created);
        var id = filed.Id;
        await app.SignInAsync("kv5.commander");
        await app.OpenAidAsync();
        var row = page.Locator($"#aid-area tr[data-request='{id}']");
        await Assertions.Expect(row.Locator("td.unmet")).ToHaveTextAsync("8 chiếc thuyền, xuồng");
        await row.ClickAsync();
        await Assertions.Expect(page.Locator("#aid-request-summary")).ToHaveTextAsync("Đang mở – chưa đề nghị xã nào");

        // Own stock first (tier 1), then Châu Khê under its agreement; the command asks on the commune's behalf
        var tiers = page.Locator("#aid-matches li.aid-suggestion");
        await Assertions.Expect(tiers.First).ToHaveAttributeAsync("data-donor", ConCuong);
        await Assertions.Expect(tiers.First.Locator(".tier")).ToHaveTextAsync("Kho của xã");
        var chauKhe = page.Locator($"#aid-matches li.aid-suggestion[data-donor='{ChauKhe}']");
        await Assertions.Expect(chauKhe.Locator(".reason")).ToContainTextAsync($"quy chế phối hợp #{agreementId} (tới 10 chiếc)");
        await Assertions.Expect(chauKhe.Locator("button.aid-ask")).ToHaveTextAsync("Đề nghị hỗ trợ 5 chiếc");
        await page.CheckAsync("#aid-include-affected");          // the command may include affected donors (none here)
        await Assertions.Expect(page.Locator("#aid-include-affected")).ToBeCheckedAsync();
        await chauKhe.Locator("button.aid-ask").ClickAsync();
        var pledge = page.Locator($"#aid-pledges li.aid-pledge[data-donor='{ChauKhe}']");
        await Assertions.Expect(pledge).ToHaveAttributeAsync("data-status", "requested");
        await Assertions.Expect(pledge).ToContainTextAsync("đề nghị thay mặt xã: Chỉ huy khu vực phòng thủ (demo)");

        // The command acts for both communes of its area: accept (donor), dispatch (donor, confirmed first), arrive
        // (requester), return (donor). Each step says where the help is: promised, on the road, arrived — and what is missing.
        var missing = page.Locator("#aid-request-missing");
        foreach (var (button, status, summary, onTheWay) in new[]
        {
            ("accept", "accepted", "Đã cam kết một phần", 0), ("dispatch", "dispatched", "Một phần đang trên đường", 1),
            ("arrive", "arrived", "Đã đến một phần", 0), ("return", "returned", "Đã đến một phần", 0),
        })
        {
            await pledge.Locator($"button.aid-{button}").ClickAsync();
            if (button == "dispatch")
            {
                await Assertions.Expect(page.Locator("#aid-confirm-text")).ToHaveTextAsync("Xuất phát 5 chiếc Thuyền, xuồng của xã Châu Khê đi hỗ trợ xã Con Cuông? Số này sẽ trừ khỏi kho của xã Châu Khê.");
                Assert.Equal("accepted", await pledge.GetAttributeAsync("data-status"));   // nothing happens before the confirmation
                await page.ClickAsync("#aid-confirm-yes");
            }
            await Assertions.Expect(pledge).ToHaveAttributeAsync("data-status", status);
            await Assertions.Expect(page.Locator("#aid-request-summary")).ToHaveTextAsync(summary);
            await Assertions.Expect(page.Locator("#aid-lines li [data-stage='inTransit']")).ToHaveCountAsync(onTheWay);
            await Assertions.Expect(missing).ToHaveTextAsync("Còn thiếu: 3 chiếc Thuyền, xuồng");
        }
        await Assertions.Expect(page.Locator("#aid-lines li [data-stage='arrived']")).ToHaveTextAsync("Đã đến: một phần (5/8)");
        var stock = await chaukheApi.GetAsync<List<InventoryDto>>($"/api/communes/{ChauKhe}/inventory");
        Assert.Equal(10, stock.Single(i => i.ResourceType == "boat").OnHand);

        // ---- and passes the request up to the province, after saying so
        await page.ClickAsync("#aid-escalate");
        await Assertions.Expect(page.Locator("#aid-confirm-text")).ToHaveTextAsync($"Chuyển yêu cầu #{id} của xã Con Cuông lên tỉnh? Tỉnh sẽ được thông báo ngay.");
        await page.ClickAsync("#aid-confirm-yes");
        await Assertions.Expect(page.Locator("#aid-escalated")).ToContainTextAsync("Đã chuyển lên tỉnh");
        await Assertions.Expect(page.Locator("#aid-escalated")).ToContainTextAsync("Chỉ huy khu vực phòng thủ (demo)");
        await Assertions.Expect(page.Locator("#aid-escalate")).ToHaveCountAsync(0);
        Assert.Equal("kv5.commander", (await RequestAsync(conCuongApi, id)).EscalatedBy);

        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        await app.CloseAsync();
    }

    static Task<RequestDto> RequestAsync(Session s, int id) => s.GetAsync<RequestDto>($"/api/aid-requests/{id}");
}
