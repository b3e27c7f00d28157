using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Coordination.Api.Alerts;
using Coordination.Api.Identity;
using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// SMS and the web are one system: while Con Cuông's and Châu Khê's leaders have the map open, the whole exchange
/// happens by SMS through the signed gateway webhook (an ask by Con Cuông's leader, Châu Khê's duty phone accepting
/// fewer with its code), and both pages follow live, as they do for a change made on the web.
/// </summary>
[Collection("postgis")]
public sealed partial class SmsLiveTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    const string ChauKhe = "17248", ConCuong = "17254", Secret = "browser-gateway-secret";

    protected override Task<BrowserHost> StartAsync(string connectionString) =>
        BrowserHost.StartAsync(connectionString, new Dictionary<string, string?> { ["Sms:GatewaySecret"] = Secret, ["Aid:Escalation"] = "false" });

    [GeneratedRegex(@"de nghi (\d+)")] private static partial Regex PledgeNumber();
    [GeneratedRegex(@"XN (\d{4})")] private static partial Regex Code();

    static long _id;

    async Task<string> SmsAsync(string from, string body)
    {
        var raw = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { from, body, id = $"live-{Interlocked.Increment(ref _id)}" }));
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Host.ApiUrl}/api/sms/gateway/inbound") { Content = new ByteArrayContent(raw) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(SmsWebhooks.GatewayTimestampHeader, ts);
        request.Headers.Add(SmsWebhooks.GatewaySignatureHeader, GatewaySignature.Compute(Secret, ts, raw));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var reply = (await response.Content.ReadFromJsonAsync<GatewayReply>())!.Reply;
        Log($"SMS {from}: {body} → {reply}");
        return reply;
    }

    static string Group(Regex r, string text)
    {
        var m = r.Match(text);
        Assert.True(m.Success, $"no {r} in: {text}");
        return m.Groups[1].Value;
    }

    [Fact]
    public async Task An_exchange_by_SMS_shows_live_on_both_leaders_pages()
    {
        var admin = await ApiAs("admin.demo");
        var leader = (await admin.GetAsync<List<UserDto>>("/api/admin/users")).Single(u => u.UserName == "concuong.leader");
        await admin.SendAsync<UserDto>(HttpMethod.Put, $"/api/admin/users/{leader.Id}", new
        {
            displayName = leader.DisplayName, role = leader.Role, scopeKind = "commune", scopeCode = ConCuong, alertSender = false, phone = "0912 000 011",
        }, HttpStatusCode.OK);
        var chaukheApi = await ApiAs("chaukhe.leader");
        (await chaukheApi.SendAsync(HttpMethod.Put, $"/api/communes/{ChauKhe}/contact", new { dutyPhone = "0912 000 012" })).EnsureSuccessStatusCode();
        await chaukheApi.SendAsync<Coordination.Api.MutualAid.InventoryDto>(HttpMethod.Put, $"/api/communes/{ChauKhe}/inventory/boat", new { onHand = 10 }, HttpStatusCode.OK);

        // Both leaders at their maps; Châu Khê watching the asks addressed to it.
        var requester = await OpenAsync();
        await requester.SignInAsync("concuong.leader");
        await requester.WaitForPanelAsync(ConCuong);
        await requester.OpenAidAsync();
        var donor = await OpenAsync();
        var b = donor.Page;
        await donor.SignInAsync("chaukhe.leader");
        await donor.WaitForPanelAsync(ChauKhe);
        await donor.OpenAidAsync();
        await b.ClickAsync("#aid-tab-incoming");
        await Assertions.Expect(b.Locator("#aid-incoming-none")).ToBeVisibleAsync();

        // File and ask by SMS: the ask appears on Châu Khê's page without a reload.
        var request = Group(new Regex(@"YC (\d+)"), await SmsAsync("+84912000011", "YC THUYEN 6 TIEN THANH"));
        var pledge = Group(PledgeNumber(), await SmsAsync("+84912000011", $"HOI {request} CHAU KHE 6"));
        var incoming = b.Locator($"li.aid-incoming[data-status='requested']");
        await Assertions.Expect(incoming).ToContainTextAsync("Con Cuông đề nghị 6 chiếc");
        await Assertions.Expect(b.Locator("#toasts .toast[data-kind='pledge.asked']")).ToContainTextAsync("Con Cuông đề nghị xã Châu Khê hỗ trợ 6 chiếc");

        // Châu Khê's duty phone accepts 4 with its code: Châu Khê's page shows it accepted, Con Cuông's page is told.
        var code = Group(Code(), await SmsAsync("+84912000012", $"NHAN {pledge} 4"));
        await Assertions.Expect(incoming).ToHaveAttributeAsync("data-status", "requested");   // nothing until the code
        Assert.Contains($"de nghi {pledge}", await SmsAsync("+84912000012", $"XN {code}"));
        await Assertions.Expect(b.Locator("li.aid-incoming[data-status='accepted']")).ToContainTextAsync("4/6 chiếc");
        await Assertions.Expect(requester.Page.Locator("#toasts .toast[data-kind='pledge.accept']")).ToContainTextAsync("Châu Khê nhận hỗ trợ 4/6 chiếc");
        await donor.ScreenshotAsync("sms-live-accepted");
    }
}
