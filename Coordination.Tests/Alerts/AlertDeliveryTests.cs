using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Coordination.Api.Alerts.Sms;
using Coordination.Tests.Infrastructure;
using Xunit.Abstractions;
using static Coordination.Tests.Alerts.SmsHost;

namespace Coordination.Tests.Alerts;

/// <summary>
/// Alerts end to end against real PostGIS and the fake Twilio as a separate process over TCP: fan-out, dedup by
/// number, preview figures, delivery through the dispatcher, signed status callbacks, opt-out, test group, the
/// two-person rule, updates and cancellations, re-broadcast rounds, Twilio's error codes.
/// </summary>
[Collection("postgis")]
public class AlertDeliveryTests(PostgisFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    SmsHost _host = null!;
    const string Flood = "[PCTT] Cảnh báo {event} tại {communes} từ {time}. {instruction}";

    public async Task InitializeAsync() => _host = await SmsHost.StartAsync(await fixture.CreateDatabaseAsync());
    public async Task DisposeAsync() => await _host.DisposeAsync();

    static object Alert(int template, string[] communes, string severity = "Severe", string status = "Actual", bool fold = false, int? repeat = null,
        string msgType = "Alert", int? references = null) => new
    {
        templateId = template, communes, severity, status, fold, repeatEveryMinutes = repeat, msgType, references,
        category = "Met", @event = "lũ quét", urgency = "Immediate", certainty = "Likely", headline = "Lũ quét trên sông Cả",
        instruction = msgType == "Cancel" ? null : "Di chuyển lên chỗ cao ngay.",   // a cancellation never repeats it
    };

    async Task Subscribe(Session s, string phone, params string[] communes) =>
        await (await s.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone, communes })).ExpectJsonAsync(HttpStatusCode.Created);

    [Fact]
    public async Task An_alert_for_two_communes_reaches_every_number_once_and_callbacks_carry_it_to_delivered()
    {
        var template = await _host.TemplateAsync(Flood);
        var commander = await _host.SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe);
        await Subscribe(commander, "0987654321", ConCuong);
        await Subscribe(commander, "+84 88 123 4567", ChauKhe, ConCuong);   // both communes: one message
        (await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0355 111 222", communes = new[] { ChauKhe }, prefersFolded = true }))
            .EnsureSuccessStatusCode();

        var preview = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts/preview", Alert(template, [ChauKhe, ConCuong]))).ExpectJsonAsync(HttpStatusCode.OK);
        output.WriteLine(preview.ToString());
        Assert.Equal(4, preview.GetProperty("recipients").GetInt32());
        Assert.Equal(1, preview.GetProperty("recipientsFolded").GetInt32());
        var body = preview.GetProperty("body").GetString()!;
        Assert.Contains("Châu Khê", body);
        Assert.Equal("UCS-2", preview.GetProperty("message").GetProperty("encoding").GetString());
        Assert.Equal("GSM-7", preview.GetProperty("messageFolded").GetProperty("encoding").GetString());
        var segs = SmsText.Count(body).Segments;
        var segsFolded = SmsText.Count(SmsText.Fold(body)).Segments;
        Assert.Equal(3 * segs + segsFolded, preview.GetProperty("totalSegments").GetInt64());
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM alerts"));   // a preview writes nothing

        var alert = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe, ConCuong]))).ExpectJsonAsync(HttpStatusCode.Created);
        var id = alert.GetProperty("id").GetInt32();
        var done = await WaitProgressAsync(commander, id, p => p.GetProperty("delivered").GetInt64() == 4);
        Assert.Equal(4, done.GetProperty("total").GetInt64());

        var received = await _host.Twilio!.ReceivedAsync();
        Assert.Equal(4, received.GetProperty("count").GetInt32());
        Assert.Equal(0, received.GetProperty("duplicates").GetInt32());
        var bodies = received.GetProperty("messages").EnumerateArray().ToDictionary(m => m.GetProperty("to").GetString()!, m => m.GetProperty("body").GetString()!);
        Assert.Equal(["+84355111222", "+84881234567", "+84912345678", "+84987654321"], bodies.Keys.Order().ToArray());
        Assert.Equal(body, bodies["+84912345678"]);
        Assert.True(bodies["+84912345678"].IsNormalized(NormalizationForm.FormC));
        Assert.Equal(SmsText.Fold(body), bodies["+84355111222"]);
        Assert.DoesNotContain("đ", bodies["+84355111222"], StringComparison.OrdinalIgnoreCase);

        var log = await commander.Http.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}/messages");
        Assert.All(log.EnumerateArray(), m => Assert.StartsWith("SM", m.GetProperty("twilioSid").GetString()));
    }

    [Fact]
    public async Task Callbacks_are_verified_and_never_move_a_message_backwards()
    {
        var template = await _host.TemplateAsync(Flood);
        var commander = await _host.SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe);
        var id = (await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe]))).ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        await WaitProgressAsync(commander, id, p => p.GetProperty("delivered").GetInt64() == 1);
        var (mid, sid) = (await _host.ScalarAsync<long>("SELECT id FROM sms_messages"), await _host.ScalarAsync<string>("SELECT twilio_sid FROM sms_messages"));

        using var http = new HttpClient();
        async Task<HttpResponseMessage> Post(string status, string? signatureToken, string query = "")
        {
            var url = $"{_host.Url}/api/sms/twilio/status?m={mid}{query}";
            var fields = new Dictionary<string, string> { ["MessageSid"] = sid, ["SmsSid"] = sid, ["MessageStatus"] = status, ["AccountSid"] = FakeTwilioServer.AccountSid };
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
            if (signatureToken is not null) request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(signatureToken, url, fields));
            return await http.SendAsync(request);
        }
        // Late, out-of-order "sent" after "delivered": accepted (200) and ignored.
        Assert.Equal(HttpStatusCode.OK, (await Post("sent", FakeTwilioServer.AuthToken)).StatusCode);
        Assert.Equal("delivered", await _host.ScalarAsync<string>("SELECT status FROM sms_messages"));
        // Forged: no signature, a wrong token, or a signature over another URL → 403, nothing changes.
        await (await Post("undelivered", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await Post("undelivered", "not-the-token")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var tampered = new HttpRequestMessage(HttpMethod.Post, $"{_host.Url}/api/sms/twilio/status?m={mid + 1}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "failed" }),
        };
        tampered.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(FakeTwilioServer.AuthToken, $"{_host.Url}/api/sms/twilio/status?m={mid}",
            new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "failed" }));
        await (await http.SendAsync(tampered)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("delivered", await _host.ScalarAsync<string>("SELECT status FROM sms_messages"));
        // A signed callback for a message we never had: 404.
        var unknown = $"{_host.Url}/api/sms/twilio/status?m=999999";
        var f = new Dictionary<string, string> { ["MessageSid"] = "SMdeadbeef", ["MessageStatus"] = "delivered" };
        var r = new HttpRequestMessage(HttpMethod.Post, unknown) { Content = new FormUrlEncodedContent(f) };
        r.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(FakeTwilioServer.AuthToken, unknown, f));
        await (await http.SendAsync(r)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Test_and_exercise_alerts_go_only_to_the_test_group()
    {
        var template = await _host.TemplateAsync(Flood);
        var commander = await _host.SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe);
        (await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0987 654 321", communes = new[] { ChauKhe }, testGroup = true })).EnsureSuccessStatusCode();
        var preview = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts/preview", Alert(template, [ChauKhe], status: "Exercise"))).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, preview.GetProperty("recipients").GetInt32());
        Assert.True(preview.GetProperty("testGroupOnly").GetBoolean());
        var id = (await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe], status: "Test"))).ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        await WaitProgressAsync(commander, id, p => p.GetProperty("delivered").GetInt64() == 1);
        var received = await _host.Twilio!.ReceivedAsync();
        Assert.Equal("+84987654321", Assert.Single(received.GetProperty("messages").EnumerateArray()).GetProperty("to").GetString());
        // The log names numbers: Châu Khê's leader reads it, Con Cuông's does not.
        Assert.Single((await (await (await _host.SignInAsync("chaukhe.leader")).Http.GetAsync($"/api/alerts/{id}/messages")).ExpectJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        await (await (await _host.SignInAsync("concuong.leader")).Http.GetAsync($"/api/alerts/{id}/messages")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_extreme_alert_waits_for_a_second_sender()
    {
        var template = await _host.TemplateAsync(Flood);
        var commander = await _host.SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe);
        var alert = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe], severity: "Extreme"))).ExpectJsonAsync(HttpStatusCode.Created);
        var id = alert.GetProperty("id").GetInt32();
        Assert.Equal("awaiting_approval", alert.GetProperty("state").GetString());
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM sms_messages"));
        // Not by its author, not by a leader without the grant.
        await (await commander.SendAsync(HttpMethod.Post, $"/api/alerts/{id}/approve")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var leader = await _host.SignInAsync("chaukhe.leader");
        await (await leader.SendAsync(HttpMethod.Post, $"/api/alerts/{id}/approve")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM sms_messages"));
        var deputy = await _host.SecondSenderAsync();
        var approved = await (await deputy.SendAsync(HttpMethod.Post, $"/api/alerts/{id}/approve")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", approved.GetProperty("state").GetString());
        Assert.Equal("kv5.deputy", approved.GetProperty("approvedBy").GetString());
        await WaitProgressAsync(commander, id, p => p.GetProperty("delivered").GetInt64() == 1);
        await (await deputy.SendAsync(HttpMethod.Post, $"/api/alerts/{id}/approve")).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_opted_out_number_is_never_sent_to_again_even_when_an_official_adds_it()
    {
        var template = await _host.TemplateAsync(Flood);
        var commander = await _host.SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe);
        await Subscribe(commander, "0987 654 321", ChauKhe);
        var reply = await Gateway("+84912345678", "huy");
        Assert.Equal("opt_out", reply.GetProperty("keyword").GetString());
        await (await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0912345678", communes = new[] { ChauKhe } })).ExpectProblemAsync(HttpStatusCode.Conflict);
        var id = (await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe]))).ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        await WaitProgressAsync(commander, id, p => p.GetProperty("delivered").GetInt64() == 1);
        var received = await _host.Twilio!.ReceivedAsync();
        Assert.Equal("+84987654321", Assert.Single(received.GetProperty("messages").EnumerateArray()).GetProperty("to").GetString());

        // A message already queued when the number opts out is not sent either (checked at claim).
        await _host.ExecAsync("UPDATE subscribers SET opted_out = false WHERE phone = '+84912345678'");
        await _host.ExecAsync($"""
            INSERT INTO alert_rounds (alert_id, number, created_at, recipients) VALUES ({id}, 9, now(), 1);
            UPDATE subscribers SET opted_out = true WHERE phone = '+84912345678';
            INSERT INTO sms_messages (round_id, alert_id, phone, folded, segments, status, attempts, next_attempt_at, updated_at)
            SELECT max(id), {id}, '+84912345678', false, 2, 'queued', 0, now(), now() FROM alert_rounds;
            """);
        await WaitProgressAsync(commander, id, p => p.GetProperty("optedOut").GetInt64() == 1);
        Assert.Equal(1, (await _host.Twilio!.ReceivedAsync()).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Twilio_errors_are_final_retried_or_reconciled_as_the_contract_says()
    {
        var template = await _host.TemplateAsync(Flood);
        var commander = await _host.SignInAsync("kv5.commander");
        // Twilio's magic numbers are not Vietnamese mobiles, so they are placed in the table directly.
        await _host.ExecAsync($"""
            INSERT INTO subscribers (phone, prefers_folded, consent_source, consent_at, opted_out, test_group, created_at, updated_at)
            VALUES ('+15005550001', false, 'official', now(), false, false, now(), now()), ('+15005550004', false, 'official', now(), false, false, now(), now()),
                   ('+15005550429', false, 'official', now(), false, false, now(), now()), ('+15005550500', false, 'official', now(), false, false, now(), now()),
                   ('+84912345678', false, 'official', now(), false, false, now(), now());
            INSERT INTO subscriber_communes SELECT id, '{ChauKhe}' FROM subscribers;
            """);
        var id = (await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe]))).ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        await WaitProgressAsync(commander, id, p => p.GetProperty("delivered").GetInt64() == 1 && p.GetProperty("failed").GetInt64() == 3, seconds: 60);
        async Task<(string Status, int? Code, int Attempts)> Of(string phone)
        {
            var row = (await commander.Http.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}/messages")).EnumerateArray().Single(m => m.GetProperty("phone").GetString() == phone);
            return (row.GetProperty("status").GetString()!, row.GetProperty("errorCode").ValueKind == JsonValueKind.Number ? row.GetProperty("errorCode").GetInt32() : null,
                row.GetProperty("attempts").GetInt32());
        }
        Assert.Equal(("failed", 21211, 1), await Of("+15005550001"));           // invalid number: final, one attempt
        var optedOut = await Of("+15005550004");
        Assert.Equal(("opted_out", 21610), (optedOut.Status, optedOut.Code));    // opted out at Twilio: the subscriber is marked
        Assert.True(await _host.ScalarAsync<bool>("SELECT opted_out FROM subscribers WHERE phone = '+15005550004'"));
        Assert.Equal(("failed", 20429, 3), await Of("+15005550429"));          // 429: not processed, tried again later, up to the limit
        // 500: uncertain → reconciled through the list (nothing there) → sent again, until the attempts run out.
        var server = await Of("+15005550500");
        Assert.Equal("failed", server.Status);
        Assert.Equal(3, server.Attempts);
        Assert.Equal(0, (await _host.Twilio!.ReceivedAsync()).GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task Updates_and_cancellations_reference_the_original_and_stop_it()
    {
        var template = await _host.TemplateAsync(Flood);
        var cancelTemplate = await _host.TemplateAsync("[PCTT] Hủy cảnh báo {event} tại {communes}.", "Hủy cảnh báo", kind: "cancel");
        var commander = await _host.SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe);
        var first = (await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe], repeat: 60))).ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        await WaitProgressAsync(commander, first, p => p.GetProperty("delivered").GetInt64() == 1);
        // An update without a reference, or an alert with one, is refused.
        await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe], msgType: "Update"))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe], references: first))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var update = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [], msgType: "Update", references: first))).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal(first, update.GetProperty("references").GetInt32());
        Assert.Equal(ChauKhe, Assert.Single(update.GetProperty("communes").EnumerateArray()).GetProperty("code").GetString());
        var original = await commander.Http.GetFromJsonAsync<JsonElement>($"/api/alerts/{first}");
        Assert.Equal("ended", original.GetProperty("state").GetString());
        Assert.Equal("superseded", original.GetProperty("endedReason").GetString());
        Assert.Equal(JsonValueKind.Null, original.GetProperty("nextRoundAt").ValueKind);
        var cancel = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(cancelTemplate, [], msgType: "Cancel", references: update.GetProperty("id").GetInt32())))
            .ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal("cancelled", (await commander.Http.GetFromJsonAsync<JsonElement>($"/api/alerts/{update.GetProperty("id").GetInt32()}")).GetProperty("endedReason").GetString());
        await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(cancelTemplate, [], msgType: "Cancel", references: update.GetProperty("id").GetInt32())))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);   // already cancelled
        await WaitProgressAsync(commander, cancel.GetProperty("id").GetInt32(), p => p.GetProperty("delivered").GetInt64() == 1);
    }

    [Fact]
    public async Task A_repeating_alert_fans_out_a_new_round_when_due_and_each_round_reaches_a_number_once()
    {
        var template = await _host.TemplateAsync(Flood);
        var commander = await _host.SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe, ConCuong);
        var input = new
        {
            templateId = template, communes = new[] { ChauKhe, ConCuong }, riskLevel = 4, category = "Met", @event = "lũ", urgency = "Immediate", severity = "Severe",
            certainty = "Likely", headline = "Lũ lớn", instruction = "Sơ tán.",
        };
        var created = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", input)).ExpectJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal(60, created.GetProperty("repeatEveryMinutes").GetInt32());   // risk level 4: hourly (Decree 66/2021)
        await (await commander.SendAsync(HttpMethod.Post, "/api/alerts/preview", new { templateId = template, communes = new[] { ChauKhe }, riskLevel = 4, repeatEveryMinutes = 120,
            @event = "lũ", headline = "Lũ" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await WaitProgressAsync(commander, id, p => p.GetProperty("delivered").GetInt64() == 1);
        await _host.ExecAsync($"UPDATE alerts SET next_round_at = now() - interval '1 minute' WHERE id = {id}");
        var scheduler = (Coordination.Api.Alerts.Delivery.AlertScheduler)_host.Api.Services.GetService(typeof(Coordination.Api.Alerts.Delivery.AlertScheduler))!;
        await scheduler.RunOnceAsync(CancellationToken.None);
        await scheduler.RunOnceAsync(CancellationToken.None);   // not due again: no third round
        var p = await WaitProgressAsync(commander, id, p => p.GetProperty("delivered").GetInt64() == 2);
        Assert.Equal(2, p.GetProperty("rounds").GetInt32());
        Assert.Equal(2, await _host.ScalarAsync<long>($"SELECT count(*) FROM sms_messages WHERE alert_id = {id}"));
    }

    [Fact]
    public async Task Without_credentials_messages_stay_in_the_outbox_marked_not_sent()
    {
        await using var host = await SmsHost.StartAsync(await fixture.CreateDatabaseAsync(), twilio: false);
        var template = await host.TemplateAsync(Flood);
        var commander = await host.SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe);
        var gateway = await commander.Http.GetFromJsonAsync<JsonElement>("/api/sms/gateway");
        Assert.Equal("outbox-only", gateway.GetProperty("mode").GetString());
        var id = (await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe]))).ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        await Task.Delay(1000);
        var p = await commander.Http.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}/progress");
        Assert.Equal(1, p.GetProperty("queued").GetInt64());
        Assert.Equal(0, p.GetProperty("sent").GetInt64() + p.GetProperty("delivered").GetInt64());
        Assert.Equal("not sent: SMS gateway not configured", p.GetProperty("notSentReason").GetString());
    }

    async Task<JsonElement> Gateway(string from, string body, string? id = null)
    {
        var raw = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { from, body, id }));
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, $"{_host.Url}/api/sms/gateway/inbound") { Content = new ByteArrayContent(raw) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Gateway-Timestamp", ts);
        request.Headers.Add("X-Gateway-Signature", Coordination.Api.Alerts.GatewaySignature.Compute(GatewaySecret, ts, raw));
        return await (await http.SendAsync(request)).ExpectJsonAsync(HttpStatusCode.OK);
    }
}
