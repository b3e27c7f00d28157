using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Coordination.Tests.Infrastructure;
using Xunit.Abstractions;
using static Coordination.Tests.Alerts.SmsHost;

namespace Coordination.Tests.Alerts;

/// <summary>
/// What may be composed (outbox-only, so nothing leaves): a Cancel reads as a cancellation — a cancellation template,
/// never the original's instruction, the preview naming the alert it ends; the cost preview over every round and
/// its limit on long messages; commune subscribers are Vietnamese mobiles unless allowed otherwise.
/// </summary>
[Collection("postgis")]
public class AlertComposeRulesTests(PostgisFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    SmsHost _host = null!;
    const string Flood = "[PCTT] Cảnh báo {event} tại {communes} từ {time}. {instruction}";
    const string Evacuate = "Di chuyển ngay lên chỗ cao.";

    public async Task InitializeAsync() => _host = await SmsHost.StartAsync(await fixture.CreateDatabaseAsync(), twilio: false);
    public async Task DisposeAsync() => await _host.DisposeAsync();

    static object Input(int template, string msgType = "Alert", int? references = null, string? instruction = Evacuate, string[]? communes = null,
        int? repeat = null, DateTimeOffset? expires = null, bool fold = false, object? values = null) => new
    {
        templateId = template, communes = communes ?? (references is null ? [ChauKhe] : []), msgType, references, instruction, repeatEveryMinutes = repeat,
        expires, fold, values, severity = "Severe", category = "Met", @event = "Lũ quét", urgency = "Immediate", certainty = "Likely",
        headline = "Lũ quét trên sông Cả",
    };

    async Task<int> CancelTemplateAsync()
    {
        var admin = await _host.SignInAsync("admin.demo");
        var t = await (await admin.SendAsync(HttpMethod.Post, "/api/sms-templates", new
        {
            name = "Hủy cảnh báo", registrationRef = "VNPT-TPL-2025-0043", kind = "cancel", text = "[PCTT] Hủy cảnh báo {event} tại {communes}. {instruction}",
        })).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal("cancel", t.GetProperty("kind").GetString());
        return t.GetProperty("id").GetInt32();
    }

    [Fact]
    public async Task A_cancel_goes_out_only_with_a_cancellation_template_never_repeats_the_instruction_and_names_the_alert_it_ends()
    {
        var warning = await _host.TemplateAsync(Flood);
        var cancelTemplate = await CancelTemplateAsync();
        var commander = await _host.SignInAsync("kv5.commander");
        (await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0912 345 678", communes = new[] { ChauKhe } })).EnsureSuccessStatusCode();

        // The demo templates include a cancellation, and a template is a warning unless it says otherwise.
        var templates = await commander.Http.GetFromJsonAsync<JsonElement>("/api/sms-templates");
        output.WriteLine(templates.ToString());
        var demoCancel = templates.EnumerateArray().Single(t => t.GetProperty("registrationRef").GetString() == "DEMO-TPL-03");
        Assert.Equal("cancel", demoCancel.GetProperty("kind").GetString());
        Assert.DoesNotContain("{instruction}", demoCancel.GetProperty("text").GetString());
        Assert.Equal("warning", templates.EnumerateArray().Single(t => t.GetProperty("id").GetInt32() == warning).GetProperty("kind").GetString());
        var admin = await _host.SignInAsync("admin.demo");
        var badKind = await (await admin.SendAsync(HttpMethod.Post, "/api/sms-templates", new { name = "X", registrationRef = "X-1", text = "[PCTT] {event}", kind = "maybe" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(badKind.GetProperty("errors").TryGetProperty("kind", out _), badKind.ToString());

        var original = (await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Input(warning, repeat: 60))).ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        Assert.Equal(1, await _host.ScalarAsync<long>($"SELECT count(*) FROM sms_messages WHERE alert_id = {original} AND status = 'queued'"));

        // A warning template cannot cancel, a cancellation template cannot warn or update; the instruction does not come back.
        async Task<JsonElement> Refused(object input, string field)
        {
            foreach (var url in new[] { "/api/alerts/preview", "/api/alerts" })
            {
                var p = await (await commander.SendAsync(HttpMethod.Post, url, input)).ExpectProblemAsync(HttpStatusCode.BadRequest);
                Assert.True(p.GetProperty("errors").TryGetProperty(field, out _), $"{url}: expected an error on {field}: {p}");
                if (url == "/api/alerts") return p;
            }
            throw new InvalidOperationException();
        }
        var withWarning = await Refused(Input(warning, "Cancel", original, instruction: null), "templateId");
        Assert.Contains("cancellation/all-clear template", withWarning.GetProperty("errors").GetProperty("templateId")[0].GetString());
        await Refused(Input(cancelTemplate, "Alert"), "templateId");
        await Refused(Input(cancelTemplate, "Update", original), "templateId");
        var repeated = await Refused(Input(cancelTemplate, "Cancel", original, instruction: "di chuyển ngay lên chỗ cao."), "instruction");
        Assert.Contains(Evacuate, repeated.GetProperty("errors").GetProperty("instruction")[0].GetString());
        Assert.Equal(1, await _host.ScalarAsync<long>("SELECT count(*) FROM alerts"));

        // The preview of a proper Cancel: its own words, and the alert it ends with what of it is withdrawn.
        var cancel = Input(cancelTemplate, "Cancel", original, instruction: "Người dân có thể về nhà.");
        var preview = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts/preview", cancel)).ExpectJsonAsync(HttpStatusCode.OK);
        output.WriteLine(preview.ToString());
        var body = preview.GetProperty("body").GetString()!;
        Assert.StartsWith("[PCTT] Hủy cảnh báo Lũ quét tại Châu Khê.", body);
        Assert.DoesNotContain("chỗ cao", body);
        Assert.Equal("Cancel", preview.GetProperty("msgType").GetString());
        var ends = preview.GetProperty("ends");
        Assert.Equal(original, ends.GetProperty("id").GetInt32());
        Assert.Equal("Lũ quét trên sông Cả", ends.GetProperty("headline").GetString());
        Assert.Equal(1, ends.GetProperty("queuedWithdrawn").GetInt64());
        Assert.Equal(1, preview.GetProperty("rounds").GetInt32());

        // The demo cancellation template works without any instruction at all.
        var demo = Input(demoCancel.GetProperty("id").GetInt32(), "Cancel", original, instruction: null);
        var demoPreview = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts/preview", demo)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.StartsWith("[PCTT] Hủy cảnh báo Lũ quét tại Châu Khê: cảnh báo trước đó không còn hiệu lực", demoPreview.GetProperty("body").GetString());

        var sent = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", demo)).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Cancel", sent.GetProperty("msgType").GetString());
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("instruction").ValueKind);
        var ended = await commander.Http.GetFromJsonAsync<JsonElement>($"/api/alerts/{original}");
        Assert.Equal("cancelled", ended.GetProperty("endedReason").GetString());
        Assert.Equal(1, ended.GetProperty("progress").GetProperty("withdrawn").GetInt64());
    }

    [Fact]
    public async Task The_preview_counts_every_round_warns_of_long_messages_and_the_api_refuses_more_than_the_maximum()
    {
        var warning = await _host.TemplateAsync(Flood);
        var commander = await _host.SignInAsync("kv5.commander");
        foreach (var phone in new[] { "0912 345 678", "0987 654 321" })
            (await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone, communes = new[] { ChauKhe } })).EnsureSuccessStatusCode();

        // Hourly for six hours: six rounds of two messages each.
        var expires = DateTimeOffset.UtcNow.AddHours(6);
        var preview = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts/preview", Input(warning, repeat: 60, expires: expires))).ExpectJsonAsync(HttpStatusCode.OK);
        output.WriteLine(preview.ToString());
        var segments = preview.GetProperty("message").GetProperty("segments").GetInt32();
        Assert.Equal(6, preview.GetProperty("rounds").GetInt32());
        Assert.Equal(2 * segments, preview.GetProperty("segmentsPerRound").GetInt64());
        Assert.Equal(6 * 2 * segments, preview.GetProperty("totalSegments").GetInt64());
        Assert.False(preview.GetProperty("longMessage").GetBoolean());

        // A long message: the preview says so (more than 3 SMS per person); 16 SMS per person is refused with the figures.
        var admin = await _host.SignInAsync("admin.demo");
        var longTemplate = (await (await admin.SendAsync(HttpMethod.Post, "/api/sms-templates", new
        {
            name = "Thông báo dài", registrationRef = "VNPT-TPL-2025-0050", text = "[PCTT] {event} tại {communes}. {details}",
        })).ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        const string head = "[PCTT] Lũ quét tại Châu Khê. ";   // what "[PCTT] {event} tại {communes}. " becomes
        var four = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts/preview",
            Input(longTemplate, values: new { details = Fill(250 - head.Length) }))).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(250, four.GetProperty("message").GetProperty("characters").GetInt32());
        Assert.Equal(4, four.GetProperty("message").GetProperty("segments").GetInt32());
        Assert.True(four.GetProperty("longMessage").GetBoolean());
        Assert.Equal(10, four.GetProperty("maxSegmentsPerMessage").GetInt32());

        // 1,058 characters with diacritics: 16 SMS per person.
        var template1058 = (await (await admin.SendAsync(HttpMethod.Post, "/api/sms-templates", new
        {
            name = "Thông báo rất dài", registrationRef = "VNPT-TPL-2025-0051", text = "[PCTT] {event} tại {communes}. " + Fill(1058 - head.Length - 250) + "{details}",
        })).ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        var huge = Input(template1058, values: new { details = Fill(250) });
        foreach (var url in new[] { "/api/alerts/preview", "/api/alerts" })
        {
            var p = await (await commander.SendAsync(HttpMethod.Post, url, huge)).ExpectProblemAsync(HttpStatusCode.BadRequest);
            output.WriteLine(p.ToString());
            var text = p.GetProperty("errors").GetProperty("text")[0].GetString()!;
            Assert.Contains("16 SMS per recipient (1058 characters, UCS-2); at most 10", text);
        }
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM alerts"));
        // Không dấu it is 7 SMS (GSM-7): allowed, and still flagged as long.
        var folded = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts/preview",
            Input(template1058, values: new { details = Fill(250) }, fold: true))).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(7, folded.GetProperty("messageFolded").GetProperty("segments").GetInt32());
        Assert.Equal(16, folded.GetProperty("message").GetProperty("segments").GetInt32());
        Assert.True(folded.GetProperty("longMessage").GetBoolean());
        Assert.Equal(2 * 7, folded.GetProperty("totalSegments").GetInt64());
    }

    [Fact]
    public async Task A_foreign_number_is_refused_for_a_commune_alone_or_in_a_file_unless_the_setting_allows_it()
    {
        var leader = await _host.SignInAsync("chaukhe.leader");
        var single = await (await leader.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "+1 415 555 0100", communes = new[] { ChauKhe } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        output.WriteLine(single.ToString());
        Assert.Contains("not a Vietnamese mobile number", single.GetProperty("errors").GetProperty("phone")[0].GetString());
        Assert.Contains("+1 415 555 0100", single.GetProperty("detail").GetString());

        var csv = $"phone,communes\n0912345678,{ChauKhe}\n+1 415 555 0100,{ChauKhe}\n";
        var file = await (await leader.PostBodyAsync("/api/subscribers/import", Encoding.UTF8.GetBytes(csv), "text/csv")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var rows = file.GetProperty("errors").GetProperty("file").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal("row 3: '+1 415 555 0100' is not a Vietnamese mobile number (+84): commune subscribers must be Vietnamese mobiles (Sms:AllowForeignNumbers)",
            Assert.Single(rows));
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM subscribers"));

        // Where the deployment allows other countries, the same number is a subscriber like any other.
        await using var open = await SmsHost.StartAsync(await fixture.CreateDatabaseAsync(), twilio: false,
            new Dictionary<string, string?> { ["Sms:AllowForeignNumbers"] = "true" });
        var allowed = await (await (await open.SignInAsync("chaukhe.leader")).SendAsync(HttpMethod.Post, "/api/subscribers",
            new { phone = "+1 415 555 0100", communes = new[] { ChauKhe } })).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal("+14155550100", allowed.GetProperty("phone").GetString());
    }

    /// <summary>Vietnamese text of exactly n characters, neither starting nor ending with a space (values are trimmed).</summary>
    static string Fill(int n)
    {
        var s = string.Concat(Enumerable.Repeat("Nước lên nhanh, ", n / 16 + 1))[..n].ToCharArray();
        if (s[^1] == ' ') s[^1] = '.';
        return new string(s);
    }
}
