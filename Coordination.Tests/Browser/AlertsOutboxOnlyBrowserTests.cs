using Coordination.Api.Alerts;
using static Coordination.Tests.Alerts.SmsHost;
using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// The composer without an SMS gateway (outbox only: nothing leaves, so nothing may be called "sent"): the cost of
/// every round, long messages warned of and a 16-SMS text refused in words, the targets drawn in their own colour
/// with a legend entry, and a Cancel that reads as a cancellation and is listed as one — in Vietnamese and English.
/// </summary>
[Collection("postgis")]
public sealed class AlertsOutboxOnlyBrowserTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    const string ChauKhe = "17248";
    const string Flood = "[PCTT] Cảnh báo {event} tại {communes}. {instruction}";
    const string Evacuate = "Di chuyển ngay lên chỗ cao.";

    static async Task<int> TemplateAsync(Session admin, string name, string reference, string text) =>
        (await admin.SendAsync<TemplateDto>(HttpMethod.Post, "/api/sms-templates", new { name, registrationRef = reference, text }, HttpStatusCode.Created)).Id;

    protected override IReadOnlyCollection<int> ProvokedStatuses => [400];   // 400s are provoked

    protected override Task<BrowserHost> StartAsync(string connectionString) =>
        BrowserHost.StartAsync(connectionString, new Dictionary<string, string?> { ["Sms:Dispatch:IdleSeconds"] = "0.2" });

    [Fact]
    public async Task Without_a_gateway_the_page_says_recorded_not_sent_counts_every_round_and_a_cancel_reads_and_lists_as_a_cancellation()
    {
        var admin = await ApiAs("admin.demo");
        var flood = await TemplateAsync(admin, "Cảnh báo lũ", "VNPT-TPL-2025-0042", Flood);
        var details = await TemplateAsync(admin, "Thông báo chi tiết", "VNPT-TPL-2025-0050", "[PCTT] {event} tại {communes}. {details}");
        const string head = "[PCTT] Lũ quét tại Châu Khê. ";   // what "[PCTT] {event} tại {communes}. " becomes
        var huge = await TemplateAsync(admin, "Thông báo rất dài", "VNPT-TPL-2025-0051", "[PCTT] {event} tại {communes}. " + Fill(1058 - head.Length - 250) + "{details}");
        var commander = await ApiAs("kv5.commander");
        foreach (var phone in new[] { "0912 345 678", "0987 654 321" })
            (await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone, communes = new[] { ChauKhe } })).EnsureSuccessStatusCode();

        var app = await OpenAsync();
        var page = app.Page;
        await app.SubmitSignInAsync("kv5.commander", Session.DemoPassword);
        await Assertions.Expect(page.Locator("#alerts-toggle")).ToBeVisibleAsync(new() { Timeout = 10000 });
        await page.ClickAsync("#alerts-toggle");
        await Assertions.Expect(page.Locator("#alerts-gateway")).ToHaveAttributeAsync("data-configured", "false");

        // ---- targets: Châu Khê from the list, drawn in a colour no legend entry uses, with a legend entry of its own
        await Assertions.Expect(page.Locator("#legend-alerts")).ToBeHiddenAsync();
        await page.FillAsync("#alerts-commune-filter", "chau khe");
        await page.ClickAsync($"#alerts-commune-list li[data-code='{ChauKhe}'] input");
        await page.WaitForFunctionAsync($"() => window.coordination.alerts.painted.includes('{ChauKhe}')");
        await Assertions.Expect(page.Locator("#legend-alerts")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#legend-alerts")).ToHaveTextAsync("Vùng nhận cảnh báo SMS");
        var colours = await page.EvaluateAsync<string>("""
            () => {
              const rgba = (css) => { const p = document.createElement('i'); p.style.color = css; document.body.append(p);
                const m = getComputedStyle(p).color.match(/[\d.]+/g).map(Number); p.remove(); return [...m.slice(0, 3), m[3] ?? 1]; };
              const rgb = (css) => rgba(css).slice(0, 3);
              // CIE L*a*b* (D65) and the CIE76 distance: how different two colours look.
              const lab = ([r, g, b]) => {
                const f = (c) => { c /= 255; return c > 0.04045 ? ((c + 0.055) / 1.055) ** 2.4 : c / 12.92; };
                const [R, G, B] = [f(r), f(g), f(b)];
                const xyz = [(0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047, 0.2126 * R + 0.7152 * G + 0.0722 * B, (0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883];
                const [x, y, z] = xyz.map((t) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116));
                return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
              };
              const de = (a, b) => Math.hypot(...lab(a.slice(0, 3)).map((v, i) => v - lab(b.slice(0, 3))[i]));
              const m = window.coordinationMap;
              const fill = rgb(m.getPaintProperty('alerts-communes-fill', 'fill-color'));
              const line = rgb(m.getPaintProperty('alerts-communes-line', 'line-color'));
              const swatch = getComputedStyle(document.querySelector('#legend-alerts .sw')).borderTopColor;
              // every colour the legend and the map layers give meaning to (swatches made from the same CSS classes)
              const others = {};
              for (const cls of ['s0', 's1', 's2', 's3', 'own', 'dot flooded', 'dot prone', 'dot clear', 'hz-flood', 'hz-flash_flood', 'hz-landslide', 'ev']) {
                const i = document.createElement('i'); i.className = 'sw ' + cls; document.querySelector('#legend').append(i);
                const st = getComputedStyle(i);
                const used = [st.backgroundColor];
                if (st.borderTopStyle !== 'none' && parseFloat(st.borderTopWidth) > 0) used.push(st.borderTopColor);
                for (const c of used) if (rgba(c)[3] > 0) others[`${cls} ${c}`] = Math.round(de(fill, rgba(c)));
                i.remove();
              }
              return JSON.stringify({ fill, line, swatch: rgb(swatch), others, min: Math.min(...Object.values(others)) });
            }
            """);
        Log(colours);
        var c = System.Text.Json.JsonDocument.Parse(colours).RootElement;
        Assert.Equal(c.GetProperty("fill").ToString(), c.GetProperty("line").ToString());
        Assert.Equal(c.GetProperty("fill").ToString(), c.GetProperty("swatch").ToString());
        Assert.True(c.GetProperty("min").GetInt32() >= 40, $"alert targets look like a legend colour (CIE76 ΔE < 40): {colours}");

        // ---- a repeating alert: per round and in total over every round until it expires (6 h, hourly: 6 rounds)
        await page.SelectOptionAsync("#alerts-template", flood.ToString());
        await page.FillAsync("#alerts-event", "Lũ quét");
        await page.FillAsync("#alerts-headline", "Lũ quét trên sông Cả");
        await page.FillAsync("#alerts-instruction", Evacuate);
        await page.FillAsync("#alerts-repeat", "60");
        await page.ClickAsync("#alerts-preview-button");
        await Assertions.Expect(page.Locator("#alerts-pv-rounds")).ToHaveTextAsync("6 lượt, mỗi 60 phút");
        var perPerson = int.Parse((await page.Locator("#alerts-pv-segments").GetAttributeAsync("data-value"))!);
        await Assertions.Expect(page.Locator("#alerts-pv-per-round")).ToHaveAttributeAsync("data-value", (2 * perPerson).ToString());
        await Assertions.Expect(page.Locator("#alerts-pv-total")).ToHaveAttributeAsync("data-value", (6 * 2 * perPerson).ToString());
        await Assertions.Expect(page.Locator("#alerts-pv-total")).ToHaveTextAsync($"{6 * 2 * perPerson} tin nhắn (6 lượt × {2 * perPerson}), nếu gửi đến khi hết hiệu lực");
        await Assertions.Expect(page.Locator("#alerts-pv-gateway")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#alerts-pv-long").CountAsync());
        await page.ClickAsync("#alerts-send");
        await Assertions.Expect(page.Locator("#alerts-confirm-text")).ToHaveTextAsync(
            $"Gửi cảnh báo tới 2 số điện thoại: {2 * perPerson} tin nhắn mỗi lượt, 6 lượt, tổng cộng tối đa {6 * 2 * perPerson} tin nhắn? Không thể thu hồi tin đã gửi.");

        // ---- a long text is warned of (4 SMS per person); 1,058 characters (16 SMS per person) is refused in words
        await page.ClickAsync("#alerts-confirm-cancel");
        await page.SelectOptionAsync("#alerts-template", details.ToString());
        await page.FillAsync("#alerts-repeat", "");
        await page.FillAsync("#alerts-value-details", Fill(250 - head.Length));
        await page.ClickAsync("#alerts-preview-button");
        await Assertions.Expect(page.Locator("#alerts-pv-characters")).ToHaveAttributeAsync("data-value", "250");
        await Assertions.Expect(page.Locator("#alerts-pv-long")).ToHaveAttributeAsync("data-segments", "4");
        await Assertions.Expect(page.Locator("#alerts-pv-long")).ToContainTextAsync("Tin dài: mỗi người nhận 4 tin nhắn ghép (nên không quá 3).");
        await page.SelectOptionAsync("#alerts-template", huge.ToString());
        await page.FillAsync("#alerts-value-details", Fill(250));
        await page.ClickAsync("#alerts-preview-button");
        await Assertions.Expect(page.Locator("#alerts-form .field-error[data-field='text']")).ToHaveTextAsync(
            "Tin nhắn dài 1.058 ký tự (UCS-2): 16 tin mỗi người, tối đa 10 tin. Hãy rút gọn (tin không dấu ngắn hơn nhiều).");
        await Assertions.Expect(page.Locator("#alerts-preview")).ToBeHiddenAsync();

        // ---- the warning sent (repeating hourly): recorded, and the page does not say "sent"
        await page.SelectOptionAsync("#alerts-template", flood.ToString());
        await page.FillAsync("#alerts-instruction", Evacuate);
        await page.FillAsync("#alerts-repeat", "60");
        await page.ClickAsync("#alerts-send");
        await page.ClickAsync("#alerts-confirm-send");
        await Assertions.Expect(page.Locator("#alerts-detail")).ToBeVisibleAsync();
        var id = int.Parse((await page.Locator("#alerts-detail").GetAttributeAsync("data-alert"))!);
        await Assertions.Expect(page.Locator("#alerts-message")).ToHaveTextAsync($"Đã ghi nhận cảnh báo #{id}, chưa gửi: chưa cấu hình cổng SMS.");
        await Assertions.Expect(page.Locator("#alerts-not-sent")).ToHaveTextAsync("Chưa gửi: chưa cấu hình cổng SMS.");

        // ---- in English: Cancel starts from the cancellation template with no instruction, names what it ends and withdraws
        await page.SwitchLanguageAsync();
        await page.ClickAsync("#alerts-cancel-alert");
        await Assertions.Expect(page.Locator("#alerts-template-ref")).ToHaveTextAsync("DEMO-TPL-03");
        await Assertions.Expect(page.Locator("#alerts-instruction")).ToHaveValueAsync("");
        await Assertions.Expect(page.Locator("#alerts-instruction-hint")).ToBeVisibleAsync();
        await page.ClickAsync("#alerts-preview-button");
        await Assertions.Expect(page.Locator("#alerts-pv-ends")).ToHaveTextAsync(
            $"This CANCELS alert #{id} “Lũ quét trên sông Cả”: alert #{id} ends and is not repeated again. 2 unsent messages of alert #{id} will be withdrawn.");
        Assert.DoesNotContain("chỗ cao", await page.InnerTextAsync("#alerts-pv-text"));
        await Assertions.Expect(page.Locator("#alerts-pv-rounds")).ToHaveTextAsync("1 round");
        // typing the old instruction back is refused by the API, in words
        await page.FillAsync("#alerts-instruction", Evacuate);
        await page.ClickAsync("#alerts-preview-button");
        await Assertions.Expect(page.Locator("#alerts-form .field-error[data-field='instruction']")).ToHaveTextAsync(
            $"A cancellation must not repeat the instruction of alert #{id}: say what people should do now, or leave it empty.");
        await page.FillAsync("#alerts-instruction", "");
        await page.ClickAsync("#alerts-send");
        await Assertions.Expect(page.Locator("#alerts-confirm-text")).ToContainTextAsync($"Send the CANCELLATION of alert #{id} to 2 phone numbers");
        await page.ClickAsync("#alerts-confirm-send");
        await Assertions.Expect(page.Locator("#alerts-detail")).ToBeVisibleAsync();
        var cancelId = int.Parse((await page.Locator("#alerts-detail").GetAttributeAsync("data-alert"))!);
        Assert.NotEqual(id, cancelId);
        await Assertions.Expect(page.Locator("#alerts-message")).ToHaveTextAsync(
            $"Cancellation of alert #{id} recorded (#{cancelId}), not sent: no SMS gateway is configured.");
        await Assertions.Expect(page.Locator("#alerts-detail .badges")).ToHaveTextAsync($"Cancelled alert #{id}");
        await page.ClickAsync("#alerts-back");
        var cancelItem = page.Locator($"#alerts-list li[data-alert='{cancelId}']");
        await Assertions.Expect(cancelItem.Locator(".alert-state")).ToHaveTextAsync($"Cancelled alert #{id}");
        Assert.DoesNotContain("Active", await cancelItem.InnerTextAsync());
        await Assertions.Expect(page.Locator($"#alerts-list li[data-alert='{id}'] .alert-state")).ToHaveTextAsync("Ended");
        // and back in Vietnamese the list says the same
        await page.SwitchLanguageAsync();
        await Assertions.Expect(cancelItem.Locator(".alert-state")).ToHaveTextAsync($"Đã hủy cảnh báo #{id}");
        Assert.DoesNotContain("Đang hiệu lực", await cancelItem.InnerTextAsync());

        var path = Path.Combine(Path.GetTempPath(), "coordination-web-alerts-cancel.png");
        await page.ScreenshotAsync(new() { Path = path });
        Log($"Screenshot: {path}");
        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        await app.CloseAsync();
    }
}
