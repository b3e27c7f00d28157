using System.Diagnostics;
using Coordination.Api.Alerts;
using Coordination.Api.Alerts.Sms;
using Coordination.Api.Infrastructure;
using static Coordination.Tests.Alerts.SmsHost;

namespace Coordination.Tests.Alerts;

/// <summary>
/// The Android SMS gateway (capcom6 app, local server mode) end to end: the app on Kestrel, the fake gateway and the
/// fake Twilio as separate processes over TCP. Vietnamese numbers go through the gateway, others through Twilio;
/// statuses come back as signed events; inbound SMS is answered through the outbox, once.
/// </summary>
public abstract class GatewayApiTest(PostgisFixture fixture) : SmsApiTest(fixture)
{
    public const string GatewayName = "nghean1";
    protected FakeGatewayServer Gateway { get; private set; } = null!;

    /// <summary>Whether the app tells the phone where to post its events (Sms:PublicBaseUrl); false: statuses stay as sent.</summary>
    protected virtual bool Events => true;

    protected override async Task ArrangeAsync() => Gateway = await FakeGatewayServer.StartAsync();

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var s = Gateway.Settings(0, GatewayName);
            s["Sms:AllowForeignNumbers"] = "true";
            if (!Events) s["Sms:PublicBaseUrl"] = "";
            return s;
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Gateway.DisposeAsync();
    }

    protected const string Flood = "[PCTT] Cảnh báo {event} tại {communes}. {instruction}";

    protected static object Alert(int template, params string[] communes) => new
    {
        templateId = template, communes, severity = "Severe", status = "Actual", category = "Met", @event = "lũ quét", urgency = "Immediate",
        certainty = "Likely", headline = "Lũ quét trên sông Cả", instruction = "Di chuyển lên chỗ cao ngay.",
    };

    /// <summary>Subscribers put in the table directly (magic numbers need not pass the API's rules), all in Châu Khê.</summary>
    protected Task AddSubscribersAsync(params string[] phones) => Host.ExecAsync($"""
        INSERT INTO subscribers (phone, prefers_folded, consent_source, consent_at, opted_out, test_group, created_at, updated_at)
        SELECT p, false, 'official', now(), false, false, now(), now() FROM unnest(ARRAY['{string.Join("','", phones)}']) p;
        INSERT INTO subscriber_communes SELECT id, '{ChauKhe}' FROM subscribers;
        """);

    /// <summary>An event as the phone posts it, signed with <paramref name="key"/> (none for null) at <paramref name="at"/> (now unless given).</summary>
    protected async Task<HttpResponseMessage> EventAsync(object body, string? key, long? at = null, string name = GatewayName, byte[]? raw = null, string? signedBody = null)
    {
        raw ??= Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
        var ts = (at ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString();
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Host.Url}/api/sms/gateways/{name}/events") { Content = new ByteArrayContent(raw) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Timestamp", ts);
        if (key is not null)
            request.Headers.Add("X-Signature", GatewayEventSignature.Compute(key, signedBody is null ? raw : Encoding.UTF8.GetBytes(signedBody), ts));
        return await http.SendAsync(request);
    }

    protected static object Status(string evt, long outboxId, string phone, string? reason = null) => new
    {
        deviceId = "fake-device-1", @event = evt, id = Guid.NewGuid().ToString("N"), webhookId = "coordination-" + evt.Replace(':', '-'),
        payload = new { messageId = GatewayClient.MessageId(outboxId), phoneNumber = phone, simNumber = 1, reason },
    };

    protected static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 30)
    {
        var value = await read();
        for (var i = 0; i < seconds * 10 && !done(value); i++)
        {
            await Task.Delay(100);
            value = await read();
        }
        Assert.True(done(value), $"{what}: {value}");
        return value;
    }
}

[Collection("postgis")]
public class GatewayDeliveryTests(PostgisFixture fixture, ITestOutputHelper output) : GatewayApiTest(fixture)
{
    [Fact]
    public async Task Vietnamese_numbers_go_through_the_gateway_and_others_through_Twilio_and_signed_events_carry_them_to_delivered()
    {
        var template = await Host.TemplateAsync(Flood);
        var commander = await SignInAsync("kv5.commander");
        // +84900000777: the phone takes it and the network fails it (an sms:failed event).
        await AddSubscribersAsync("+84912345678", "+84987654321", "+14155552671", "+84900000777");

        var status = await commander.GetAsync<SmsGatewayStatus>("/api/sms/gateway");
        Assert.Equal("gateway+twilio", status.Mode);
        Assert.Equal(["+84"], status.GatewayPrefixes);
        Assert.Equal(GatewayName, Assert.Single(status.LocalGateways).Name);
        Assert.True(status.LocalGateways[0].Events);

        var preview = await commander.SendAsync<PreviewDto>(HttpMethod.Post, "/api/alerts/preview", Alert(template, ChauKhe), HttpStatusCode.OK);
        output.WriteLine(string.Join("\n", preview.Routes));
        var viaGateway = preview.Routes.Single(r => r.Via == "gateway");
        var viaTwilio = preview.Routes.Single(r => r.Via == "twilio");
        Assert.Equal((3, 1), (viaGateway.Recipients, viaTwilio.Recipients));
        Assert.Equal(preview.SegmentsPerRound, viaGateway.SegmentsPerRound + viaTwilio.SegmentsPerRound);

        var id = (await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", Alert(template, ChauKhe), HttpStatusCode.Created)).Id;
        await WaitProgressAsync(commander, id, p => p.Delivered == 3 && p.Failed == 1);

        var phone = await Gateway.ReceivedAsync();
        Assert.Equal(0, phone.GetProperty("duplicates").GetInt32());
        var atPhone = phone.GetProperty("messages").EnumerateArray().ToDictionary(m => m.GetProperty("phoneNumber").GetString()!, m => m);
        Assert.Equal(["+84900000777", "+84912345678", "+84987654321"], atPhone.Keys.Order().ToArray());
        var body = preview.Body;
        Assert.Equal(body, atPhone["+84912345678"].GetProperty("text").GetString());
        var twilio = await Host.Twilio!.ReceivedAsync();
        Assert.Equal("+14155552671", Assert.Single(twilio.GetProperty("messages").EnumerateArray()).GetProperty("to").GetString());

        // Each row says which way it went, and the phone knows it by our id.
        Assert.Equal("gateway:nghean1,gateway:nghean1,gateway:nghean1,twilio",
            await Host.ScalarAsync<string>($"SELECT string_agg(provider, ',' ORDER BY provider) FROM sms_messages WHERE alert_id = {id}"));
        var rowId = await Host.ScalarAsync<long>("SELECT id FROM sms_messages WHERE phone = '+84912345678'");
        Assert.Equal(GatewayClient.MessageId(rowId), atPhone["+84912345678"].GetProperty("id").GetString());
        // Delivered came from the phone's signed events (the dispatcher itself records only "accepted").
        var hooks = await Gateway.WebhooksAsync();
        Assert.Contains(hooks.EnumerateArray(), h => h.GetProperty("event").GetString() == "sms:delivered" && h.GetProperty("status").GetInt32() == 200);
        Assert.DoesNotContain(hooks.EnumerateArray(), h => h.GetProperty("status").GetInt32() is not 200);
        var failed = (await commander.GetAsync<List<SmsLogDto>>($"/api/alerts/{id}/messages")).Single(m => m.Phone == "+84900000777");
        Assert.Equal(("failed", "RESULT_ERROR_GENERIC_FAILURE"), (failed.Status, failed.ErrorMessage));
    }

    [Fact]
    public async Task An_inbound_SMS_at_the_gateway_is_answered_once_through_the_outbox_even_when_delivered_twice()
    {
        // The app registered its four events with the phone at start.
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeGatewayServer.User}:{FakeGatewayServer.Password}")));
        await PollAsync(async () => JsonDocument.Parse(await http.GetStringAsync($"{Gateway.BaseUrl}/webhooks")).RootElement.GetArrayLength(), n => n == 4, "webhooks registered");

        var delivery = await Gateway.InboundAsync("0912 345 678", "tro giup");
        var replies = await PollAsync(async () => (await Gateway.ReceivedAsync()).GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("phoneNumber").GetString() == "+84912345678").Select(m => m.GetProperty("text").GetString()!).ToList(),
            l => l.Count > 0, "the reply reached the phone");
        Assert.StartsWith("Canh bao thien tai qua SMS", Assert.Single(replies));   // written without diacritics: answered without them

        // The same delivery again (the app retrying): recorded once, answered once.
        await Gateway.InboundAsync("0912 345 678", "tro giup", delivery);
        await Task.Delay(2000);   // a second reply, if there were one, would be sent within the dispatcher's idle time
        var all = (await Gateway.ReceivedAsync()).GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("phoneNumber").GetString() == "+84912345678");
        Assert.Equal(1, all);
        Assert.Equal(1, await Host.ScalarAsync<long>("SELECT count(*) FROM inbound_sms WHERE channel = 'gateway:nghean1'"));
        Assert.Equal(1, await Host.ScalarAsync<long>("SELECT count(*) FROM sms_messages WHERE kind = 'reply'"));
        var hooks = (await Gateway.WebhooksAsync()).EnumerateArray().Where(h => h.GetProperty("event").GetString() == "sms:received").ToList();
        Assert.Equal(2, hooks.Count);
        Assert.All(hooks, h => Assert.Equal(200, h.GetProperty("status").GetInt32()));

        // An opt-out by SMS through the gateway: its confirmation still goes (a reply obeys no opt-out).
        await Gateway.InboundAsync("+84987654321", "HUY");
        await PollAsync(async () => (await Gateway.ReceivedAsync()).GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("phoneNumber").GetString() == "+84987654321"),
            n => n == 1, "the opt-out confirmation reached the phone");
        Assert.True(await Host.ScalarAsync<bool>("SELECT opted_out FROM subscribers WHERE phone = '+84987654321'"));
    }
}

/// <summary>Events without the phone's own ones in the way (no public URL: the app does not register its webhooks), so each posted event is the only one.</summary>
[Collection("postgis")]
public class GatewayEventTests(PostgisFixture fixture, ITestOutputHelper output) : GatewayApiTest(fixture)
{
    protected override bool Events => false;

    [Fact]
    public async Task The_gateway_outcomes_are_final_retried_or_reconciled_by_our_id_without_a_second_send()
    {
        var template = await Host.TemplateAsync(Flood);
        var commander = await SignInAsync("kv5.commander");
        // 408: the phone takes it and answers after 30 s (we stop waiting at 2 s); 500: nothing taken; 400: refused.
        // No events here: what the rows become is what the dispatcher and its reconciliation found.
        await AddSubscribersAsync("+84900000408", "+84900000500", "+84900000400", "+84912345678");
        var id = (await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", Alert(template, ChauKhe), HttpStatusCode.Created)).Id;
        await WaitProgressAsync(commander, id, p => p.Delivered == 1 && p.Sent == 1 && p.Failed == 2, seconds: 60);
        async Task<(string Status, int? Code, int Attempts)> Of(string phone)
        {
            var row = (await commander.GetAsync<List<SmsLogDto>>($"/api/alerts/{id}/messages")).Single(m => m.Phone == phone);
            output.WriteLine($"{phone}: {row.Status} {row.ErrorCode} attempts {row.Attempts} {row.ErrorMessage}");
            return (row.Status, row.ErrorCode, row.Attempts);
        }
        // Timed out → uncertain → GET /message/m-ID found it → its state; sent once, never again.
        var timedOut = await Of("+84900000408");
        Assert.Equal(("delivered", 1), (timedOut.Status, timedOut.Attempts));
        Assert.Equal(("failed", 400, 1), await Of("+84900000400"));                 // refused: final, one attempt
        var failed500 = await Of("+84900000500");                                     // uncertain → 404 → sent again, until the attempts run out
        Assert.Equal(("failed", 3), (failed500.Status, failed500.Attempts));
        Assert.Equal(("accepted", 1), ((await Of("+84912345678")).Status, (await Of("+84912345678")).Attempts));
        var phone = await Gateway.ReceivedAsync();
        var numbers = phone.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("phoneNumber").GetString()).ToList();
        Assert.Single(numbers, n => n == "+84900000408");
        Assert.DoesNotContain("+84900000500", numbers);
        Assert.Equal(0, phone.GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task Forged_unsigned_and_stale_events_are_refused_and_change_nothing_and_signed_ones_move_forward_only()
    {
        var template = await Host.TemplateAsync(Flood);
        var commander = await SignInAsync("kv5.commander");
        await AddSubscribersAsync("+84912345678", "+14155552671");
        var id = (await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", Alert(template, ChauKhe), HttpStatusCode.Created)).Id;
        await WaitProgressAsync(commander, id, p => p.Sent == 1 && p.Delivered == 1);   // the gateway's accepted, and no event to move it on; Twilio's delivered
        var row = await Host.ScalarAsync<long>("SELECT id FROM sms_messages WHERE phone = '+84912345678'");
        var viaTwilio = await Host.ScalarAsync<long>("SELECT id FROM sms_messages WHERE phone = '+14155552671'");
        Task<string> StatusOf(long m) => Host.ScalarAsync<string>($"SELECT status FROM sms_messages WHERE id = {m}");
        var delivered = Status("sms:delivered", row, "+84912345678");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        async Task Refused(HttpResponseMessage r, HttpStatusCode code, string problem)
        {
            var p = await r.ExpectProblemAsync(code);
            Assert.Equal(problem, p.GetProperty("code").GetString());
            Assert.Equal("accepted", await StatusOf(row));
        }
        await Refused(await EventAsync(delivered, key: null), HttpStatusCode.Forbidden, AlertProblems.WebhookSignature);                       // unsigned
        await Refused(await EventAsync(delivered, key: "not-the-key"), HttpStatusCode.Forbidden, AlertProblems.WebhookSignature);              // wrong key
        await Refused(await EventAsync(delivered, Gateway.SigningKey, at: now - 600), HttpStatusCode.Forbidden, AlertProblems.WebhookTimestamp); // stale
        await Refused(await EventAsync(delivered, Gateway.SigningKey, at: now + 600), HttpStatusCode.Forbidden, AlertProblems.WebhookTimestamp); // from the future
        await Refused(await EventAsync(delivered, Gateway.SigningKey, signedBody: JsonSerializer.Serialize(Status("sms:sent", row, "+84912345678"))),
            HttpStatusCode.Forbidden, AlertProblems.WebhookSignature);                                                                           // another body's signature
        await Refused(await EventAsync(delivered, Gateway.SigningKey, name: "other"), HttpStatusCode.Forbidden, AlertProblems.WebhookNotConfigured); // no such gateway
        await Refused(await EventAsync(null!, Gateway.SigningKey, raw: "{\"event\": \"sms:sent\", "u8.ToArray()), HttpStatusCode.BadRequest, CommonProblems.Invalid);
        // A gateway speaks only for its own rows: the Twilio one is not found through it.
        Assert.Equal(AlertProblems.MessageNotFound, (await (await EventAsync(Status("sms:failed", viaTwilio, "+14155552671"), Gateway.SigningKey))
            .ExpectProblemAsync(HttpStatusCode.NotFound)).GetProperty("code").GetString());
        Assert.Equal("delivered", await StatusOf(viaTwilio));

        // Signed: forward, and never back.
        (await EventAsync(Status("sms:sent", row, "+84912345678"), Gateway.SigningKey)).EnsureSuccessStatusCode();
        Assert.Equal("sent", await StatusOf(row));
        (await EventAsync(delivered, Gateway.SigningKey)).EnsureSuccessStatusCode();
        Assert.Equal("delivered", await StatusOf(row));
        var late = await EventAsync(Status("sms:sent", row, "+84912345678"), Gateway.SigningKey);
        Assert.False((await late.ExpectJsonAsync(HttpStatusCode.OK)).GetProperty("recorded").GetBoolean());
        (await EventAsync(Status("sms:failed", row, "+84912345678", "RESULT_ERROR_GENERIC_FAILURE"), Gateway.SigningKey)).EnsureSuccessStatusCode();
        Assert.Equal("delivered", await StatusOf(row));
        // A message id that is not ours (sent from the phone by hand) is acknowledged and changes nothing.
        var foreign = new { @event = "sms:sent", id = "d1", payload = new { messageId = "Xyz123", phoneNumber = "+84912345678" } };
        Assert.False((await (await EventAsync(foreign, Gateway.SigningKey)).ExpectJsonAsync(HttpStatusCode.OK)).GetProperty("recorded").GetBoolean());
    }
}

/// <summary>
/// kill -9 of a dispatcher process sending only through a gateway (no Twilio configured), right after the phone has
/// stored message k and before its answer reaches us: restarted as two processes, every recipient has exactly one
/// message at the phone. Reconciliation asks the phone by our id (GET /message/m-ID).
/// </summary>
[Collection("postgis")]
public class GatewayDispatcherCrashTests(PostgisFixture fixture, ITestOutputHelper output)
{
    const int Recipients = 40;

    internal static DispatcherCrashTests.Dispatcher StartGatewayDispatcher(string cs, params (string Name, FakeGatewayServer Phone, double PerMinute)[] gateways)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dir = Path.Combine(EmbeddedPostgres.RepositoryRoot(), "Coordination.Api", "bin", configuration, "net10.0");
        var args = new List<string> { Path.Combine(dir, "Coordination.Api.dll"), "dispatch",
            $"--ConnectionStrings:Coordination={cs};Connection Idle Lifetime=2;Connection Pruning Interval=1",
            "--Sms:Dispatch:BatchSize=10", "--Sms:Dispatch:Concurrency=4", "--Sms:Dispatch:LeaseSeconds=3", "--Sms:Dispatch:ReconcileDelaySeconds=1",
            "--Sms:Dispatch:IdleSeconds=0.2", "--Logging:LogLevel:Default=Warning" };
        for (var i = 0; i < gateways.Length; i++)
            args.AddRange(gateways[i].Phone.Settings(i, gateways[i].Name, gateways[i].PerMinute).Select(kv => $"--{kv.Key}={kv.Value}"));
        var info = new ProcessStartInfo("dotnet", args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var lines = new List<string>();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add("err: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new DispatcherCrashTests.Dispatcher(process, lines);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    public async Task Killed_after_the_gateway_accepted_message_k_and_before_recording_it(int k)
    {
        var (cs, alertId) = await DispatcherCrashTests.SeedAsync(fixture, Recipients, foldEvery: 5, "Sơ tán ngay.");
        await using var phone = await FakeGatewayServer.StartAsync("gw-signing-key-a", "--hold-after", k.ToString());
        using (var doomed = StartGatewayDispatcher(cs, ("a", phone, 0)))
        {
            await phone.WaitForLineAsync($"HOLD {k}", TimeSpan.FromSeconds(60));
            doomed.Kill9();
        }
        var before = (await phone.ReceivedAsync()).GetProperty("count").GetInt32();
        output.WriteLine($"killed with {before} messages at the phone (message {k} accepted, unanswered)");
        Assert.True(before >= k);
        Assert.True(await SmsHost.ScalarAsync<long>(cs, "SELECT count(*) FROM sms_messages WHERE status = 'sending'") > 0, "the killed process left claims behind");

        using var a = StartGatewayDispatcher(cs, ("a", phone, 0));
        using var b = StartGatewayDispatcher(cs, ("a", phone, 0));
        long settled = 0;
        for (var i = 0; i < 300 && settled < Recipients; i++)
        {
            settled = await SmsHost.ScalarAsync<long>(cs, $"SELECT count(*) FROM sms_messages WHERE alert_id = {alertId} AND status IN ('accepted','sent','delivered')");
            if (settled < Recipients) await Task.Delay(100);
        }
        Assert.Equal(Recipients, settled);
        var received = await phone.ReceivedAsync();
        output.WriteLine($"the phone received {received.GetProperty("count")} messages, {received.GetProperty("duplicates")} duplicates");
        Assert.Equal(0, received.GetProperty("duplicates").GetInt32());
        Assert.Equal(Recipients, received.GetProperty("count").GetInt32());
        Assert.Equal(Recipients, received.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("phoneNumber").GetString()).Distinct().Count());
        Assert.Equal(Recipients, await SmsHost.ScalarAsync<long>(cs, $"SELECT count(*) FROM sms_messages WHERE alert_id = {alertId} AND provider = 'gateway:a'"));
    }
}

/// <summary>
/// Two gateway phones share the Vietnamese rows, each kept to its own SIM rate by its own pacing row, for two
/// dispatcher processes together. The fakes refuse (429, counted) a third message within one SIM interval (about
/// twice the rate), and keep the arrival times for the average rate.
/// </summary>
[Collection("postgis")]
public class GatewayPacingTests(PostgisFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Two_gateways_share_the_rows_each_at_its_own_SIM_rate()
    {
        const int recipients = 16, perMinute = 60;   // 1 SMS/s per SIM: 16 SMS over two SIMs take about 8 s
        var (cs, alertId) = await DispatcherCrashTests.SeedAsync(fixture, recipients, foldEvery: 0, "Sơ tán ngay.");
        Assert.Equal(recipients, await SmsHost.ScalarAsync<long>(cs, "SELECT count(*) FROM sms_messages WHERE segments = 1"));
        await using var one = await FakeGatewayServer.StartAsync("key-one", "--per-minute", perMinute.ToString());
        await using var two = await FakeGatewayServer.StartAsync("key-two", "--per-minute", perMinute.ToString());
        using (var a = GatewayDispatcherCrashTests.StartGatewayDispatcher(cs, ("one", one, perMinute), ("two", two, perMinute)))
        using (var b = GatewayDispatcherCrashTests.StartGatewayDispatcher(cs, ("one", one, perMinute), ("two", two, perMinute)))
        {
            for (var i = 0; i < 600 && await SmsHost.ScalarAsync<long>(cs, $"SELECT count(*) FROM sms_messages WHERE alert_id = {alertId} AND status = 'accepted'") < recipients; i++)
                await Task.Delay(100);
        }
        Assert.Equal(recipients, await SmsHost.ScalarAsync<long>(cs, $"SELECT count(*) FROM sms_messages WHERE alert_id = {alertId} AND status = 'accepted'"));
        var total = 0;
        foreach (var (name, phone) in new[] { ("one", one), ("two", two) })
        {
            var r = await phone.ReceivedAsync();
            var times = r.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("receivedAt").GetDateTimeOffset()).Order().ToList();
            var span = times.Count > 1 ? (times[^1] - times[0]).TotalSeconds : 0;
            output.WriteLine($"gateway {name}: {times.Count} SMS in {span:F1} s ({(span > 0 ? (times.Count - 1) / span * 60 : 0):F0}/min, configured {perMinute}/min), " +
                             $"{r.GetProperty("tooFast").GetInt64()} too fast, {r.GetProperty("duplicates").GetInt32()} duplicates");
            Assert.Equal(0, r.GetProperty("tooFast").GetInt64());
            Assert.Equal(0, r.GetProperty("duplicates").GetInt32());
            Assert.True(times.Count >= 3, $"gateway {name} took only {times.Count} of the rows");
            // Loosely: no faster than the SIM's rate (with a fifth of slack for timers).
            Assert.True(span >= (times.Count - 1) * 60.0 / perMinute * 0.8, $"gateway {name}: {times.Count} SMS in {span:F1} s");
            total += times.Count;
        }
        Assert.Equal(recipients, total);
        Assert.Equal(2, await SmsHost.ScalarAsync<long>(cs, "SELECT count(*) FROM sms_pacing WHERE provider LIKE 'gateway:%'"));
    }
}
