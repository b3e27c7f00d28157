using Coordination.Api.Alerts;
using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// The composer with a local Android gateway configured beside Twilio: its header names the gateway, its prefixes and
/// rate, and the preview says which way the recipients go ("qua cổng SMS nội bộ …; qua Twilio …") with the API's figures.
/// </summary>
[Collection("postgis")]
public sealed class AlertsGatewayBrowserTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    const string ChauKhe = "17248";
    FakeTwilioServer? _twilio;
    FakeGatewayServer? _phone;

    protected override async Task<BrowserHost> StartAsync(string connectionString)
    {
        _twilio = await FakeTwilioServer.StartAsync();
        _phone = await FakeGatewayServer.StartAsync();
        var settings = new Dictionary<string, string?>(_phone.Settings(0, "nghean1", perMinute: 6))
        {
            ["Twilio:AccountSid"] = FakeTwilioServer.AccountSid, ["Twilio:AuthToken"] = FakeTwilioServer.AuthToken, ["Twilio:From"] = "PCTT-NGHEAN",
            ["Twilio:BaseUrl"] = _twilio.BaseUrl, ["Twilio:MaxSegmentsPerSecond"] = "10", ["Sms:AllowForeignNumbers"] = "true",
            ["Sms:Dispatch:Enabled"] = "false",
        };
        return await BrowserHost.StartAsync(connectionString, settings);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_twilio is not null) await _twilio.DisposeAsync();
        if (_phone is not null) await _phone.DisposeAsync();
    }

    [Fact]
    public async Task The_preview_says_how_many_go_through_the_local_gateway_and_at_what_rate()
    {
        var admin = await ApiAs("admin.demo");
        var template = (await admin.SendAsync<TemplateDto>(HttpMethod.Post, "/api/sms-templates",
            new { name = "Cảnh báo lũ", registrationRef = "VNPT-TPL-2025-0042", text = "[PCTT] Cảnh báo {event} tại {communes}. {instruction}" },
            HttpStatusCode.Created)).Id;
        var commander = await ApiAs("kv5.commander");
        foreach (var phone in new[] { "0912 345 678", "0987654321", "+1 415 555 2671" })
            await (await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone, communes = new[] { ChauKhe } })).ExpectJsonAsync(HttpStatusCode.Created);

        var app = await OpenAsync();
        var page = app.Page;
        await app.SignInAsync("kv5.commander");
        await app.OpenAlertsAsync();
        await Assertions.Expect(page.Locator("#alerts-gateway")).ToHaveAttributeAsync("data-mode", "gateway+twilio");
        StringAssert(await page.InnerTextAsync("#alerts-gateway"), "Cổng SMS nội bộ: 1 điện thoại gửi đến số +84, khoảng 6 tin/phút.");

        await page.SelectOptionAsync("#alerts-template", template.ToString());
        await page.FillAsync("#alerts-commune-filter", "chau khe");
        await page.ClickAsync($"#alerts-commune-list li[data-code='{ChauKhe}'] input");
        await page.FillAsync("#alerts-event", "Lũ quét");
        await page.FillAsync("#alerts-headline", "Lũ quét trên sông Cả");
        await page.FillAsync("#alerts-instruction", "Di chuyển lên chỗ cao ngay.");
        await page.ClickAsync("#alerts-preview-button");
        await Assertions.Expect(page.Locator("#alerts-pv-route")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#alerts-pv-route")).ToHaveAttributeAsync("data-value", "2");
        var route = await page.InnerTextAsync("#alerts-pv-route");
        Log($"route: {route}");
        StringAssert(route, "qua cổng SMS nội bộ (1 điện thoại): 2 người nhận, ~6 tin/phút");
        StringAssert(route, "qua Twilio: 1 người nhận, tối đa 10 tin/giây");
        StringAssert(await page.InnerTextAsync("#alerts-pv-time"), "các đường gửi chạy song song");
    }
}
