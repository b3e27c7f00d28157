using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Coordination.Api.Alerts;
using Coordination.Api.Alerts.Delivery;
using Coordination.Api.Alerts.Sms;
using Coordination.Api.Boundaries.Import;
using Coordination.Api.Data;
using Coordination.Api.Infrastructure;
using Npgsql;

namespace Coordination.Bench;

/// <summary>
/// Local gateway benchmark (not a test): an alert to Vietnamese subscribers sent through two fake Android gateways
/// (Coordination.FakeGateway, each with its SIM rate, --per-minute) by two <c>dispatch</c> processes of the API,
/// with only the gateways configured. Prints, per gateway, how many SMS it took and the rate it achieved from its
/// first to its last SMS against the configured rate, and how many the fake found too fast (three within one SIM
/// interval); then duplicates (same number and text at either phone) and missing recipients.
/// Options: --gw-recipients N (120), --gw-per-minute R (60 per SIM), --gw-processes N (2).
/// </summary>
public static class GatewayBench
{
    const string Body = "CẢNH BÁO LŨ: nước sông Cả lên nhanh. Sơ tán ngay khỏi vùng trũng. (THỬ)";

    public static async Task RunAsync(string server, string cs, string[] args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var recipients = int.Parse(Arg("--gw-recipients") ?? "120");
        var perMinute = double.Parse(Arg("--gw-per-minute") ?? "60", System.Globalization.CultureInfo.InvariantCulture);
        var processes = int.Parse(Arg("--gw-processes") ?? "2");
        var root = EmbeddedPostgres.RepositoryRoot();
        var apiDir = Path.Combine(root, "Coordination.Api", "bin", "Release", "net10.0");
        var fakeDll = Path.Combine(root, "Coordination.FakeGateway", "bin", "Release", "net10.0", "Coordination.FakeGateway.dll");
        foreach (var f in new[] { Path.Combine(apiDir, "Coordination.Api.dll"), fakeDll })
            if (!File.Exists(f)) throw new FileNotFoundException($"{f} is missing: dotnet build -c Release", f);

        // ---- a fresh database: Nghệ An, the subscribers (all Vietnamese mobiles, one in four không dấu) and the alert
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            var name = new NpgsqlConnectionStringBuilder(cs).Database;
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin).ExecuteNonQueryAsync();
            await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        }
        await using (var db = CoordinationDb.Create(cs))
        {
            var seeder = Seeding.Create(db);
            await seeder.MigrateAsync();
            await seeder.SeedAsync(new GeoSeedOptions { CommunesFile = "geo/data/nghe-an-communes-2025.geojson" });
        }
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        var commune = (string)(await new NpgsqlCommand("SELECT min(code) FROM communes WHERE province_code = '40'", conn).ExecuteScalarAsync())!;
        await new NpgsqlCommand($"""
            INSERT INTO subscribers (phone, prefers_folded, consent_source, consent_at, opted_out, test_group, created_at, updated_at)
            SELECT '+8498' || lpad(g::text, 7, '0'), g % 4 = 0, 'import', now(), false, false, now(), now() FROM generate_series(1, {recipients}) g;
            INSERT INTO subscriber_communes SELECT id, '{commune}' FROM subscribers;
            """, conn).ExecuteNonQueryAsync();

        // ---- two phones, the dispatchers (only the gateways configured: Twilio absent)
        var phones = new List<(string Name, string Url, Process Process)>();
        var dispatchers = new List<Process>();
        using var http = new HttpClient();
        try
        {
            foreach (var name in new[] { "sim1", "sim2" })
            {
                var url = $"http://127.0.0.1:{FreePort()}";
                var p = Start("dotnet", [fakeDll, "--urls", url, "--password", "bench-pw", "--signing-key", "bench-key-" + name,
                    "--per-minute", perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, out _);
                phones.Add((name, url, p));
                for (var i = 0; ; i++)
                {
                    try { if ((await http.GetAsync($"{url}/_fake/received?summary=1")).IsSuccessStatusCode) break; }
                    catch (HttpRequestException) when (i < 100 && !p.HasExited) { }
                    if (i >= 100 || p.HasExited) throw new InvalidOperationException("the fake gateway did not start");
                    await Task.Delay(100);
                }
            }
            var gatewayArgs = phones.SelectMany((g, i) => new[]
            {
                $"--Sms:Gateways:{i}:Name={g.Name}", $"--Sms:Gateways:{i}:BaseUrl={g.Url}", $"--Sms:Gateways:{i}:Password=bench-pw",
                $"--Sms:Gateways:{i}:SigningKey=bench-key-{g.Name}",
                $"--Sms:Gateways:{i}:MessagesPerMinute={perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            }).ToArray();
            var lines = new List<List<string>>();
            for (var i = 0; i < processes; i++)
            {
                dispatchers.Add(Start("dotnet", [Path.Combine(apiDir, "Coordination.Api.dll"), "dispatch", $"--ConnectionStrings:Coordination={cs}",
                    "--Sms:Dispatch:IdleSeconds=0.2", "--Logging:LogLevel:Default=Warning", .. gatewayArgs], apiDir, out var l));
                lines.Add(l);
            }
            for (var i = 0; i < processes; i++) await WaitForAsync(dispatchers[i], lines[i], "dispatcher ", TimeSpan.FromSeconds(60));
            await Task.Delay(1000);

            // ---- the round, then wait until every row is settled
            int alertId;
            var expected = 0;
            await using (var db = CoordinationDb.Create(cs))
            {
                var now = DateTime.UtcNow;
                var alert = new Alert
                {
                    Identifier = "bench-gateway", Sender = new SmsOptions().CapSender, SenderName = "Ban chỉ huy PCTT tỉnh Nghệ An (benchmark)",
                    CreatedBy = "bench", CreatedAt = now, Status = CapStatus.Actual, MsgType = CapMsgType.Alert, Category = "Met", Event = "lũ",
                    Urgency = "Immediate", Severity = "Severe", Certainty = "Likely", Headline = "Lũ trên sông Cả", Instruction = "Sơ tán ngay.",
                    Effective = now, Expires = now.AddDays(1), Body = Body, BodyFolded = SmsText.Fold(Body), Fold = false, State = AlertState.Active,
                    Communes = [new AlertCommune { CommuneCode = commune }],
                };
                db.Alerts.Add(alert);
                await db.SaveChangesAsync();
                await using var tx = await db.Database.BeginTransactionAsync();
                expected = (await Outbox.AddRoundAsync(db, alert, DateTime.UtcNow, default)).Recipients;
                await tx.CommitAsync();
                alertId = alert.Id;
            }
            var segments = (long)(await new NpgsqlCommand($"SELECT sum(segments) FROM sms_messages WHERE alert_id = {alertId}", conn).ExecuteScalarAsync())!;
            var ideal = segments / (perMinute * phones.Count) * 60;
            Console.WriteLine($"gateway: {expected} recipients ({segments} SMS) through {phones.Count} fake gateways at {perMinute:0.#} SMS/min each, " +
                              $"{processes} dispatch processes; ideal {ideal:F0} s; load average {LoadAverage()}");
            var sw = Stopwatch.StartNew();
            long settled = 0;
            var limit = TimeSpan.FromSeconds(ideal * 2 + 120);
            while (sw.Elapsed < limit)
            {
                settled = (long)(await new NpgsqlCommand($"SELECT count(*) FROM sms_messages WHERE alert_id = {alertId} AND status NOT IN ('queued','sending','uncertain')", conn).ExecuteScalarAsync())!;
                if (settled >= expected) break;
                await Task.Delay(250);
            }
            Console.WriteLine($"gateway: {settled} of {expected} rows settled in {sw.Elapsed.TotalSeconds:F1} s");

            // ---- what the phones received
            var all = new List<(string Phone, string Text)>();
            foreach (var (name, url, _) in phones)
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync($"{url}/_fake/received"));
                var r = doc.RootElement;
                var msgs = r.GetProperty("messages").EnumerateArray()
                    .Select(m => (Phone: m.GetProperty("phoneNumber").GetString()!, Text: m.GetProperty("text").GetString()!, At: m.GetProperty("receivedAt").GetDateTimeOffset()))
                    .OrderBy(m => m.At).ToList();
                all.AddRange(msgs.Select(m => (m.Phone, m.Text)));
                var span = msgs.Count > 1 ? (msgs[^1].At - msgs[0].At).TotalSeconds : 0;
                // The SIM's rate counts SMS parts: from the first message to the last one's start, every part but the last message's went out.
                var parts = msgs.Sum(m => SmsText.Count(m.Text).Segments);
                var rate = span > 0 ? (parts - SmsText.Count(msgs[^1].Text).Segments) / span * 60 : 0;
                var gaps = msgs.Zip(msgs.Skip(1), (a, b) => (b.At - a.At).TotalSeconds).ToList();
                Console.WriteLine($"gateway {name}: {msgs.Count,4} messages ({parts} SMS parts) in {span,6:F1} s = {rate,5:F1} SMS/min achieved vs {perMinute:0.#} configured " +
                                  $"({rate / perMinute:P0}); gap min {(gaps.Count > 0 ? gaps.Min() : 0):F2} s, median {(gaps.Count > 0 ? gaps.Order().ElementAt(gaps.Count / 2) : 0):F2} s; " +
                                  $"too fast {r.GetProperty("tooFast").GetInt64()}, duplicates {r.GetProperty("duplicates").GetInt32()}");
            }
            var distinct = all.Distinct().Count();
            var phonesReached = all.Select(m => m.Phone).Distinct().Count();
            Console.WriteLine($"gateway: together {all.Count} SMS, duplicates {all.Count - distinct}, missing {expected - phonesReached} of {expected} recipients; " +
                              $"rows by provider: {await ByProviderAsync(conn, alertId)}");
        }
        finally
        {
            foreach (var p in dispatchers.Concat(phones.Select(g => g.Process)))
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
                p.Dispose();
            }
        }
    }

    static async Task<string> ByProviderAsync(NpgsqlConnection conn, int alertId)
    {
        var parts = new List<string>();
        await using var cmd = new NpgsqlCommand($"SELECT coalesce(provider, '-'), status, count(*) FROM sms_messages WHERE alert_id = {alertId} GROUP BY 1, 2 ORDER BY 1, 2", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) parts.Add($"{r.GetString(0)} {r.GetString(1)} {r.GetInt64(2)}");
        return string.Join(", ", parts);
    }

    static Process Start(string file, string[] arguments, string? workingDirectory, out List<string> lines)
    {
        var output = new List<string>();
        var p = Process.Start(new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add("err: " + e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        lines = output;
        return p;
    }

    static async Task WaitForAsync(Process p, List<string> lines, string text, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            lock (lines) if (lines.Any(l => l.Contains(text))) return;
            if (p.HasExited) throw new InvalidOperationException($"dispatcher exited ({p.ExitCode}): {string.Join("\n", lines)}");
            await Task.Delay(20);
        }
        throw new TimeoutException($"dispatcher never printed '{text}': {string.Join("\n", lines.TakeLast(20))}");
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
