using System.Reflection;
using Coordination.Api.Alerts;
using Coordination.Api.Infrastructure;
using static Coordination.Tests.Alerts.SmsHost;

namespace Coordination.Tests.Alerts;

/// <summary>
/// Every refusal of the alert capability names its problem code (field codes on a 400, the facts a sentence needs),
/// every code has a Vietnamese and an English sentence in the web client, and lists show only the communes the user
/// acts for.
/// </summary>
[Collection("postgis")]
public class AlertProblemCodesTests(PostgisFixture fixture) : IAsyncLifetime
{
    SmsHost _host = null!;

    public async Task InitializeAsync() => _host = await SmsHost.StartAsync(await fixture.CreateDatabaseAsync(), twilio: false,
        new Dictionary<string, string?> { ["Twilio:AuthToken"] = FakeTwilioServer.AuthToken });
    public async Task DisposeAsync() => await _host.DisposeAsync();

    static object Alert(int template, string[] communes, string? headline = "Lũ quét") => new
    {
        templateId = template, communes, severity = "Severe", headline, @event = "lũ quét", instruction = "Di chuyển lên chỗ cao.", category = "Met",
    };

    static string Code(JsonElement problem) => problem.GetProperty("code").GetString()!;

    static string[] FieldCodes(JsonElement problem, string field) =>
        problem.GetProperty("fieldCodes").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public void Every_alert_code_has_a_Vietnamese_and_an_English_sentence()
    {
        var codes = typeof(AlertProblems).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!).ToList();
        Assert.NotNull(typeof(AlertProblems).GetCustomAttribute<ProblemCodesAttribute>());
        Assert.All(codes, c => Assert.StartsWith("alerts.", c));
        foreach (var language in new[] { "vi", "en" })
        {
            var path = Path.Combine(EmbeddedPostgres.RepositoryRoot(), "Coordination.Web", "wwwroot", "alerts", $"problems.{language}.json");
            var sentences = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!;
            Assert.All(codes, c => Assert.True(sentences.TryGetValue(c, out var s) && s.Trim().Length > 0, $"{c} has no sentence in {path}"));
        }
    }

    [Fact]
    public async Task Alert_refusals_carry_their_codes_and_facts()
    {
        var template = await _host.TemplateAsync("[PCTT] {event} tại {communes}. {instruction}");
        var commander = await _host.SignInAsync("kv5.commander");
        var leader = await _host.SignInAsync("chaukhe.leader");

        var notSender = await (await leader.SendAsync(HttpMethod.Post, "/api/alerts/preview", Alert(template, [ChauKhe]))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(AlertProblems.SenderRequired, Code(notSender));

        var outside = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, ["17335"]))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(AlertProblems.AlertOutsideScope, Code(outside));
        Assert.Equal(["17335"], outside.GetProperty("communes").EnumerateArray().Select(e => e.GetString()));

        var invalid = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe, "99999"], headline: null))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(AlertProblems.AlertInvalid, Code(invalid));
        Assert.Equal([CommonProblems.FieldRequired], FieldCodes(invalid, "headline"));
        Assert.Equal([CommonProblems.FieldUnknown], FieldCodes(invalid, "communes"));

        var both = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", new { templateId = template, communes = new[] { ChauKhe }, text = "free", headline = "Lũ", @event = "lũ" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([AlertProblems.FieldTemplateAndText], FieldCodes(both, "text"));

        var missing = await (await commander.Http.GetAsync("/api/alerts/987654")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(AlertProblems.AlertNotFound, Code(missing));
        Assert.Equal("987654", missing.GetProperty("key").GetString());
        Assert.Equal(AlertProblems.AlertNotFound, Code(await (await commander.SendAsync(HttpMethod.Post, "/api/alerts/987654/approve")).ExpectProblemAsync(HttpStatusCode.NotFound)));

        var sent = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe]))).ExpectJsonAsync(HttpStatusCode.Created);
        var id = sent.GetProperty("id").GetInt32();
        var state = await (await commander.SendAsync(HttpMethod.Post, $"/api/alerts/{id}/approve")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(AlertProblems.AlertState, Code(state));
        Assert.Equal("active", state.GetProperty("state").GetString());
        var badStatus = await (await commander.Http.GetAsync($"/api/alerts/{id}/messages?status=nope")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([CommonProblems.FieldUnknown], FieldCodes(badStatus, "status"));

        // Another commune's leader neither lists it nor reads its SMS log.
        var other = await _host.SignInAsync("concuong.leader");
        var log = await (await other.Http.GetAsync($"/api/alerts/{id}/messages")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(AlertProblems.SmsLogOutsideScope, Code(log));
        Assert.Equal(id, log.GetProperty("alertId").GetInt32());
        Assert.DoesNotContain((await other.Http.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray(), a => a.GetProperty("id").GetInt32() == id);
        Assert.Contains((await leader.Http.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray(), a => a.GetProperty("id").GetInt32() == id);
        Assert.Contains((await (await _host.SignInAsync("admin.demo")).Http.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray(), a => a.GetProperty("id").GetInt32() == id);
    }

    [Fact]
    public async Task Template_and_subscriber_refusals_carry_their_codes()
    {
        var admin = await _host.SignInAsync("admin.demo");
        var bad = await (await admin.SendAsync(HttpMethod.Post, "/api/sms-templates", new { name = "", registrationRef = "R-1", text = "Lũ {Bad}", kind = "other" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(AlertProblems.TemplateInvalid, Code(bad));
        Assert.Equal([CommonProblems.FieldRequired], FieldCodes(bad, "name"));
        Assert.Equal([AlertProblems.FieldPlaceholder], FieldCodes(bad, "text"));
        Assert.Equal([CommonProblems.FieldUnknown], FieldCodes(bad, "kind"));
        Assert.Equal(AlertProblems.TemplateNotFound,
            Code(await (await admin.SendAsync(HttpMethod.Put, "/api/sms-templates/987654", new { name = "x" })).ExpectProblemAsync(HttpStatusCode.NotFound)));
        await _host.TemplateAsync("Cảnh báo {communes}", name: "Trùng tên");
        var taken = await (await admin.SendAsync(HttpMethod.Post, "/api/sms-templates", new { name = "Trùng tên", registrationRef = "R-2", text = "Cảnh báo" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(AlertProblems.TemplateNameTaken, Code(taken));
        Assert.Equal("Trùng tên", taken.GetProperty("name").GetString());

        var leader = await _host.SignInAsync("chaukhe.leader");
        var phone = await (await leader.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0912", communes = new[] { ChauKhe } })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([CommonProblems.FieldMalformed], FieldCodes(phone, "phone"));
        var none = await (await leader.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0912345678", communes = Array.Empty<string>() })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([CommonProblems.FieldRequired], FieldCodes(none, "communes"));
        var outside = await (await leader.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0912345678", communes = new[] { ConCuong } })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(AlertProblems.SubscriberOutsideScope, Code(outside));
        Assert.Equal([ConCuong], outside.GetProperty("communes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(AlertProblems.SubscriberOutsideScope,
            Code(await (await leader.Http.GetAsync($"/api/subscribers?commune={ConCuong}")).ExpectProblemAsync(HttpStatusCode.Forbidden)));
        Assert.Equal(AlertProblems.SubscriberNotFound,
            Code(await (await leader.Http.GetAsync("/api/subscribers/987654/messages")).ExpectProblemAsync(HttpStatusCode.NotFound)));

        var file = await (await leader.PostBodyAsync("/api/subscribers/import", Encoding.UTF8.GetBytes($"phone,communes\n0912,{ChauKhe}\n0987654321,99999\n"), "text/csv"))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(CommonProblems.FileRefused, Code(file));
        Assert.Equal(2, file.GetProperty("rows").GetInt32());
        Assert.Equal([CommonProblems.FieldMalformed, CommonProblems.FieldUnknown], FieldCodes(file, "file"));
        var header = await (await leader.PostBodyAsync("/api/subscribers/import", Encoding.UTF8.GetBytes("tel,xa\n0912345678,17248\n"), "text/csv")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([CommonProblems.FieldMalformed], FieldCodes(header, "file"));
        var empty = await (await leader.PostBodyAsync("/api/subscribers/import", [], "text/csv")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([CommonProblems.FieldRequired], FieldCodes(empty, "file"));
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM subscribers"));
    }

    [Fact]
    public async Task Webhook_refusals_carry_their_codes()
    {
        using var http = new HttpClient();
        var url = $"{_host.Url}/api/sms/twilio/inbound";
        var fields = new Dictionary<string, string> { ["MessageSid"] = "SM1", ["From"] = "+84912345678", ["Body"] = "HELP" };
        var forged = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        forged.Headers.Add("X-Twilio-Signature", "forged");
        Assert.Equal(AlertProblems.WebhookSignature, Code(await (await http.SendAsync(forged)).ExpectProblemAsync(HttpStatusCode.Forbidden)));
        var json = await (await http.PostAsJsonAsync(url, fields)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([CommonProblems.FieldMalformed], FieldCodes(json, "body"));
        // Status callbacks are not configured here (no Twilio:StatusCallbackUrl): nothing can be verified.
        var status = new HttpRequestMessage(HttpMethod.Post, $"{_host.Url}/api/sms/twilio/status") { Content = new FormUrlEncodedContent(fields) };
        Assert.Equal(AlertProblems.WebhookNotConfigured, Code(await (await http.SendAsync(status)).ExpectProblemAsync(HttpStatusCode.Forbidden)));

        var raw = Encoding.UTF8.GetBytes("{\"from\":\"0912345678\",\"body\":\"HELP\"}");
        var stale = new HttpRequestMessage(HttpMethod.Post, $"{_host.Url}/api/sms/gateway/inbound") { Content = new ByteArrayContent(raw) };
        var at = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds().ToString();
        stale.Headers.Add(SmsWebhooks.GatewayTimestampHeader, at);
        stale.Headers.Add(SmsWebhooks.GatewaySignatureHeader, GatewaySignature.Compute(GatewaySecret, at, raw));
        var p = await (await http.SendAsync(stale)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(AlertProblems.WebhookTimestamp, Code(p));
        Assert.Equal(300, p.GetProperty("maxSkewSeconds").GetInt32());
    }
}
