using System.Diagnostics;
using Coordination.Api.Alerts;
using Coordination.Api.Infrastructure;

namespace Coordination.Tests.Alerts;

/// <summary>
/// kill -9 of a dispatcher process at chosen moments, deterministically: (a) after the fake Twilio has stored message k
/// but before its answer reaches the dispatcher (the window between Twilio accepting and our commit), at several k;
/// (b) between claiming a batch and reaching Twilio (a <see cref="TwilioGate"/> holds the batch's calls on the way). After a restart — two dispatcher processes at once — every
/// recipient has exactly one message at the fake and every outbox row is settled.
/// </summary>
[Collection("postgis")]
public class DispatcherCrashTests(PostgisFixture fixture, ITestOutputHelper output)
{
    const int Recipients = 60;

    Task<(string Cs, int AlertId)> SeedAsync() => SeedAsync(fixture, Recipients, foldEvery: 5, "Sơ tán ngay.");

    /// <summary>
    /// A fresh database with <paramref name="recipients"/> subscribers in Châu Khê (every <paramref name="foldEvery"/>th
    /// preferring không dấu; 0: none) and one accepted alert to them, accepted by the API with no dispatcher in that
    /// process: the dispatchers under test are separate processes.
    /// </summary>
    internal static async Task<(string Cs, int AlertId)> SeedAsync(PostgisFixture fixture, int recipients, int foldEvery, string instruction)
    {
        var cs = await fixture.CreateDatabaseAsync();
        await using var api = new ApiFactory(cs, new Dictionary<string, string?> { ["Sms:Dispatch:Enabled"] = "false" });
        await using (var conn = new NpgsqlConnection(cs))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"""
                INSERT INTO subscribers (phone, prefers_folded, consent_source, consent_at, opted_out, test_group, created_at, updated_at)
                SELECT '+8491' || lpad(g::text, 7, '0'), {foldEvery} > 0 AND g % GREATEST({foldEvery}, 1) = 0, 'import', now(), false, false, now(), now()
                FROM generate_series(1, {recipients}) g;
                INSERT INTO subscriber_communes SELECT id, '{SmsHost.ChauKhe}' FROM subscribers;
                """, conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var admin = await Session.SignedInAsync(api, "admin.demo");
        var template = (await admin.SendAsync<TemplateDto>(HttpMethod.Post, "/api/sms-templates",
            new { name = "Lũ", registrationRef = "TPL-1", text = "Cảnh báo lũ tại {communes}. {instruction}" }, HttpStatusCode.Created)).Id;
        var commander = await Session.SignedInAsync(api, "kv5.commander");
        var alert = await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", new
        {
            templateId = template, communes = new[] { SmsHost.ChauKhe }, @event = "lũ", headline = "Lũ", instruction, severity = "Severe",
        }, HttpStatusCode.Created);
        return (cs, alert.Id);
    }

    internal sealed class Dispatcher(Process process, List<string> lines) : IDisposable
    {
        public Process Process => process;
        public async Task WaitForLineAsync(string text, TimeSpan timeout)
        {
            var until = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < until)
            {
                lock (lines) if (lines.Any(l => l.Contains(text))) return;
                if (process.HasExited) throw new InvalidOperationException($"dispatcher exited ({process.ExitCode}): {string.Join("\n", lines)}");
                await Task.Delay(20);
            }
            throw new TimeoutException($"dispatcher never printed {text}: {string.Join("\n", lines.TakeLast(20))}");
        }
        /// <summary>SIGKILL: no cleanup, no graceful shutdown.</summary>
        public void Kill9()
        {
            Process.Start("kill", ["-9", process.Id.ToString()])!.WaitForExit();
            process.WaitForExit();
        }
        public void Dispose()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
        }
    }

    internal static Dispatcher StartDispatcher(string cs, FakeTwilioServer fake, params string[] extra) => StartDispatcher(cs, fake.BaseUrl, extra);

    /// <summary>A dispatcher process sending to the Twilio at <paramref name="twilioBaseUrl"/> (the fake, or a <see cref="TwilioGate"/> in front of it).</summary>
    internal static Dispatcher StartDispatcher(string cs, string twilioBaseUrl, params string[] extra)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dir = Path.Combine(EmbeddedPostgres.RepositoryRoot(), "Coordination.Api", "bin", configuration, "net10.0");
        var info = new ProcessStartInfo("dotnet", [Path.Combine(dir, "Coordination.Api.dll"), "dispatch",
            $"--ConnectionStrings:Coordination={cs};Connection Idle Lifetime=2;Connection Pruning Interval=1",
            $"--Twilio:AccountSid={FakeTwilioServer.AccountSid}", $"--Twilio:AuthToken={FakeTwilioServer.AuthToken}", "--Twilio:From=PCTT-NGHEAN",
            $"--Twilio:BaseUrl={twilioBaseUrl}", "--Twilio:MaxSegmentsPerSecond=0", "--Twilio:TimeoutSeconds=2",
            "--Sms:Dispatch:BatchSize=10", "--Sms:Dispatch:Concurrency=4", "--Sms:Dispatch:LeaseSeconds=3", "--Sms:Dispatch:ReconcileDelaySeconds=1",
            "--Sms:Dispatch:IdleSeconds=0.2", "--Logging:LogLevel:Default=Warning", .. extra])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var lines = new List<string>();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add("err: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Dispatcher(process, lines);
    }

    async Task ExpectExactlyOnceAsync(string cs, FakeTwilioServer fake, int alertId)
    {
        // Two dispatchers at once after the crash: the claims must not overlap either.
        using var a = StartDispatcher(cs, fake);
        using var b = StartDispatcher(cs, fake);
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        long settled = 0;
        for (var i = 0; i < 300 && settled < Recipients; i++)
        {
            await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM sms_messages WHERE alert_id = {alertId} AND status IN ('accepted','sent','delivered')", conn);
            settled = (long)(await cmd.ExecuteScalarAsync())!;
            if (settled < Recipients) await Task.Delay(100);
        }
        Assert.Equal(Recipients, settled);
        var received = await fake.ReceivedAsync();
        output.WriteLine($"fake received {received.GetProperty("count")} messages, {received.GetProperty("duplicates")} duplicates");
        if (received.GetProperty("duplicates").GetInt32() > 0)
        {
            // What a duplicate needs to be explained: when the fake stored each copy, and what the outbox row went through.
            foreach (var copies in received.GetProperty("messages").EnumerateArray().GroupBy(m => m.GetProperty("to").GetString()).Where(g => g.Count() > 1))
            {
                output.WriteLine($"{copies.Key}: stored at {string.Join(", ", copies.Select(m => m.GetProperty("created").GetDateTimeOffset().ToString("HH:mm:ss.fff")))}");
                await using var row = new NpgsqlCommand($"SELECT attempts, attempt_started_at, status, twilio_sid, error_message, updated_at FROM sms_messages WHERE phone = '{copies.Key}'", conn);
                await using var r = await row.ExecuteReaderAsync();
                while (await r.ReadAsync())
                    output.WriteLine($"  row: attempts {r.GetValue(0)}, attempt started {r.GetValue(1):HH:mm:ss}, {r.GetValue(2)}, sid {r.GetValue(3)}, {r.GetValue(4)}, updated {r.GetValue(5):HH:mm:ss.fff}");
            }
        }
        Assert.Equal(0, received.GetProperty("duplicates").GetInt32());
        Assert.Equal(Recipients, received.GetProperty("count").GetInt32());
        var phones = received.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("to").GetString()).Distinct().Count();
        Assert.Equal(Recipients, phones);
        // Every row knows its Twilio Sid, and no two rows share one.
        await using var check = new NpgsqlCommand($"SELECT count(DISTINCT twilio_sid) FROM sms_messages WHERE alert_id = {alertId}", conn);
        Assert.Equal((long)Recipients, (long)(await check.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(45)]
    public async Task Killed_after_Twilio_accepted_message_k_and_before_recording_it(int k)
    {
        var (cs, alertId) = await SeedAsync();
        await using var fake = await FakeTwilioServer.StartAsync("--hold-after", k.ToString());
        using (var doomed = StartDispatcher(cs, fake))
        {
            await fake.WaitForLineAsync($"HOLD {k}", TimeSpan.FromSeconds(60));
            doomed.Kill9();
        }
        var before = (await fake.ReceivedAsync()).GetProperty("count").GetInt32();
        output.WriteLine($"killed with {before} messages at the fake (message {k} accepted, unanswered)");
        Assert.True(before >= k);
        await ExpectExactlyOnceAsync(cs, fake, alertId);
    }

    [Fact]
    public async Task Killed_between_claiming_a_batch_and_calling_Twilio()
    {
        var (cs, alertId) = await SeedAsync();
        await using var fake = await FakeTwilioServer.StartAsync();
        // Two batches of 10 reach Twilio; the third is claimed, and its calls are held on the way (Twilio never hears
        // of them, the dispatcher never gets an answer): the process dies with that batch claimed and not sent.
        await using (var gate = await TwilioGate.StartAsync(fake.BaseUrl, pass: 20))
        using (var doomed = StartDispatcher(cs, gate.BaseUrl))
        {
            await gate.WaitHoldingAsync(TimeSpan.FromSeconds(60));
            doomed.Kill9();
        }
        Assert.Equal(20, (await fake.ReceivedAsync()).GetProperty("count").GetInt32());
        await using (var conn = new NpgsqlConnection(cs))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM sms_messages WHERE status = 'sending'", conn);
            Assert.True((long)(await cmd.ExecuteScalarAsync())! > 0, "the killed process left a claimed batch behind");
        }
        await ExpectExactlyOnceAsync(cs, fake, alertId);
    }
}

/// <summary>
/// The configured segments-per-second rate holds for all dispatcher processes together: two processes share one
/// schedule in the database, so together they never run ahead of it.
/// </summary>
[Collection("postgis")]
public class DispatcherPacingTests(PostgisFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Two_dispatchers_together_keep_to_the_configured_segments_per_second()
    {
        const int recipients = 40, mps = 16;
        // 2 UCS-2 segments per message: 80 segments at 16 per second take at least (80 − 16) / 16 = 4 s.
        var (cs, _) = await DispatcherCrashTests.SeedAsync(fixture, recipients, foldEvery: 0,
            "Sơ tán ngay lên chỗ cao, mang theo giấy tờ và thuốc men cần thiết.");
        var segments = await SmsHost.ScalarAsync<int>(cs, "SELECT sum(segments)::int FROM sms_messages");
        Assert.Equal(2 * recipients, segments);

        await using var fake = await FakeTwilioServer.StartAsync();
        var started = DateTime.UtcNow;
        using var a = DispatcherCrashTests.StartDispatcher(cs, fake, $"--Twilio:MaxSegmentsPerSecond={mps}");
        using var b = DispatcherCrashTests.StartDispatcher(cs, fake, $"--Twilio:MaxSegmentsPerSecond={mps}");
        for (var i = 0; i < 300 && await SmsHost.ScalarAsync<long>(cs, "SELECT count(*) FROM sms_messages WHERE status = 'accepted'") < recipients; i++) await Task.Delay(100);
        var elapsed = DateTime.UtcNow - started;
        Assert.Equal(recipients, await SmsHost.ScalarAsync<long>(cs, "SELECT count(*) FROM sms_messages WHERE status = 'accepted'"));
        var received = await fake.ReceivedAsync();
        Assert.Equal(recipients, received.GetProperty("count").GetInt32());
        // Whichever process sent each message, together they kept the pace.
        var first = await SmsHost.ScalarAsync<DateTime>(cs, "SELECT min(attempt_started_at) FROM sms_messages");
        var last = await SmsHost.ScalarAsync<DateTime>(cs, "SELECT max(updated_at) FROM sms_messages");
        output.WriteLine($"{segments} segments at {mps}/s: first claim to last record {(last - first).TotalSeconds:F1} s (wall {elapsed.TotalSeconds:F1} s)");
        Assert.True((last - first).TotalSeconds >= (segments - mps) / (double)mps * 0.9,
            $"{segments} segments went out in {(last - first).TotalSeconds:F1} s: faster than {mps} per second");
    }
}
