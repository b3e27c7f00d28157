using Coordination.Api.MutualAid;
using Coordination.Api.MutualAid.HelpReports;
using Coordination.Api.MutualAid.Sms;
using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// A citizen's CUU SMS reaches the leader's screen: listed with its text, people, place, phone and age, a second one
/// arriving live while the screen is open; the leader marks one handled (the citizen's second SMS is queued) and turns
/// the other into an aid request through the prefilled filing form.
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

        await using (var db = PostgisFixture.NewContext(Cs))
        {
            var handled = await db.Set<HelpReport>().SingleAsync(r => r.Phone == "+84912000091");
            Assert.Equal((HelpReportStatus.Handled, "concuong.leader"), (handled.Status, handled.HandledBy));
            Assert.Equal(1, await db.SmsMessages.CountAsync(m => m.Phone == "+84912000091" && m.Kind == "help_report"));
        }

        // The other one becomes an aid request: the filing form, prefilled from the report.
        await page.Locator("#help-reports li[data-help-report] .help-convert").ClickAsync();
        await Assertions.Expect(page.Locator("#aid-form h3")).ToContainTextAsync("từ tin CỨU #2");
        Assert.Equal("Con Cuông", await page.InputValueAsync("#aid-hamlet"));
        Assert.Equal("Tin CỨU #2: 3 người, bị kẹt", await page.InputValueAsync("#aid-description"));
        var pick = page.Locator("#aid-hamlet-pick");
        await Assertions.Expect(pick.Locator("option", new() { HasText = "Bản mẫu 2" })).ToHaveCountAsync(1);
        await pick.SelectOptionAsync(new SelectOptionValue { Label = "Bản mẫu 2" });
        await Assertions.Expect(page.Locator("#aid-point")).ToHaveAttributeAsync("data-set", "true");
        await page.SelectOptionAsync("#aid-form .aid-line select[name='resourceType']", "boat");
        await page.FillAsync("#aid-form .aid-line input[name='quantity']", "2");
        await page.ClickAsync("#aid-submit");
        var request = page.Locator("#aid-request");
        await Assertions.Expect(request).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#aid-message")).ToContainTextAsync("từ tin CỨU #2");
        var id = int.Parse((await request.GetAttributeAsync("data-request"))!, System.Globalization.CultureInfo.InvariantCulture);
        await using (var db = PostgisFixture.NewContext(Cs))
        {
            var converted = await db.Set<HelpReport>().SingleAsync(r => r.Phone == "+84912000092");
            Assert.Equal((HelpReportStatus.Converted, (int?)id), (converted.Status, converted.AidRequestId));
            Assert.Equal("Bản mẫu 2", (await db.AidRequests.SingleAsync(r => r.Id == id)).Hamlet);
        }
        await page.ClickAsync("#aid-tab-help");
        await Assertions.Expect(page.Locator("#help-none")).ToBeVisibleAsync();
    }
}
