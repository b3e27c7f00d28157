using Coordination.Api.Alerts;
using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// SMS alerts in the web map (real API with Twilio pointed at the fake Twilio, a separate process; real web host;
/// Debian's chromium): the defense-area commander, an alert sender, picks Châu Khê on the map and Con Cuông in the
/// list, previews (the page's figures are the API's), sends after confirming, and watches the progress reach
/// "sent" for every number while the fake receives each message once. Subscribers: add a number (normalised to
/// E.164), an invalid one refused in words, flags, CSV import with its row errors, removal from a commune.
/// </summary>
[Collection("postgis")]
public sealed class AlertsBrowserTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    const string ChauKhe = "17248", ConCuong = "17254";
    const string Flood = "[PCTT] Cảnh báo {event} tại {communes}. {instruction}";

    FakeTwilioServer? _twilio;

    // The test provokes 400 (an invalid number, a bad CSV row) on purpose and checks what the page says instead.
    protected override IReadOnlyCollection<int> ProvokedStatuses => [400];

    protected override async Task<BrowserHost> StartAsync(string connectionString)
    {
        _twilio = await FakeTwilioServer.StartAsync();
        return await BrowserHost.StartAsync(connectionString, new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = FakeTwilioServer.AccountSid,
            ["Twilio:AuthToken"] = FakeTwilioServer.AuthToken,
            ["Twilio:From"] = "PCTT-NGHEAN",
            ["Twilio:BaseUrl"] = _twilio.BaseUrl,
            ["Twilio:MaxSegmentsPerSecond"] = "10",
            ["Sms:Dispatch:IdleSeconds"] = "0.2",
        });
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_twilio is not null) await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task Commander_picks_two_communes_previews_sends_and_watches_every_number_reach_sent()
    {
        // ---- seed: a registered template (admin), five numbers in Châu Khê and Con Cuông (the commander, within its area)
        var admin = await ApiAs("admin.demo");
        var template = await admin.SendAsync<TemplateDto>(HttpMethod.Post, "/api/sms-templates",
            new { name = "Cảnh báo lũ", registrationRef = "VNPT-TPL-2025-0042", text = Flood }, HttpStatusCode.Created);
        var templateId = template.Id;
        var commander = await ApiAs("kv5.commander");
        foreach (var (phone, communes, folded) in new[]
        {
            ("0912 345 678", new[] { ChauKhe }, false), ("0987654321", new[] { ConCuong }, false),
            ("+84 88 123 4567", new[] { ChauKhe, ConCuong }, false), ("0355 111 222", new[] { ChauKhe }, true),
            ("0868 000 111", new[] { ConCuong }, false),
        })
        {
            await (await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone, communes, prefersFolded = folded }))
                .ExpectJsonAsync(HttpStatusCode.Created);
        }

        var app = await OpenAsync();
        var page = app.Page;
        Assert.Equal(0, await page.Locator("#alerts-toggle").CountAsync());      // anonymous: the module is not even loaded
        await app.SignInAsync("kv5.commander");
        await app.OpenAlertsAsync();
        await Assertions.Expect(page.Locator("#alerts-title")).ToHaveTextAsync("Cảnh báo SMS");
        await Assertions.Expect(page.Locator("#alerts-tab-compose")).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(page.Locator("#alerts-gateway")).ToHaveAttributeAsync("data-configured", "true");
        StringAssert(await page.InnerTextAsync("#alerts-gateway"), "PCTT-NGHEAN");

        // ---- the template: its registration and text; nothing to fill in by hand for this one
        await page.SelectOptionAsync("#alerts-template", templateId.ToString());
        await Assertions.Expect(page.Locator("#alerts-template-ref")).ToHaveTextAsync("VNPT-TPL-2025-0042");
        await Assertions.Expect(page.Locator("#alerts-template-text")).ToHaveTextAsync(Flood);
        Assert.Equal(0, await page.Locator("#alerts-values input").CountAsync());

        // ---- targets: Châu Khê clicked on the map, Con Cuông ticked in the list (typed without diacritics)
        await app.ShowCommuneBesidePanelsAsync(ChauKhe);
        await Assertions.Expect(page.Locator("#alerts-pick-hint")).ToBeVisibleAsync();
        var (x, y) = await app.PointInsideAsync(ChauKhe);
        await page.Mouse.ClickAsync((float)x, (float)y);
        await Assertions.Expect(page.Locator($"#alerts-chosen li[data-code='{ChauKhe}']")).ToContainTextAsync("Châu Khê");
        await page.FillAsync("#alerts-commune-filter", "con cuong");
        await page.ClickAsync($"#alerts-commune-list li[data-code='{ConCuong}'] input");
        await Assertions.Expect(page.Locator("#alerts-chosen li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#alerts-chosen-count")).ToHaveTextAsync("Đã chọn 2 xã:");
        await page.WaitForFunctionAsync($"() => ['{ChauKhe}', '{ConCuong}'].every(c => window.coordination.alerts.painted.includes(c))");
        Assert.True(await page.EvaluateAsync<bool>(
            $"() => window.coordinationMap.getFeatureState({{source:'communes', sourceLayer:'communes', id:{int.Parse(ChauKhe)}}}).alert === true"));

        // ---- CAP fields, then the preview
        await page.FillAsync("#alerts-event", "Lũ quét");
        await page.FillAsync("#alerts-headline", "Lũ quét trên sông Cả");
        await page.FillAsync("#alerts-instruction", "Di chuyển lên chỗ cao ngay.");
        await page.ClickAsync("#alerts-preview-button");
        await Assertions.Expect(page.Locator("#alerts-pv-recipients")).ToBeVisibleAsync();

        var preview = await commander.SendAsync<PreviewDto>(HttpMethod.Post, "/api/alerts/preview", new
        {
            templateId, values = new { }, communes = new[] { ChauKhe, ConCuong }, status = "Actual", msgType = "Alert", category = "Met",
            @event = "Lũ quét", urgency = "Immediate", severity = "Severe", certainty = "Likely", headline = "Lũ quét trên sông Cả",
            instruction = "Di chuyển lên chỗ cao ngay.", fold = false,
        }, HttpStatusCode.OK);
        Log($"API preview: {preview}");
        var recipients = preview.Recipients;
        var message = preview.Message;
        var segments = message.Segments;
        var total = preview.TotalSegments;
        Assert.Equal(5, recipients);
        await Assertions.Expect(page.Locator("#alerts-pv-recipients")).ToHaveAttributeAsync("data-value", recipients.ToString());
        await Assertions.Expect(page.Locator("#alerts-pv-recipients")).ToHaveTextAsync($"{recipients} số điện thoại (1 số nhận không dấu)");
        await Assertions.Expect(page.Locator("#alerts-pv-encoding")).ToHaveAttributeAsync("data-value", message.Encoding);
        await Assertions.Expect(page.Locator("#alerts-pv-encoding")).ToContainTextAsync("UCS-2 — tiếng Việt có dấu");
        await Assertions.Expect(page.Locator("#alerts-pv-segments")).ToHaveAttributeAsync("data-value", segments.ToString());
        await Assertions.Expect(page.Locator("#alerts-pv-segments")).ToHaveTextAsync($"{segments} tin ({message.PerSegment} ký tự/tin)");
        await Assertions.Expect(page.Locator("#alerts-pv-characters")).ToHaveAttributeAsync("data-value", message.Characters.ToString());
        await Assertions.Expect(page.Locator("#alerts-pv-total")).ToHaveAttributeAsync("data-value", total.ToString());
        await Assertions.Expect(page.Locator("#alerts-pv-text")).ToHaveTextAsync(preview.Body);
        await Assertions.Expect(page.Locator("#alerts-pv-communes")).ToHaveTextAsync("Châu Khê, Con Cuông");
        await Assertions.Expect(page.Locator("#alerts-pv-time")).ToContainTextAsync("giây (tốc độ 10 tin/giây)");
        await Assertions.Expect(page.Locator("#alerts-pv-rounds")).ToHaveTextAsync("1 lượt");
        Assert.Equal(0, await page.Locator("#alerts-pv-gateway").CountAsync());     // the gateway is configured
        Assert.Equal(0, await page.Locator("#alerts-pv-approver").CountAsync());    // Severe: no second approver
        await app.ScreenshotAsync("alerts-preview");

        // ---- send: a confirmation states recipients and messages first; nothing leaves before it
        await page.ClickAsync("#alerts-send");
        await Assertions.Expect(page.Locator("#alerts-confirm-text")).ToHaveTextAsync(
            $"Gửi cảnh báo tới {recipients} số điện thoại, tổng cộng {total} tin nhắn? Không thể thu hồi tin đã gửi.");
        Assert.Equal(0, (await commander.Http.GetFromJsonAsync<JsonElement>("/api/alerts")).GetArrayLength());
        Assert.Equal(0, (await _twilio!.ReceivedAsync()).GetProperty("count").GetInt32());
        await page.ClickAsync("#alerts-confirm-send");
        var detail = page.Locator("#alerts-detail");
        await Assertions.Expect(detail).ToBeVisibleAsync();
        var id = int.Parse((await detail.GetAttributeAsync("data-alert"))!);
        await Assertions.Expect(page.Locator("#alerts-message")).ToHaveTextAsync($"Đã gửi cảnh báo #{id}.");
        await Assertions.Expect(page.Locator("#alerts-tab-list")).ToHaveAttributeAsync("aria-selected", "true");

        // ---- live progress: every number reaches "sent" (the fake answers like Twilio: queued, no callbacks here)
        var progress = page.Locator("#alerts-progress-box");
        await Assertions.Expect(progress).ToHaveAttributeAsync("data-total", recipients.ToString());
        await Assertions.Expect(progress).ToHaveAttributeAsync("data-sent", recipients.ToString(), new() { Timeout = 30000 });
        await Assertions.Expect(progress).ToHaveAttributeAsync("data-queued", "0");
        await Assertions.Expect(page.Locator("#alerts-progress li[data-kind='sent']")).ToHaveTextAsync($"Đã gửi: {recipients}");
        Assert.Equal(0, await page.Locator("#alerts-not-sent").CountAsync());
        var received = await _twilio.ReceivedAsync();
        Log($"Fake Twilio: {received.GetProperty("count")} received, {received.GetProperty("duplicates")} duplicates");
        Assert.Equal(recipients, received.GetProperty("count").GetInt32());
        Assert.Equal(0, received.GetProperty("duplicates").GetInt32());
        var bodies = received.GetProperty("messages").EnumerateArray().ToDictionary(m => m.GetProperty("to").GetString()!, m => m.GetProperty("body").GetString()!);
        Assert.Equal(preview.Body, bodies["+84912345678"]);
        Assert.Equal(preview.BodyFolded, bodies["+84355111222"]);
        var apiProgress = await commander.GetAsync<ProgressDto>($"/api/alerts/{id}/progress");
        Assert.Equal(recipients, apiProgress.Sent);

        // ---- the SMS log follows (one row per number, none still queued); the list shows the alert sent in full
        await Assertions.Expect(page.Locator("#alerts-log tbody tr")).ToHaveCountAsync(recipients, new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#alerts-log tbody tr[data-status='queued']")).ToHaveCountAsync(0, new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#alerts-log tbody")).ToContainTextAsync("+84881234567");
        await app.ScreenshotAsync("alerts-progress");
        await Assertions.Expect(page.Locator("#alerts-update")).ToBeVisibleAsync();
        await page.ClickAsync("#alerts-back");
        var item = page.Locator($"#alerts-list li[data-alert='{id}']");
        await Assertions.Expect(item).ToContainTextAsync("Lũ quét trên sông Cả");
        await Assertions.Expect(item).ToContainTextAsync($"đã gửi {recipients}/{recipients}");

        // ---- Cancel opens the composer prefilled, referencing the alert: a cancellation template (the demo one, the only
        // one there is), none of the warning's instruction, a headline that says it cancels
        await item.Locator("button.alerts-open").ClickAsync();
        await page.ClickAsync("#alerts-cancel-alert");
        await Assertions.Expect(page.Locator("#alerts-ref")).ToHaveAttributeAsync("data-msgtype", "Cancel");
        await Assertions.Expect(page.Locator("#alerts-ref")).ToContainTextAsync($"Hủy cảnh báo #{id}");
        await Assertions.Expect(page.Locator("#alerts-headline")).ToHaveValueAsync("Hủy cảnh báo: Lũ quét trên sông Cả");
        await Assertions.Expect(page.Locator("#alerts-instruction")).ToHaveValueAsync("");
        await Assertions.Expect(page.Locator("#alerts-template-ref")).ToHaveTextAsync("DEMO-TPL-03");
        await Assertions.Expect(page.Locator("#alerts-template-kind")).ToHaveAttributeAsync("data-kind", "cancel");
        Assert.Equal(0, await page.Locator($"#alerts-template option[value='{templateId}']").CountAsync());   // a warning cannot cancel
        await Assertions.Expect(page.Locator("#alerts-chosen li")).ToHaveCountAsync(2);
        Assert.Equal(0, await page.Locator("#alerts-repeat").CountAsync());                                    // a cancellation is not repeated

        // ---- its preview says plainly which alert it ends, and the text is a cancellation
        await page.ClickAsync("#alerts-preview-button");
        await Assertions.Expect(page.Locator("#alerts-pv-ends")).ToHaveTextAsync(
            $"Tin này HỦY cảnh báo #{id} «Lũ quét trên sông Cả»: cảnh báo #{id} kết thúc và không nhắc lại nữa.");
        await Assertions.Expect(page.Locator("#alerts-pv-text")).ToContainTextAsync(
            "[PCTT] Hủy cảnh báo Lũ quét tại Châu Khê, Con Cuông: cảnh báo trước đó không còn hiệu lực");
        Assert.DoesNotContain("chỗ cao", await page.InnerTextAsync("#alerts-preview"));
        await page.ClickAsync("#alerts-send");
        await Assertions.Expect(page.Locator("#alerts-confirm-text")).ToContainTextAsync($"Gửi tin HỦY cảnh báo #{id} tới {recipients} số điện thoại");
        await page.ClickAsync("#alerts-confirm-send");
        await Assertions.Expect(page.Locator("#alerts-detail")).ToBeVisibleAsync();
        var cancelId = int.Parse((await page.Locator("#alerts-detail").GetAttributeAsync("data-alert"))!);
        await Assertions.Expect(page.Locator("#alerts-message")).ToHaveTextAsync($"Đã gửi tin hủy cảnh báo #{id} (tin #{cancelId}).");

        // ---- listed as the cancellation it is, never as an active flash-flood alert
        await Assertions.Expect(page.Locator("#alerts-detail .badges")).ToHaveTextAsync($"Đã hủy cảnh báo #{id}");
        Assert.Equal(0, await page.Locator("#alerts-detail .facts dt", new() { HasTextString = "Mức độ nghiêm trọng" }).CountAsync());
        await page.ClickAsync("#alerts-back");
        var cancelItem = page.Locator($"#alerts-list li[data-alert='{cancelId}']");
        await Assertions.Expect(cancelItem.Locator(".alert-state")).ToHaveTextAsync($"Đã hủy cảnh báo #{id}");
        Assert.DoesNotContain("Đang hiệu lực", await cancelItem.InnerTextAsync());
        Assert.DoesNotContain("Nghiêm trọng", await cancelItem.InnerTextAsync());
        await Assertions.Expect(page.Locator($"#alerts-list li[data-alert='{id}'] .alert-state")).ToHaveTextAsync("Đã kết thúc");

        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        await app.CloseAsync();
    }

    [Fact]
    public async Task Commander_adds_flags_imports_and_removes_subscribers_of_a_commune()
    {
        var app = await OpenAsync();
        var page = app.Page;
        await app.SignInAsync("kv5.commander");
        await app.OpenAlertsAsync();
        await page.ClickAsync("#alerts-tab-subscribers");
        await page.SelectOptionAsync("#alerts-sub-commune", ChauKhe);
        await Assertions.Expect(page.Locator("#alerts-subs-none")).ToHaveTextAsync("Chưa có số nào nhận tin ở xã này.");

        // ---- add a number as people write it: stored and shown in E.164
        await page.FillAsync("#alerts-sub-phone", "0912 345 678");
        await page.CheckAsync("#alerts-sub-test");
        await page.ClickAsync("#alerts-sub-add");
        await Assertions.Expect(page.Locator("#alerts-sub-message")).ToHaveTextAsync("Đã thêm +84912345678 vào Châu Khê.");
        var row = page.Locator("#alerts-subs li[data-phone='+84912345678']");
        await Assertions.Expect(row.Locator(".alerts-sub-phone")).ToHaveTextAsync("+84912345678");
        await Assertions.Expect(row.Locator("input.alerts-sub-test")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#alerts-sub-phone")).ToHaveValueAsync("");

        // ---- an invalid number and a landline are refused in words, near the form
        await page.FillAsync("#alerts-sub-phone", "12345");
        await page.ClickAsync("#alerts-sub-add");
        await Assertions.Expect(page.Locator("#alerts-sub-message")).ToHaveTextAsync("«12345» không phải số điện thoại hợp lệ.");
        await Assertions.Expect(page.Locator("#alerts-sub-message")).ToHaveClassAsync("form-error");
        await page.FillAsync("#alerts-sub-phone", "024 3825 1234");
        await page.ClickAsync("#alerts-sub-add");
        await Assertions.Expect(page.Locator("#alerts-sub-message")).ToHaveTextAsync("«024 3825 1234» là số cố định: không nhận được SMS.");
        await page.FillAsync("#alerts-sub-phone", "+1 415 555 0100");
        await page.ClickAsync("#alerts-sub-add");
        await Assertions.Expect(page.Locator("#alerts-sub-message")).ToHaveTextAsync(
            "«+1 415 555 0100» không phải số di động Việt Nam (+84): người nhận tin của xã phải là số di động Việt Nam.");
        await Assertions.Expect(page.Locator("#alerts-subs li.alerts-sub")).ToHaveCountAsync(1);

        // ---- không dấu, through the row's checkbox (PATCH)
        await row.Locator("input.alerts-sub-folded").ClickAsync();
        await Assertions.Expect(page.Locator("#alerts-message")).ToHaveTextAsync("Đã lưu +84912345678.");
        var commander = await ApiAs("kv5.commander");
        var stored = (await commander.GetAsync<List<SubscriberDto>>($"/api/subscribers?phone=%2B84912345678"))[0];
        Assert.True(stored.PrefersFolded);
        Assert.True(stored.TestGroup);

        // ---- CSV import: a bad row refuses the file (named, in words); the fixed file imports
        var bad = Encoding.UTF8.GetBytes($"phone,communes,test_group\n0987654321,{ChauKhe} {ConCuong},no\n12345,{ChauKhe},\n");
        await page.SetInputFilesAsync("#alerts-import-file", new FilePayload { Name = "nguoi-nhan.csv", MimeType = "text/csv", Buffer = bad });
        await page.ClickAsync("#alerts-import-submit");
        await Assertions.Expect(page.Locator("#alerts-import-errors li")).ToHaveTextAsync("Dòng 3: «12345» không phải số điện thoại hợp lệ.");
        await Assertions.Expect(page.Locator("#alerts-subs li.alerts-sub")).ToHaveCountAsync(1);
        var good = Encoding.UTF8.GetBytes($"phone,communes,test_group\n0987654321,{ChauKhe} {ConCuong},no\n0912345678,{ChauKhe},\n");
        await page.SetInputFilesAsync("#alerts-import-file", new FilePayload { Name = "nguoi-nhan.csv", MimeType = "text/csv", Buffer = good });
        await page.ClickAsync("#alerts-import-submit");
        var result = page.Locator("#alerts-import-result");
        await Assertions.Expect(result).ToContainTextAsync("Đã đọc 2 dòng: thêm mới 1 số, cập nhật 1 số.");
        await Assertions.Expect(page.Locator("#alerts-import-errors")).ToHaveCountAsync(0);
        var imported = page.Locator("#alerts-subs li[data-phone='+84987654321']");
        await Assertions.Expect(imported).ToContainTextAsync("cũng nhận tin ở: Con Cuông");
        await Assertions.Expect(imported).ToContainTextAsync("nhập từ tệp");

        // ---- the SMS log of a number (none yet), then remove it from Châu Khê (it stays in Con Cuông)
        await imported.Locator("button.alerts-sub-log").ClickAsync();
        await Assertions.Expect(imported.Locator(".alerts-sub-messages")).ToHaveTextAsync("Chưa có tin nhắn nào.");
        await imported.Locator("button.alerts-sub-remove").ClickAsync();
        await Assertions.Expect(page.Locator("#alerts-message")).ToHaveTextAsync("Đã bỏ +84987654321 khỏi Châu Khê.");
        await Assertions.Expect(imported).ToHaveCountAsync(0);
        var left = (await commander.GetAsync<List<SubscriberDto>>($"/api/subscribers?phone=0987654321"))[0];
        Assert.Equal([ConCuong], left.Communes.ToArray());

        // ---- the same screen in English
        await page.SwitchLanguageAsync();
        await Assertions.Expect(page.Locator("#alerts-tab-subscribers")).ToHaveTextAsync("Subscribers");
        await Assertions.Expect(page.Locator("#alerts-toggle .long")).ToHaveTextAsync("SMS alerts");
        await Assertions.Expect(page.Locator("#alerts-sub-add")).ToHaveTextAsync("Add");
        await app.ScreenshotAsync("alerts-subscribers");
        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        await app.CloseAsync();

        // ---- on a phone: a short "SMS" button, the panel a sheet below the map (which shrinks above it)
        var phone = await Host.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, ReducedMotion = ReducedMotion.Reduce });
        var smallApp = new CoordinationPage(phone, await phone.NewPageAsync(), Host.WebUrl, Log);
        var small = smallApp.Page;
        await smallApp.GoToAsync("/");
        await smallApp.SignInAsync("kv5.commander");
        await Assertions.Expect(small.Locator("#alerts-toggle .short")).ToBeVisibleAsync(new() { Timeout = 10000 });
        await Assertions.Expect(small.Locator("#alerts-toggle .long")).ToBeHiddenAsync();
        await small.ClickAsync("#alerts-toggle");
        await small.ClickAsync("#alerts-tab-subscribers");
        await Assertions.Expect(small.Locator("#alerts-sub-form")).ToBeVisibleAsync();
        var sheet = (await small.Locator("#alerts").BoundingBoxAsync())!;
        var map = (await small.Locator("#map").BoundingBoxAsync())!;
        Assert.True(sheet.Y > 300 && Math.Abs(sheet.Y + sheet.Height - 844) < 2 && sheet.Width > 380, $"sheet at {sheet.Y}+{sheet.Height}, width {sheet.Width}");
        Assert.True(map.Y + map.Height <= sheet.Y + 1, $"map ends at {map.Y + map.Height}, sheet starts at {sheet.Y}");
        await smallApp.ScreenshotAsync("alerts-phone");
        await phone.CloseAsync();
    }

    [Fact]
    public async Task An_Extreme_alert_drawn_as_an_area_waits_for_a_second_sender_who_approves_it()
    {
        var admin = await ApiAs("admin.demo");
        var template = await admin.SendAsync<TemplateDto>(HttpMethod.Post, "/api/sms-templates", new
        {
            name = "Lũ quét có địa điểm", registrationRef = "VT-2025-0107", text = "[PCTT] {event} tại {place} ({communes}). {instruction}",
        }, HttpStatusCode.Created);
        var templateId = template.Id;
        var commander = await ApiAs("kv5.commander");
        await (await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0912 345 678", communes = new[] { ChauKhe } }))
            .ExpectJsonAsync(HttpStatusCode.Created);

        var app = await OpenAsync();
        var page = app.Page;
        await app.SignInAsync("kv5.commander");
        await app.OpenAlertsAsync();
        await page.SelectOptionAsync("#alerts-template", templateId.ToString());
        await Assertions.Expect(page.Locator("#alerts-value-place")).ToBeVisibleAsync();

        // ---- an area drawn around Châu Khê's label point: four clicks, then a double-click closes it
        await app.ShowCommuneBesidePanelsAsync(ChauKhe);
        await page.ClickAsync("#alerts-mode-polygon");
        await page.ClickAsync("#alerts-draw-start");
        await Assertions.Expect(page.Locator("#alerts-draw-hint")).ToBeVisibleAsync();
        var (x, y) = await app.PointInsideAsync(ChauKhe);
        foreach (var (dx, dy) in new[] { (-25, -25), (25, -25), (25, 25) })
            await page.Mouse.ClickAsync((float)(x + dx), (float)(y + dy));
        await page.Mouse.DblClickAsync((float)(x - 25), (float)(y + 25));
        await Assertions.Expect(page.Locator("#alerts-polygon-state")).ToHaveAttributeAsync("data-closed", "true");
        await Assertions.Expect(page.Locator("#alerts-polygon-state")).ToHaveAttributeAsync("data-points", "4");

        // ---- the template's own placeholder is required: the API's error in words, next to the field
        await page.FillAsync("#alerts-event", "Lũ quét");
        await page.FillAsync("#alerts-headline", "Lũ quét ở bản Xiềng");
        await page.FillAsync("#alerts-instruction", "Di chuyển lên chỗ cao.");
        await page.SelectOptionAsync("#alerts-severity", "Extreme");
        await page.ClickAsync("#alerts-preview-button");
        await Assertions.Expect(page.Locator("#alerts-form .field-error[data-field='values']")).ToHaveTextAsync("Mẫu tin cần giá trị cho: place.");
        await page.FillAsync("#alerts-value-place", "bản Xiềng");
        await page.ClickAsync("#alerts-preview-button");
        await Assertions.Expect(page.Locator("#alerts-pv-communes")).ToContainTextAsync("Châu Khê");
        await Assertions.Expect(page.Locator("#alerts-pv-approver")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#alerts-form .field-error")).ToHaveCountAsync(0);
        await page.WaitForFunctionAsync($"() => window.coordination.alerts.painted.includes('{ChauKhe}')");
        // an edit makes the preview stale
        await page.FillAsync("#alerts-instruction", "Lên đồi ngay.");
        await Assertions.Expect(page.Locator("#alerts-preview")).ToHaveAttributeAsync("data-stale", "true");
        await page.ClickAsync("#alerts-send");                 // previews again, then asks
        await Assertions.Expect(page.Locator("#alerts-confirm-text")).ToContainTextAsync("chờ người thứ hai phê duyệt");
        await Assertions.Expect(page.Locator("#alerts-pv-text")).ToContainTextAsync("Lên đồi ngay.");
        await page.ClickAsync("#alerts-confirm-send");
        var detail = page.Locator("#alerts-detail");
        await Assertions.Expect(detail).ToHaveAttributeAsync("data-state", "awaiting_approval");
        var id = int.Parse((await detail.GetAttributeAsync("data-alert"))!);
        await Assertions.Expect(page.Locator("#alerts-awaiting-own")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#alerts-approve").CountAsync());       // not for its author
        await Assertions.Expect(page.Locator("#alerts-progress-box")).ToHaveAttributeAsync("data-total", "0");

        // ---- the province operator, another alert sender, approves it in its own browser
        var app2 = await OpenAsync();
        var page2 = app2.Page;
        await app2.SignInAsync("nghean.operator");
        await app2.OpenAlertsAsync();
        await page2.ClickAsync("#alerts-tab-list");
        var item = page2.Locator($"#alerts-list li[data-alert='{id}']");
        await Assertions.Expect(item).ToHaveAttributeAsync("data-state", "awaiting_approval");
        await item.Locator("button.alerts-open").ClickAsync();
        await page2.ClickAsync("#alerts-approve");
        await Assertions.Expect(page2.Locator("#alerts-message")).ToHaveTextAsync($"Đã phê duyệt cảnh báo #{id}: đang gửi.");
        await Assertions.Expect(page2.Locator("#alerts-progress-box")).ToHaveAttributeAsync("data-sent", "1", new() { Timeout = 20000 });

        // ---- the author's page follows (it polls while the alert can change)
        await Assertions.Expect(detail).ToHaveAttributeAsync("data-state", "active", new() { Timeout = 20000 });
        await Assertions.Expect(page.Locator("#alerts-progress-box")).ToHaveAttributeAsync("data-sent", "1", new() { Timeout = 20000 });
        await Assertions.Expect(page.Locator("#alerts-detail .facts")).ToContainTextAsync("nghean.operator");

        // ---- Update: the composer prefilled, here aimed with a circle
        await page.ClickAsync("#alerts-update");
        await Assertions.Expect(page.Locator("#alerts-ref")).ToContainTextAsync($"Cập nhật cảnh báo #{id}");
        await page.ClickAsync("#alerts-mode-circle");
        await page.ClickAsync("#alerts-circle-pick");
        (x, y) = await app.PointInsideAsync(ChauKhe);
        await page.Mouse.ClickAsync((float)x, (float)y);
        await Assertions.Expect(page.Locator("#alerts-circle-state")).ToHaveAttributeAsync("data-set", "true");
        await page.FillAsync("#alerts-radius", "2");
        await page.FillAsync("#alerts-value-place", "bản Xiềng");
        await page.SelectOptionAsync("#alerts-severity", "Severe");
        await page.ClickAsync("#alerts-preview-button");
        await Assertions.Expect(page.Locator("#alerts-pv-communes")).ToContainTextAsync("Châu Khê");
        await app.ScreenshotAsync("alerts-update-circle");

        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        Assert.True(app2.Errors.Count == 0, "browser errors (approver):\n" + string.Join("\n", app2.Errors));
        await app2.CloseAsync();
        await app.CloseAsync();
    }
}
