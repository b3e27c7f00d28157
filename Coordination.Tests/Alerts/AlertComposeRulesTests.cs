using Coordination.Api.Alerts;
using static Coordination.Tests.Alerts.SmsHost;

namespace Coordination.Tests.Alerts;

/// <summary>
/// What may be composed (outbox-only, so nothing leaves): a Cancel reads as a cancellation — a cancellation template,
/// never the original's instruction, the preview naming the alert it ends; the cost preview over every round and
/// its limit on long messages; commune subscribers are Vietnamese mobiles unless allowed otherwise.
/// </summary>
[Collection("postgis")]
public class AlertComposeRulesTests(PostgisFixture fixture, ITestOutputHelper output) : SmsApiTest(fixture)
{
    const string Flood = "[PCTT] Cảnh báo {event} tại {communes} từ {time}. {instruction}";
    const string Evacuate = "Di chuyển ngay lên chỗ cao.";

    protected override bool Twilio => false;

    static object Input(int template, string msgType = "Alert", int? references = null, string? instruction = Evacuate, string[]? communes = null,
        int? repeat = null, DateTimeOffset? expires = null, bool fold = false, object? values = null) => new
    {
        templateId = template, communes = communes ?? (references is null ? [ChauKhe] : []), msgType, references, instruction, repeatEveryMinutes = repeat,
        expires, fold, values, severity = "Severe", category = "Met", @event = "Lũ quét", urgency = "Immediate", certainty = "Likely",
        headline = "Lũ quét trên sông Cả",
    };

    async Task<int> CancelTemplateAsync()
    {
        var admin = await SignInAsync("admin.demo");
        var t = await admin.SendAsync<TemplateDto>(HttpMethod.Post, "/api/sms-templates", new
        {
            name = "Hủy cảnh báo", registrationRef = "VNPT-TPL-2025-0043", kind = "cancel", text = "[PCTT] Hủy cảnh báo {event} tại {communes}. {instruction}",
        }, HttpStatusCode.Created);
        Assert.Equal("cancel", t.Kind);
        return t.Id;
    }

    [Fact]
    public async Task A_cancel_goes_out_only_with_a_cancellation_template_never_repeats_the_instruction_and_names_the_alert_it_ends()
    {
        var warning = await Host.TemplateAsync(Flood);
        var cancelTemplate = await CancelTemplateAsync();
        var commander = await SignInAsync("kv5.commander");
        (await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0912 345 678", communes = new[] { ChauKhe } })).EnsureSuccessStatusCode();

        // The demo templates include a cancellation, and a template is a warning unless it says otherwise.
        var templatesJson = await commander.Http.GetFromJsonAsync<JsonElement>("/api/sms-templates");
        output.WriteLine(templatesJson.ToString());
        var templates = templatesJson.As<List<TemplateDto>>();
        var demoCancel = templates.Single(t => t.RegistrationRef == "DEMO-TPL-03");
        Assert.Equal("cancel", demoCancel.Kind);
        Assert.DoesNotContain("{instruction}", demoCancel.Text);
        Assert.Equal("warning", templates.Single(t => t.Id == warning).Kind);
        var admin = await SignInAsync("admin.demo");
        var badKind = await (await admin.SendAsync(HttpMethod.Post, "/api/sms-templates", new { name = "X", registrationRef = "X-1", text = "[PCTT] {event}", kind = "maybe" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(badKind.HasError("kind"), badKind.ToString());

        var original = (await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", Input(warning, repeat: 60), HttpStatusCode.Created)).Id;
        Assert.Equal(1, await Host.ScalarAsync<long>($"SELECT count(*) FROM sms_messages WHERE alert_id = {original} AND status = 'queued'"));

        // A warning template cannot cancel, a cancellation template cannot warn or update; the instruction does not come back.
        async Task<JsonElement> Refused(object input, string field)
        {
            foreach (var url in new[] { "/api/alerts/preview", "/api/alerts" })
            {
                var p = await (await commander.SendAsync(HttpMethod.Post, url, input)).ExpectProblemAsync(HttpStatusCode.BadRequest);
                Assert.True(p.HasError(field), $"{url}: expected an error on {field}: {p}");
                if (url == "/api/alerts") return p;
            }
            throw new InvalidOperationException();
        }
        var withWarning = await Refused(Input(warning, "Cancel", original, instruction: null), "templateId");
        Assert.Contains("cancellation/all-clear template", withWarning.Error("templateId"));
        await Refused(Input(cancelTemplate, "Alert"), "templateId");
        await Refused(Input(cancelTemplate, "Update", original), "templateId");
        var repeated = await Refused(Input(cancelTemplate, "Cancel", original, instruction: "di chuyển ngay lên chỗ cao."), "instruction");
        Assert.Contains(Evacuate, repeated.Error("instruction"));
        Assert.Equal(1, await Host.ScalarAsync<long>("SELECT count(*) FROM alerts"));

        // The preview of a proper Cancel: its own words, and the alert it ends with what of it is withdrawn.
        var cancel = Input(cancelTemplate, "Cancel", original, instruction: "Người dân có thể về nhà.");
        var preview = await commander.SendAsync<PreviewDto>(HttpMethod.Post, "/api/alerts/preview", cancel, HttpStatusCode.OK);
        output.WriteLine(preview.ToString());
        var body = preview.Body;
        Assert.StartsWith("[PCTT] Hủy cảnh báo Lũ quét tại Châu Khê.", body);
        Assert.DoesNotContain("chỗ cao", body);
        Assert.Equal("Cancel", preview.MsgType);
        var ends = preview.Ends!;
        Assert.Equal(original, ends.Id);
        Assert.Equal("Lũ quét trên sông Cả", ends.Headline);
        Assert.Equal(1, ends.QueuedWithdrawn);
        Assert.Equal(1, preview.Rounds);

        // The demo cancellation template works without any instruction at all.
        var demo = Input(demoCancel.Id, "Cancel", original, instruction: null);
        var demoPreview = await commander.SendAsync<PreviewDto>(HttpMethod.Post, "/api/alerts/preview", demo, HttpStatusCode.OK);
        Assert.StartsWith("[PCTT] Hủy cảnh báo Lũ quét tại Châu Khê: cảnh báo trước đó không còn hiệu lực", demoPreview.Body);

        var sent = await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", demo, HttpStatusCode.Created);
        Assert.Equal("Cancel", sent.MsgType);
        Assert.Null(sent.Instruction);
        var ended = await commander.GetAsync<AlertDto>($"/api/alerts/{original}");
        Assert.Equal("cancelled", ended.EndedReason);
        Assert.Equal(1, ended.Progress.Withdrawn);
    }

    [Fact]
    public async Task The_preview_counts_every_round_warns_of_long_messages_and_the_api_refuses_more_than_the_maximum()
    {
        var warning = await Host.TemplateAsync(Flood);
        var commander = await SignInAsync("kv5.commander");
        foreach (var phone in new[] { "0912 345 678", "0987 654 321" })
            (await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone, communes = new[] { ChauKhe } })).EnsureSuccessStatusCode();

        // Hourly for six hours: six rounds of two messages each.
        var expires = DateTimeOffset.UtcNow.AddHours(6);
        var preview = await commander.SendAsync<PreviewDto>(HttpMethod.Post, "/api/alerts/preview", Input(warning, repeat: 60, expires: expires), HttpStatusCode.OK);
        output.WriteLine(preview.ToString());
        var segments = preview.Message.Segments;
        Assert.Equal(6, preview.Rounds);
        Assert.Equal(2 * segments, preview.SegmentsPerRound);
        Assert.Equal(6 * 2 * segments, preview.TotalSegments);
        Assert.False(preview.LongMessage);

        // A long message: the preview says so (more than 3 SMS per person); 16 SMS per person is refused with the figures.
        var admin = await SignInAsync("admin.demo");
        var longTemplate = (await admin.SendAsync<TemplateDto>(HttpMethod.Post, "/api/sms-templates", new
        {
            name = "Thông báo dài", registrationRef = "VNPT-TPL-2025-0050", text = "[PCTT] {event} tại {communes}. {details}",
        }, HttpStatusCode.Created)).Id;
        const string head = "[PCTT] Lũ quét tại Châu Khê. ";   // what "[PCTT] {event} tại {communes}. " becomes
        var four = await commander.SendAsync<PreviewDto>(HttpMethod.Post, "/api/alerts/preview",
            Input(longTemplate, values: new { details = Fill(250 - head.Length) }), HttpStatusCode.OK);
        Assert.Equal(250, four.Message.Characters);
        Assert.Equal(4, four.Message.Segments);
        Assert.True(four.LongMessage);
        Assert.Equal(10, four.MaxSegmentsPerMessage);

        // 1,058 characters with diacritics: 16 SMS per person.
        var template1058 = (await admin.SendAsync<TemplateDto>(HttpMethod.Post, "/api/sms-templates", new
        {
            name = "Thông báo rất dài", registrationRef = "VNPT-TPL-2025-0051", text = "[PCTT] {event} tại {communes}. " + Fill(1058 - head.Length - 250) + "{details}",
        }, HttpStatusCode.Created)).Id;
        var huge = Input(template1058, values: new { details = Fill(250) });
        foreach (var url in new[] { "/api/alerts/preview", "/api/alerts" })
        {
            var p = await (await commander.SendAsync(HttpMethod.Post, url, huge)).ExpectProblemAsync(HttpStatusCode.BadRequest);
            output.WriteLine(p.ToString());
            var text = p.Error("text");
            Assert.Contains("16 SMS per recipient (1058 characters, UCS-2); at most 10", text);
        }
        Assert.Equal(0, await Host.ScalarAsync<long>("SELECT count(*) FROM alerts"));
        // Không dấu it is 7 SMS (GSM-7): allowed, and still flagged as long.
        var folded = await commander.SendAsync<PreviewDto>(HttpMethod.Post, "/api/alerts/preview",
            Input(template1058, values: new { details = Fill(250) }, fold: true), HttpStatusCode.OK);
        Assert.Equal(7, folded.MessageFolded.Segments);
        Assert.Equal(16, folded.Message.Segments);
        Assert.True(folded.LongMessage);
        Assert.Equal(2 * 7, folded.TotalSegments);
    }

    [Fact]
    public async Task A_foreign_number_is_refused_for_a_commune_alone_or_in_a_file_unless_the_setting_allows_it()
    {
        var leader = await SignInAsync("chaukhe.leader");
        var single = await (await leader.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "+1 415 555 0100", communes = new[] { ChauKhe } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        output.WriteLine(single.ToString());
        Assert.Contains("not a Vietnamese mobile number", single.Error("phone"));
        Assert.Contains("+1 415 555 0100", single.GetProperty("detail").GetString());

        var csv = $"phone,communes\n0912345678,{ChauKhe}\n+1 415 555 0100,{ChauKhe}\n";
        var file = await (await leader.PostBodyAsync("/api/subscribers/import", Encoding.UTF8.GetBytes(csv), "text/csv")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var rows = file.GetProperty("errors").GetProperty("file").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal("row 3: '+1 415 555 0100' is not a Vietnamese mobile number (+84): commune subscribers must be Vietnamese mobiles (Sms:AllowForeignNumbers)",
            Assert.Single(rows));
        Assert.Equal(0, await Host.ScalarAsync<long>("SELECT count(*) FROM subscribers"));

        // Where the deployment allows other countries, the same number is a subscriber like any other.
        await using var open = await SmsHost.StartAsync(await Fixture.CreateDatabaseAsync(), twilio: false,
            new Dictionary<string, string?> { ["Sms:AllowForeignNumbers"] = "true" });
        var allowed = await (await open.SignInAsync("chaukhe.leader")).SendAsync<SubscriberDto>(HttpMethod.Post, "/api/subscribers",
            new { phone = "+1 415 555 0100", communes = new[] { ChauKhe } }, HttpStatusCode.Created);
        Assert.Equal("+14155550100", allowed.Phone);
    }
}
