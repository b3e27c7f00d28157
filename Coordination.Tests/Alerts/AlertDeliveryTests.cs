using Coordination.Api.Alerts;
using Coordination.Api.Alerts.Sms;
using static Coordination.Tests.Alerts.SmsHost;

namespace Coordination.Tests.Alerts;

/// <summary>
/// Alerts end to end against real PostGIS and the fake Twilio as a separate process over TCP: fan-out, dedup by
/// number, preview figures, delivery through the dispatcher, signed status callbacks, opt-out, test group, the
/// two-person rule, updates and cancellations, re-broadcast rounds, Twilio's error codes.
/// </summary>
[Collection("postgis")]
public class AlertDeliveryTests(PostgisFixture fixture, ITestOutputHelper output) : SmsApiTest(fixture)
{
    const string Flood = "[PCTT] Cảnh báo {event} tại {communes} từ {time}. {instruction}";

    static object Alert(int template, string[] communes, string severity = "Severe", string status = "Actual", bool fold = false, int? repeat = null,
        string msgType = "Alert", int? references = null) => new
    {
        templateId = template, communes, severity, status, fold, repeatEveryMinutes = repeat, msgType, references,
        category = "Met", @event = "lũ quét", urgency = "Immediate", certainty = "Likely", headline = "Lũ quét trên sông Cả",
        instruction = msgType == "Cancel" ? null : "Di chuyển lên chỗ cao ngay.",   // a cancellation never repeats it
    };

    static async Task Subscribe(Session s, string phone, params string[] communes) =>
        await (await s.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone, communes })).ExpectJsonAsync(HttpStatusCode.Created);

    [Fact]
    public async Task An_alert_for_two_communes_reaches_every_number_once_and_callbacks_carry_it_to_delivered()
    {
        var template = await Host.TemplateAsync(Flood);
        var commander = await SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe);
        await Subscribe(commander, "0987654321", ConCuong);
        await Subscribe(commander, "+84 88 123 4567", ChauKhe, ConCuong);   // both communes: one message
        (await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0355 111 222", communes = new[] { ChauKhe }, prefersFolded = true }))
            .EnsureSuccessStatusCode();

        var preview = await commander.SendAsync<PreviewDto>(HttpMethod.Post, "/api/alerts/preview", Alert(template, [ChauKhe, ConCuong]), HttpStatusCode.OK);
        output.WriteLine(preview.ToString());
        Assert.Equal(4, preview.Recipients);
        Assert.Equal(1, preview.RecipientsFolded);
        var body = preview.Body;
        Assert.Contains("Châu Khê", body);
        Assert.Equal("UCS-2", preview.Message.Encoding);
        Assert.Equal("GSM-7", preview.MessageFolded.Encoding);
        var segs = SmsText.Count(body).Segments;
        var segsFolded = SmsText.Count(SmsText.Fold(body)).Segments;
        Assert.Equal(3 * segs + segsFolded, preview.TotalSegments);
        Assert.Equal(0, await Host.ScalarAsync<long>("SELECT count(*) FROM alerts"));   // a preview writes nothing

        var alert = await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe, ConCuong]), HttpStatusCode.Created);
        var id = alert.Id;
        var done = await WaitProgressAsync(commander, id, p => p.Delivered == 4);
        Assert.Equal(4, done.Total);

        var received = await Host.Twilio!.ReceivedAsync();
        Assert.Equal(4, received.GetProperty("count").GetInt32());
        Assert.Equal(0, received.GetProperty("duplicates").GetInt32());
        var bodies = received.GetProperty("messages").EnumerateArray().ToDictionary(m => m.GetProperty("to").GetString()!, m => m.GetProperty("body").GetString()!);
        Assert.Equal(["+84355111222", "+84881234567", "+84912345678", "+84987654321"], bodies.Keys.Order().ToArray());
        Assert.Equal(body, bodies["+84912345678"]);
        Assert.True(bodies["+84912345678"].IsNormalized(NormalizationForm.FormC));
        Assert.Equal(SmsText.Fold(body), bodies["+84355111222"]);
        Assert.DoesNotContain("đ", bodies["+84355111222"], StringComparison.OrdinalIgnoreCase);

        var log = await commander.GetAsync<List<SmsLogDto>>($"/api/alerts/{id}/messages");
        Assert.All(log, m => Assert.StartsWith("SM", m.TwilioSid));
    }

    [Fact]
    public async Task Callbacks_are_verified_and_never_move_a_message_backwards()
    {
        var template = await Host.TemplateAsync(Flood);
        var commander = await SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe);
        var id = (await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe]), HttpStatusCode.Created)).Id;
        await WaitProgressAsync(commander, id, p => p.Delivered == 1);
        var (mid, sid) = (await Host.ScalarAsync<long>("SELECT id FROM sms_messages"), await Host.ScalarAsync<string>("SELECT twilio_sid FROM sms_messages"));

        using var http = new HttpClient();
        async Task<HttpResponseMessage> Post(string status, string? signatureToken, string query = "")
        {
            var url = $"{Host.Url}/api/sms/twilio/status?m={mid}{query}";
            var fields = new Dictionary<string, string> { ["MessageSid"] = sid, ["SmsSid"] = sid, ["MessageStatus"] = status, ["AccountSid"] = FakeTwilioServer.AccountSid };
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
            if (signatureToken is not null) request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(signatureToken, url, fields));
            return await http.SendAsync(request);
        }
        // Late, out-of-order "sent" after "delivered": accepted (200) and ignored.
        Assert.Equal(HttpStatusCode.OK, (await Post("sent", FakeTwilioServer.AuthToken)).StatusCode);
        Assert.Equal("delivered", await Host.ScalarAsync<string>("SELECT status FROM sms_messages"));
        // Forged: no signature, a wrong token, or a signature over another URL → 403, nothing changes.
        await (await Post("undelivered", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await Post("undelivered", "not-the-token")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var tampered = new HttpRequestMessage(HttpMethod.Post, $"{Host.Url}/api/sms/twilio/status?m={mid + 1}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "failed" }),
        };
        tampered.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(FakeTwilioServer.AuthToken, $"{Host.Url}/api/sms/twilio/status?m={mid}",
            new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "failed" }));
        await (await http.SendAsync(tampered)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("delivered", await Host.ScalarAsync<string>("SELECT status FROM sms_messages"));
        // A signed callback for a message we never had: 404.
        var unknown = $"{Host.Url}/api/sms/twilio/status?m=999999";
        var f = new Dictionary<string, string> { ["MessageSid"] = "SMdeadbeef", ["MessageStatus"] = "delivered" };
        var r = new HttpRequestMessage(HttpMethod.Post, unknown) { Content = new FormUrlEncodedContent(f) };
        r.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(FakeTwilioServer.AuthToken, unknown, f));
        await (await http.SendAsync(r)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Test_and_exercise_alerts_go_only_to_the_test_group()
    {
        var template = await Host.TemplateAsync(Flood);
        var commander = await SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe);
        (await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0987 654 321", communes = new[] { ChauKhe }, testGroup = true })).EnsureSuccessStatusCode();
        var preview = await commander.SendAsync<PreviewDto>(HttpMethod.Post, "/api/alerts/preview", Alert(template, [ChauKhe], status: "Exercise"), HttpStatusCode.OK);
        Assert.Equal(1, preview.Recipients);
        Assert.True(preview.TestGroupOnly);
        var id = (await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe], status: "Test"), HttpStatusCode.Created)).Id;
        await WaitProgressAsync(commander, id, p => p.Delivered == 1);
        var received = await Host.Twilio!.ReceivedAsync();
        Assert.Equal("+84987654321", Assert.Single(received.GetProperty("messages").EnumerateArray()).GetProperty("to").GetString());
        // The log names numbers: Châu Khê's leader reads it, Con Cuông's does not.
        Assert.Single((await (await (await SignInAsync("chaukhe.leader")).Http.GetAsync($"/api/alerts/{id}/messages")).ExpectJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        var conCuong = await SignInAsync("concuong.leader");
        await (await conCuong.Http.GetAsync($"/api/alerts/{id}/messages")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        // Nor does it see the (test) alert itself or its counts, as in the list: an alert to Châu Khê only is not Con Cuông's.
        Assert.DoesNotContain(await conCuong.GetAsync<List<AlertDto>>("/api/alerts"), a => a.Id == id);
        foreach (var url in new[] { $"/api/alerts/{id}", $"/api/alerts/{id}/progress" })
            Assert.Equal("alerts.alert.not_found", (await (await conCuong.Http.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound)).Code());
        Assert.Equal(id, (await (await SignInAsync("chaukhe.leader")).GetAsync<AlertDto>($"/api/alerts/{id}")).Id);
    }

    [Fact]
    public async Task An_extreme_alert_waits_for_a_second_sender()
    {
        var template = await Host.TemplateAsync(Flood);
        var commander = await SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe);
        var alert = await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe], severity: "Extreme"), HttpStatusCode.Created);
        var id = alert.Id;
        Assert.Equal("awaiting_approval", alert.State);
        Assert.Equal(0, await Host.ScalarAsync<long>("SELECT count(*) FROM sms_messages"));
        // Not by its author, not by a leader without the grant.
        await (await commander.SendAsync(HttpMethod.Post, $"/api/alerts/{id}/approve")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var leader = await SignInAsync("chaukhe.leader");
        await (await leader.SendAsync(HttpMethod.Post, $"/api/alerts/{id}/approve")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await Host.ScalarAsync<long>("SELECT count(*) FROM sms_messages"));
        var deputy = await Host.SecondSenderAsync();
        var approved = await deputy.SendAsync<AlertDto>(HttpMethod.Post, $"/api/alerts/{id}/approve", null, HttpStatusCode.OK);
        Assert.Equal("active", approved.State);
        Assert.Equal("kv5.deputy", approved.ApprovedBy);
        await WaitProgressAsync(commander, id, p => p.Delivered == 1);
        await (await deputy.SendAsync(HttpMethod.Post, $"/api/alerts/{id}/approve")).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_opted_out_number_is_never_sent_to_again_even_when_an_official_adds_it()
    {
        var template = await Host.TemplateAsync(Flood);
        var commander = await SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe);
        await Subscribe(commander, "0987 654 321", ChauKhe);
        var reply = await (await Host.GatewayAsync("+84912345678", "huy")).ExpectAsync<GatewayReply>(HttpStatusCode.OK);
        Assert.Equal("opt_out", reply.Keyword);
        await (await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0912345678", communes = new[] { ChauKhe } })).ExpectProblemAsync(HttpStatusCode.Conflict);
        var id = (await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe]), HttpStatusCode.Created)).Id;
        await WaitProgressAsync(commander, id, p => p.Delivered == 1);
        var received = await Host.Twilio!.ReceivedAsync();
        Assert.Equal("+84987654321", Assert.Single(received.GetProperty("messages").EnumerateArray()).GetProperty("to").GetString());

        // A message already queued when the number opts out is not sent either (checked at claim).
        await Host.ExecAsync("UPDATE subscribers SET opted_out = false WHERE phone = '+84912345678'");
        await Host.ExecAsync($"""
            INSERT INTO alert_rounds (alert_id, number, created_at, recipients) VALUES ({id}, 9, now(), 1);
            UPDATE subscribers SET opted_out = true WHERE phone = '+84912345678';
            INSERT INTO sms_messages (round_id, alert_id, phone, folded, segments, status, attempts, next_attempt_at, updated_at)
            SELECT max(id), {id}, '+84912345678', false, 2, 'queued', 0, now(), now() FROM alert_rounds;
            """);
        await WaitProgressAsync(commander, id, p => p.OptedOut == 1);
        Assert.Equal(1, (await Host.Twilio!.ReceivedAsync()).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Twilio_errors_are_final_retried_or_reconciled_as_the_contract_says()
    {
        var template = await Host.TemplateAsync(Flood);
        var commander = await SignInAsync("kv5.commander");
        // Twilio's magic numbers are not Vietnamese mobiles, so they are placed in the table directly.
        await Host.ExecAsync($"""
            INSERT INTO subscribers (phone, prefers_folded, consent_source, consent_at, opted_out, test_group, created_at, updated_at)
            VALUES ('+15005550001', false, 'official', now(), false, false, now(), now()), ('+15005550004', false, 'official', now(), false, false, now(), now()),
                   ('+15005550429', false, 'official', now(), false, false, now(), now()), ('+15005550500', false, 'official', now(), false, false, now(), now()),
                   ('+84912345678', false, 'official', now(), false, false, now(), now());
            INSERT INTO subscriber_communes SELECT id, '{ChauKhe}' FROM subscribers;
            """);
        var id = (await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe]), HttpStatusCode.Created)).Id;
        await WaitProgressAsync(commander, id, p => p.Delivered == 1 && p.Failed == 3, seconds: 60);
        async Task<(string Status, int? Code, int Attempts)> Of(string phone)
        {
            var row = (await commander.GetAsync<List<SmsLogDto>>($"/api/alerts/{id}/messages")).Single(m => m.Phone == phone);
            return (row.Status, row.ErrorCode, row.Attempts);
        }
        Assert.Equal(("failed", 21211, 1), await Of("+15005550001"));           // invalid number: final, one attempt
        var optedOut = await Of("+15005550004");
        Assert.Equal(("opted_out", 21610), (optedOut.Status, optedOut.Code));    // opted out at Twilio: the subscriber is marked
        Assert.True(await Host.ScalarAsync<bool>("SELECT opted_out FROM subscribers WHERE phone = '+15005550004'"));
        Assert.Equal(("failed", 20429, 3), await Of("+15005550429"));          // 429: not processed, tried again later, up to the limit
        // 500: uncertain → reconciled through the list (nothing there) → sent again, until the attempts run out.
        var server = await Of("+15005550500");
        Assert.Equal("failed", server.Status);
        Assert.Equal(3, server.Attempts);
        Assert.Equal(0, (await Host.Twilio!.ReceivedAsync()).GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task Updates_and_cancellations_reference_the_original_and_stop_it()
    {
        var template = await Host.TemplateAsync(Flood);
        var cancelTemplate = await Host.TemplateAsync("[PCTT] Hủy cảnh báo {event} tại {communes}.", "Hủy cảnh báo", kind: "cancel");
        var commander = await SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe);
        var first = (await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe], repeat: 60), HttpStatusCode.Created)).Id;
        await WaitProgressAsync(commander, first, p => p.Delivered == 1);
        // An update without a reference, or an alert with one, is refused.
        await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe], msgType: "Update"))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe], references: first))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var update = await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", Alert(template, [], msgType: "Update", references: first), HttpStatusCode.Created);
        Assert.Equal(first, update.References);
        Assert.Equal(ChauKhe, Assert.Single(update.Communes).Code);
        var original = await commander.GetAsync<AlertDto>($"/api/alerts/{first}");
        Assert.Equal("ended", original.State);
        Assert.Equal("superseded", original.EndedReason);
        Assert.Null(original.NextRoundAt);
        var cancel = await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", Alert(cancelTemplate, [], msgType: "Cancel", references: update.Id), HttpStatusCode.Created);
        Assert.Equal("cancelled", (await commander.GetAsync<AlertDto>($"/api/alerts/{update.Id}")).EndedReason);
        await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", Alert(cancelTemplate, [], msgType: "Cancel", references: update.Id)))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);   // already cancelled
        await WaitProgressAsync(commander, cancel.Id, p => p.Delivered == 1);
    }

    [Fact]
    public async Task A_repeating_alert_fans_out_a_new_round_when_due_and_each_round_reaches_a_number_once()
    {
        var template = await Host.TemplateAsync(Flood);
        var commander = await SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe, ConCuong);
        var input = new
        {
            templateId = template, communes = new[] { ChauKhe, ConCuong }, riskLevel = 4, category = "Met", @event = "lũ", urgency = "Immediate", severity = "Severe",
            certainty = "Likely", headline = "Lũ lớn", instruction = "Sơ tán.",
        };
        var created = await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", input, HttpStatusCode.Created);
        var id = created.Id;
        Assert.Equal(60, created.RepeatEveryMinutes);   // risk level 4: hourly (Decree 66/2021)
        await (await commander.SendAsync(HttpMethod.Post, "/api/alerts/preview", new { templateId = template, communes = new[] { ChauKhe }, riskLevel = 4, repeatEveryMinutes = 120,
            @event = "lũ", headline = "Lũ" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await WaitProgressAsync(commander, id, p => p.Delivered == 1);
        await Host.ExecAsync($"UPDATE alerts SET next_round_at = now() - interval '1 minute' WHERE id = {id}");
        var scheduler = (Coordination.Api.Alerts.Delivery.AlertScheduler)Host.Api.Services.GetService(typeof(Coordination.Api.Alerts.Delivery.AlertScheduler))!;
        await scheduler.RunOnceAsync(CancellationToken.None);
        await scheduler.RunOnceAsync(CancellationToken.None);   // not due again: no third round
        var p = await WaitProgressAsync(commander, id, p => p.Delivered == 2);
        Assert.Equal(2, p.Rounds);
        Assert.Equal(2, await Host.ScalarAsync<long>($"SELECT count(*) FROM sms_messages WHERE alert_id = {id}"));
    }

    [Fact]
    public async Task Without_credentials_messages_stay_in_the_outbox_marked_not_sent()
    {
        await using var host = await SmsHost.StartAsync(await Fixture.CreateDatabaseAsync(), twilio: false);
        var template = await host.TemplateAsync(Flood);
        var commander = await host.SignInAsync("kv5.commander");
        await Subscribe(commander, "0912 345 678", ChauKhe);
        var gateway = await commander.GetAsync<SmsGatewayStatus>("/api/sms/gateway");
        Assert.Equal("outbox-only", gateway.Mode);
        var id = (await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", Alert(template, [ChauKhe]), HttpStatusCode.Created)).Id;
        await Task.Delay(1000);
        var p = await commander.GetAsync<ProgressDto>($"/api/alerts/{id}/progress");
        Assert.Equal(1, p.Queued);
        Assert.Equal(0, p.Sent + p.Delivered);
        Assert.Equal("not sent: SMS gateway not configured", p.NotSentReason);
    }
}
