using Coordination.Api.MutualAid;
using Coordination.Api.MutualAid.HelpReports;
using Coordination.Api.MutualAid.Sms;
using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// A citizen's CUU SMS reaches the leader's screen: listed with its text, people, place, phone and age, a second one
/// arriving live while the screen is open; the leader marks one handled and the citizen's second SMS is queued.
/// </summary>
[Collection("postgis")]
public sealed class HelpReportsBrowserTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    const string ConCuong = "17254";
    static readonly SmsGrammar Grammar = SmsGrammar.For(Catalogue.Default.Select(t => (t.Code, t.NameVi)));

    async Task<string> SmsAsync(string phone, string text, string id, DateTime at)
    {
        await using var db = PostgisFixture.NewContext(Cs);
        var (command, _) = Grammar.Parse(text);
        return await HelpReportIntake.FileAsync(db, "gateway", id, phone, (SmsCommand.Help)command!, at, CancellationToken.None);
    }

    [Fact]
    public async Task A_leader_sees_a_help_report_and_marks_it_handled()
    {
        var reply = await SmsAsync("+84912000091", "CUU xa Con Cuong 12 nuoc ngap mai nha", "b1", DateTime.UtcNow.AddMinutes(-12));
        Log(reply);
        var app = await OpenAsync();
        var page = app.Page;
        await app.WaitForMapIdleAsync();
        await app.SignInAsync("concuong.leader");
        await app.OpenAidAsync();
        await Assertions.Expect(page.Locator("#aid-tab-help")).ToContainTextAsync("Tin CỨU");
        await Assertions.Expect(page.Locator("#aid-tab-help .badge")).ToHaveTextAsync("1");
        await page.ClickAsync("#aid-tab-help");
        var first = page.Locator("#help-reports li[data-help-report]").First;
        await Assertions.Expect(first).ToContainTextAsync("CUU xa Con Cuong 12 nuoc ngap mai nha");
        await Assertions.Expect(first).ToContainTextAsync("12 người");
        await Assertions.Expect(first.Locator(".help-phone")).ToHaveTextAsync("+84912000091");
        await Assertions.Expect(first.Locator(".help-phone")).ToHaveAttributeAsync("href", "tel:+84912000091");
        await Assertions.Expect(first.Locator(".help-age")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^1[23] phút trước$"));

        // A second report arrives while the screen is open: the live feed brings it, below the older one.
        await SmsAsync("+84912000092", "SOS Con Cuông 3 người bị kẹt", "b2", DateTime.UtcNow);
        await Assertions.Expect(page.Locator("#help-reports li[data-help-report]")).ToHaveCountAsync(2, new() { Timeout = 15000 });
        await Assertions.Expect(page.Locator("#help-reports li[data-help-report]").Nth(1)).ToContainTextAsync("3 người");
        await app.ScreenshotAsync("help-reports");

        await first.Locator(".help-handled").ClickAsync();
        await Assertions.Expect(page.Locator("#aid-message")).ToContainTextAsync("đã xử lý");
        await Assertions.Expect(page.Locator("#help-reports li[data-help-report]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#help-reports li[data-help-report]")).ToContainTextAsync("3 người");

        await using var db = PostgisFixture.NewContext(Cs);
        var handled = await db.Set<HelpReport>().SingleAsync(r => r.Phone == "+84912000091");
        Assert.Equal((HelpReportStatus.Handled, "concuong.leader"), (handled.Status, handled.HandledBy));
        Assert.Equal(1, await db.SmsMessages.CountAsync(m => m.Phone == "+84912000091" && m.Kind == "help_report"));
    }
}
