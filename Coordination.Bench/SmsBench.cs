using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Coordination.Api.Alerts;
using Coordination.Api.Alerts.Delivery;
using Coordination.Api.Data;
using Coordination.Api.Boundaries.Import;
using Coordination.Api.Infrastructure;
using Coordination.Api.Alerts.Sms;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Coordination.Bench;

/// <summary>
/// SMS alert benchmark (issue 6), on its own database:
/// <list type="number">
/// <item>Seeds Nghệ An (as the tests do) and 1,001,000 subscribers over the first 60 Nghệ An communes by code (one in
/// twenty also in a second one, one in ten preferring không dấu, 1,000 opted out), set-based with generate_series,
/// so an alert on those 60 communes has exactly 1,000,000 recipients.</item>
/// <item>Enqueue: <see cref="Outbox.AddRoundAsync"/> for that alert in a transaction, committed, on a fresh connection
/// (so the backend's memory is that run's): wall time, rows, peak RSS of the bench process and of the PostgreSQL
/// backend. The outbox is truncated before each run, so every run starts from the same empty table; an untimed
/// warm-up run comes first.</item>
/// <item>Dispatch: a second alert on the first three of those communes (about 52,000 recipients; 1,000,000 at about
/// 1,000/s would take a quarter of an hour), sent by 1 and then 2 <c>dispatch</c> processes of the API to the fake
/// Twilio with no rate cap: messages/s from the first claim until every row is settled, and the fake's count and
/// duplicates (must be 0). A fresh fake per run, so its duplicate count is that run's. Before the timed round, 10,000
/// messages of a warm-up alert (another text) bring the fresh processes past their JIT warm-up; their rate is printed too.</item>
/// </list>
/// Options: --sms-recipients N (1,000,000), --sms-runs N (3), --sms-dispatch-communes N (3), --sms-processes 1,2,
/// --sms-batch N / --sms-concurrency N (passed to the dispatchers; otherwise their defaults), --sms-reuse (keep the
/// seeded database of an earlier run), --sms-skip-enqueue, --sms-skip-dispatch, --verbose (dispatch progress every 5 s).
/// </summary>
public static class SmsBench
{
    const int Communes = 60;
    const string Body = "CẢNH BÁO LŨ KHẨN CẤP: nước sông Cả đang lên nhanh tại các xã ven sông. Sơ tán ngay người già, trẻ em " +
                        "khỏi vùng trũng; không qua ngầm, tràn. Gọi 112 khi cần cứu hộ. (BẢN THỬ HIỆU NĂNG)";
    const string Account = "AC0123456789abcdef0123456789abcdef", Token = "bench-auth-token-6c2f";

    public static async Task RunAsync(string server, string cs, string? dataDir, string[] args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var recipients = int.Parse(Arg("--sms-recipients") ?? "1000000");
        var runs = int.Parse(Arg("--sms-runs") ?? "3");
        var dispatchCommunes = int.Parse(Arg("--sms-dispatch-communes") ?? "3");
        var processCounts = (Arg("--sms-processes") ?? "1,2").Split(',').Select(int.Parse).ToArray();
        var dispatcherArgs = new List<string>();
        if (Arg("--sms-batch") is { } b) dispatcherArgs.Add($"--Sms:Dispatch:BatchSize={b}");
        if (Arg("--sms-concurrency") is { } c) dispatcherArgs.Add($"--Sms:Dispatch:Concurrency={c}");
        var defaults = new DispatchOptions();
        var postmaster = dataDir is not null && File.Exists(Path.Combine(dataDir, "postmaster.pid"))
            ? int.Parse(File.ReadLines(Path.Combine(dataDir, "postmaster.pid")).First()) : (int?)null;

        // ---- database: migrated, Nghệ An seeded, subscribers and the two alerts
        var (enqueueAlert, dispatchAlert) = args.Contains("--sms-reuse") ? await ExistingAsync(cs, recipients) : (0, 0);
        if (enqueueAlert == 0)
            (enqueueAlert, dispatchAlert) = await PrepareAsync(server, cs, recipients, dispatchCommunes);
        else
        {
            Console.WriteLine("sms: reusing the seeded database of an earlier run");
            await using var reused = new NpgsqlConnection(cs);
            await reused.OpenAsync();
            await Exec(reused, "UPDATE alerts SET expires = now() + interval '7 days' WHERE identifier LIKE 'bench-sms-%'");
        }

        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        Console.WriteLine($"sms: {await Scalar<long>(conn, "SELECT count(*) FROM subscribers")} subscribers " +
                          $"({await Scalar<long>(conn, "SELECT count(*) FROM subscribers WHERE opted_out")} opted out, " +
                          $"{await Scalar<long>(conn, "SELECT count(*) FROM subscribers WHERE prefers_folded")} prefer không dấu), " +
                          $"{await Scalar<long>(conn, "SELECT count(*) FROM subscriber_communes")} subscriber-commune rows over " +
                          $"{await Scalar<long>(conn, "SELECT count(DISTINCT commune_code) FROM subscriber_communes")} Nghệ An communes; " +
                          $"load average {LoadAverage()}");

        // ---- enqueue
        if (!args.Contains("--sms-skip-enqueue"))
        {
            Console.WriteLine($"sms: enqueue = Outbox.AddRoundAsync + commit of the round's INSERT … SELECT for alert {enqueueAlert} " +
                              "(outbox truncated and CHECKPOINT before each run; fresh connection per run; one warm-up run first)");
            var times = new List<double>();
            // Run 0 is a warm-up, not counted (caches, WAL segments to recycle).
            for (var run = 0; run <= runs; run++)
            {
                await Exec(conn, "TRUNCATE sms_messages, alert_rounds RESTART IDENTITY");
                await Exec(conn, "CHECKPOINT");
                var r = await EnqueueAsync(cs, enqueueAlert);
                if (run > 0) times.Add(r.Seconds);
                Console.WriteLine($"sms: enqueue {(run == 0 ? "warm-up" : $"run {run}  ")}: {r.Rows,9:N0} rows in {r.Seconds,6:F2} s (insert {r.InsertSeconds:F2} s, commit {r.CommitSeconds:F2} s), " +
                                  $"{r.Rows / r.Seconds,8:N0} rows/s; peak RSS bench process {Mb(Process.GetCurrentProcess().PeakWorkingSet64)}, " +
                                  $"PostgreSQL backend VmHWM {Mb(r.BackendHwm)} (of which private, peak sampled: {Mb(r.BackendAnonPeak)}; the rest is shared buffers it touched)");
            }
            times.Sort();
            Console.WriteLine($"sms: enqueue median {times[times.Count / 2]:F2} s, min {times[0]:F2} s, max {times[^1]:F2} s over {runs} runs (target ≤ 20 s)");
            await Exec(conn, "TRUNCATE sms_messages, alert_rounds RESTART IDENTITY");
        }

        // ---- dispatch
        if (!args.Contains("--sms-skip-dispatch"))
        {
            var api = Path.Combine(EmbeddedPostgres.RepositoryRoot(), "Coordination.Api", "bin", "Release", "net10.0");
            var fakeDll = Path.Combine(EmbeddedPostgres.RepositoryRoot(), "Coordination.FakeTwilio", "bin", "Release", "net10.0", "Coordination.FakeTwilio.dll");
            foreach (var f in new[] { Path.Combine(api, "Coordination.Api.dll"), fakeDll })
                if (!File.Exists(f)) throw new FileNotFoundException($"{f} is missing: dotnet build -c Release", f);
            // The dispatch alert on the first N of the subscribers' communes (N may differ from the run that seeded).
            await Exec(conn, $"""
                DELETE FROM alert_communes WHERE alert_id = {dispatchAlert};
                INSERT INTO alert_communes (alert_id, commune_code)
                SELECT {dispatchAlert}, commune_code FROM alert_communes WHERE alert_id = {enqueueAlert} ORDER BY commune_code LIMIT {dispatchCommunes};
                """);
            var warmupAlert = await AlertIdAsync(conn, "bench-sms-warmup") ?? 0;
            if (warmupAlert == 0)
            {
                await using var db = CoordinationDb.Create(cs);
                var warm = NewAlert("bench-sms-warmup", [], DateTime.UtcNow, "KHỞI ĐỘNG: tin nhắn làm nóng bộ gửi trước khi đo (BẢN THỬ HIỆU NĂNG)");
                db.Alerts.Add(warm);
                await db.SaveChangesAsync();
                warmupAlert = warm.Id;
            }
            var expected = (await Outbox.CountAsync(conn, await AlertCommunesAsync(conn, dispatchAlert), testOnly: false, fold: false, default)).Total;
            Console.WriteLine($"sms: dispatch of alert {dispatchAlert} ({dispatchCommunes} communes, {expected:N0} recipients — not the 1,000,000: at ~1,000/s " +
                              $"they would take ~17 min) to the fake Twilio, no rate cap (Twilio:MaxSegmentsPerSecond=0), " +
                              $"BatchSize {Arg("--sms-batch") ?? defaults.BatchSize + " (default)"}, Concurrency {Arg("--sms-concurrency") ?? defaults.Concurrency + " (default)"}");
            foreach (var processes in processCounts)
            {
                await Exec(conn, "TRUNCATE sms_messages, alert_rounds RESTART IDENTITY");
                await Exec(conn, "CHECKPOINT");
                var d = await DispatchAsync(cs, conn, dispatchAlert, warmupAlert, expected, processes, api, fakeDll, dispatcherArgs, postmaster, args.Contains("--verbose"));
                Console.WriteLine($"sms: dispatch, {processes} process{(processes > 1 ? "es" : "")}: {d.Settled:N0} settled in {d.Seconds:F2} s from first claim " +
                                  $"= {d.Settled / d.Seconds:N0} messages/s ({d.Settled / d.SecondsFromEnqueue:N0}/s from the round's commit); " +
                                  $"statuses {d.Statuses}; fake received {d.Received:N0} (incl. {d.Warmup:N0} of the warm-up), duplicates {d.Duplicates}; " +
                                  $"the warm-up on cold processes: {d.Warmup / d.WarmupSeconds:N0}/s");
                Console.WriteLine($"sms:   CPU from the round's commit to the end: dispatchers {d.DispatcherCpu:F1} s, fake Twilio {d.FakeCpu:F1} s, PostgreSQL {d.PostgresCpu:F1} s " +
                                  $"(machine {Environment.ProcessorCount} cores × {d.Seconds:F1} s = {Environment.ProcessorCount * d.Seconds:F1} s); load average {LoadAverage()}");
            }
            Console.WriteLine("sms: target ≥ 1,000 messages/s");
        }
    }

    // ------------------------------------------------------------------------------------------------ preparation

    static async Task<(int Enqueue, int Dispatch)> ExistingAsync(string cs, int recipients)
    {
        try
        {
            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync();
            if (await Scalar<long>(conn, "SELECT count(*) FROM subscribers WHERE NOT opted_out") != recipients) return (0, 0);
            return (await AlertIdAsync(conn, "bench-sms-enqueue") ?? 0, await AlertIdAsync(conn, "bench-sms-dispatch") ?? 0) is (> 0, > 0) and var ids ? ids : (0, 0);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.UndefinedTable) { return (0, 0); }
    }

    static async Task<int?> AlertIdAsync(NpgsqlConnection conn, string identifier)
    {
        await using var cmd = new NpgsqlCommand("SELECT id FROM alerts WHERE identifier = @i", conn);
        cmd.Parameters.AddWithValue("i", identifier);
        return (int?)await cmd.ExecuteScalarAsync();
    }

    static async Task<(int Enqueue, int Dispatch)> PrepareAsync(string server, string cs, int recipients, int dispatchCommunes)
    {
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            var name = new NpgsqlConnectionStringBuilder(cs).Database;
            await Exec(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            await Exec(admin, $"CREATE DATABASE {name}");
        }
        var sw = Stopwatch.StartNew();
        await using (var db = CoordinationDb.Create(cs))
        {
            var seeder = Seeding.Create(db);
            await seeder.MigrateAsync();
            await seeder.SeedAsync(new GeoSeedOptions { CommunesFile = "geo/data/nghe-an-communes-2025.geojson" });
        }
        Console.WriteLine($"sms: migrated and seeded Nghệ An in {sw.Elapsed.TotalSeconds:F2} s");

        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        sw.Restart();
        // One in 1,001 opted out (exactly 1,000 per million recipients), one in ten prefers không dấu, one in 5,000 in
        // the test group; every subscriber in commune id % 60, one in twenty also in another one (offset 1–59, spread).
        var optedOut = recipients / 1000;
        await using (var cmd = new NpgsqlCommand($"""
            INSERT INTO subscribers (phone, prefers_folded, consent_source, consent_at, opted_out, opted_out_at, test_group, created_at, updated_at)
            SELECT '+849' || lpad(g::text, 8, '0'), g % 10 = 3, 'import', now() - interval '30 days',
                   g % 1001 = 1000, CASE WHEN g % 1001 = 1000 THEN now() END, g % 5000 = 0, now(), now()
            FROM generate_series(1, {recipients + optedOut}) g;
            CREATE TEMP TABLE bench_communes AS
                SELECT row_number() OVER (ORDER BY code) - 1 AS i, code FROM communes WHERE province_code = '40' ORDER BY code LIMIT {Communes};
            INSERT INTO subscriber_communes (subscriber_id, commune_code)
            SELECT s.id, c.code FROM subscribers s JOIN bench_communes c ON c.i = s.id % {Communes}
            UNION ALL
            SELECT s.id, c.code FROM subscribers s JOIN bench_communes c ON c.i = (s.id + 1 + s.id / 20 % {Communes - 1}) % {Communes} WHERE s.id % 20 = 0;
            """, conn) { CommandTimeout = 0 })
            await cmd.ExecuteNonQueryAsync();
        await Exec(conn, "VACUUM ANALYZE subscribers");
        await Exec(conn, "VACUUM ANALYZE subscriber_communes");
        var codes = new List<string>();
        await using (var cmd = new NpgsqlCommand("SELECT code FROM bench_communes ORDER BY i", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) codes.Add(r.GetString(0));
        Console.WriteLine($"sms: seeded subscribers in {sw.Elapsed.TotalSeconds:F2} s");

        await using var ctx = CoordinationDb.Create(cs);
        var now = DateTime.UtcNow;
        var enqueue = NewAlert("bench-sms-enqueue", codes, now);
        var dispatch = NewAlert("bench-sms-dispatch", codes.Take(dispatchCommunes), now);
        ctx.Alerts.AddRange(enqueue, dispatch);
        await ctx.SaveChangesAsync();
        return (enqueue.Id, dispatch.Id);
    }

    /// <summary>An accepted Actual alert, one-off (no repeat: the dispatchers' scheduler leaves it alone), valid for a week.</summary>
    static Alert NewAlert(string identifier, IEnumerable<string> communes, DateTime now, string body = Body) => new()
    {
        Identifier = identifier, Sender = new SmsOptions().CapSender, SenderName = "Ban chỉ huy PCTT tỉnh Nghệ An (benchmark)",
        CreatedBy = "bench", CreatedAt = now, Status = CapStatus.Actual, MsgType = CapMsgType.Alert, Category = "Met", Event = "lũ",
        Urgency = "Immediate", Severity = "Severe", Certainty = "Likely", Headline = "Lũ trên sông Cả", Instruction = "Sơ tán ngay.",
        Effective = now, Expires = now.AddDays(7), Body = body, BodyFolded = SmsText.Fold(body), Fold = false, State = AlertState.Active,
        Communes = communes.Select(c => new AlertCommune { CommuneCode = c }).ToList(),
    };

    static async Task<string[]> AlertCommunesAsync(NpgsqlConnection conn, int alert)
    {
        await using var cmd = new NpgsqlCommand($"SELECT array_agg(commune_code) FROM alert_communes WHERE alert_id = {alert}", conn);
        return (string[])(await cmd.ExecuteScalarAsync())!;
    }

    // ------------------------------------------------------------------------------------------------ enqueue

    sealed record Enqueued(int Rows, double Seconds, double InsertSeconds, double CommitSeconds, long BackendHwm, long BackendAnonPeak);

    static async Task<Enqueued> EnqueueAsync(string cs, int alertId)
    {
        // No pooling: a new backend per run, so its high-water mark is this run's.
        await using var db = CoordinationDb.Create(new NpgsqlConnectionStringBuilder(cs) { Pooling = false, CommandTimeout = 0 }.ConnectionString);
        await db.Database.OpenConnectionAsync();
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var pid = await Scalar<int>(conn, "SELECT pg_backend_pid()");
        var alert = await db.Alerts.SingleAsync(a => a.Id == alertId);
        using var sampling = new CancellationTokenSource();
        long anonPeak = 0;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                anonPeak = Math.Max(anonPeak, ProcStatus(pid, "RssAnon"));
                try { await Task.Delay(20, sampling.Token); } catch (OperationCanceledException) { }
            }
        });

        var sw = Stopwatch.StartNew();
        await using var tx = await db.Database.BeginTransactionAsync();
        var round = await Outbox.AddRoundAsync(db, alert, DateTime.UtcNow, default);
        var insert = sw.Elapsed.TotalSeconds;
        await tx.CommitAsync();
        var total = sw.Elapsed.TotalSeconds;
        sampling.Cancel();
        await sampler;
        return new(round.Recipients, total, insert, total - insert, ProcStatus(pid, "VmHWM"), anonPeak);
    }

    // ------------------------------------------------------------------------------------------------ dispatch

    sealed record Dispatched(long Settled, double Seconds, double SecondsFromEnqueue, string Statuses, long Received, long Duplicates,
        double DispatcherCpu, double FakeCpu, double PostgresCpu, int Warmup, double WarmupSeconds);

    const int Warmup = 10_000;

    static async Task<Dispatched> DispatchAsync(string cs, NpgsqlConnection conn, int alertId, int warmupAlert, int expected, int processes, string apiDir,
        string fakeDll, List<string> dispatcherArgs, int? postmaster, bool verbose)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        using var fake = Start("dotnet", [fakeDll, "--urls", url, "--account", Account, "--token", Token], null, out _);
        using var http = new HttpClient();
        for (var i = 0; ; i++)
        {
            try { if ((await http.GetAsync($"{url}/_fake/received?summary=1")).IsSuccessStatusCode) break; }
            catch (HttpRequestException) when (i < 100 && !fake.HasExited) { }
            if (i >= 100 || fake.HasExited) throw new InvalidOperationException("the fake Twilio did not start");
            await Task.Delay(100);
        }

        var dispatchers = new List<(Process Process, List<string> Lines)>();
        try
        {
            for (var i = 0; i < processes; i++)
            {
                var p = Start("dotnet", [Path.Combine(apiDir, "Coordination.Api.dll"), "dispatch", $"--ConnectionStrings:Coordination={cs}",
                    $"--Twilio:AccountSid={Account}", $"--Twilio:AuthToken={Token}", "--Twilio:From=PCTT-NGHEAN", $"--Twilio:BaseUrl={url}",
                    "--Twilio:MaxSegmentsPerSecond=0", "--Sms:Dispatch:IdleSeconds=0.2", "--Logging:LogLevel:Default=Warning", .. dispatcherArgs], apiDir, out var lines);
                dispatchers.Add((p, lines));
            }
            // All up (migrations checked, idle-polling an empty outbox) before the round is queued.
            foreach (var (p, lines) in dispatchers)
                await WaitForAsync(p, lines, "dispatcher ", TimeSpan.FromSeconds(60));
            await Task.Delay(500);

            // Warm-up (a cold process runs tier-0 code for its first seconds): a few thousand messages of another alert,
            // with another text, so they cannot count as duplicates of the timed round.
            var warm = await WarmupRoundAsync(conn, warmupAlert, Warmup);
            var w = await SettleAsync(conn, warmupAlert, warm, dispatchers, verbose: false);

            await using (var db = CoordinationDb.Create(cs))
            {
                var alert = await db.Alerts.SingleAsync(a => a.Id == alertId);
                await using var tx = await db.Database.BeginTransactionAsync();
                var round = await Outbox.AddRoundAsync(db, alert, DateTime.UtcNow, default);
                await tx.CommitAsync();
                if (round.Recipients != expected) throw new InvalidOperationException($"round has {round.Recipients} rows, expected {expected}");
            }
            var cpu0 = (Dispatchers: dispatchers.Sum(d => Cpu(d.Process.Id)), Fake: Cpu(fake.Id), Postgres: PostgresCpu(postmaster));
            var (firstClaim, elapsed) = await SettleAsync(conn, alertId, expected, dispatchers, verbose);
            var cpu = (Dispatchers: dispatchers.Sum(d => Cpu(d.Process.Id)) - cpu0.Dispatchers, Fake: Cpu(fake.Id) - cpu0.Fake, Postgres: PostgresCpu(postmaster) - cpu0.Postgres);

            var statuses = new List<string>();
            await using (var cmd = new NpgsqlCommand($"SELECT status, count(*) FROM sms_messages WHERE alert_id = {alertId} GROUP BY status ORDER BY 2 DESC", conn))
            await using (var r = await cmd.ExecuteReaderAsync())
                while (await r.ReadAsync()) statuses.Add($"{r.GetString(0)} {r.GetInt64(1):N0}");
            using var summary = JsonDocument.Parse(await http.GetStringAsync($"{url}/_fake/received?summary=1"));
            return new(expected, (elapsed - firstClaim).TotalSeconds, elapsed.TotalSeconds, string.Join(", ", statuses),
                summary.RootElement.GetProperty("count").GetInt64(), summary.RootElement.GetProperty("duplicates").GetInt64(),
                cpu.Dispatchers, cpu.Fake, cpu.Postgres, warm, (w.Elapsed - w.FirstClaim).TotalSeconds);
        }
        finally
        {
            foreach (var (p, _) in dispatchers)
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
                p.Dispose();
            }
            if (!fake.HasExited) fake.Kill(entireProcessTree: true);
            await fake.WaitForExitAsync();
        }
    }

    /// <summary>Polls until no row of the alert is queued, sending or uncertain; returns when the first was claimed and when all were settled.</summary>
    static async Task<(TimeSpan FirstClaim, TimeSpan Elapsed)> SettleAsync(NpgsqlConnection conn, int alertId, int expected,
        List<(Process Process, List<string> Lines)> dispatchers, bool verbose)
    {
        var enqueued = Stopwatch.StartNew();
        TimeSpan? firstClaim = null;
        var lastProgress = (At: TimeSpan.Zero, Open: (long)expected);
        while (true)
        {
            if (enqueued.Elapsed > TimeSpan.FromMinutes(15)) throw new TimeoutException("dispatch did not finish in 15 minutes");
            foreach (var (p, lines) in dispatchers)
                if (p.HasExited) throw new InvalidOperationException($"a dispatcher exited ({p.ExitCode}): {string.Join("\n", lines.TakeLast(20))}");
            if (firstClaim is null)
            {
                if (await Scalar<bool>(conn, $"SELECT EXISTS (SELECT 1 FROM sms_messages WHERE alert_id = {alertId} AND status <> 'queued')"))
                    firstClaim = enqueued.Elapsed;
                else { await Task.Delay(10); continue; }
            }
            var open = await Scalar<long>(conn, $"SELECT count(*) FROM sms_messages WHERE alert_id = {alertId} AND status IN ('queued','sending','uncertain')");
            if (open == 0) return (firstClaim.Value, enqueued.Elapsed);
            if (verbose && enqueued.Elapsed - lastProgress.At >= TimeSpan.FromSeconds(5))
            {
                Console.WriteLine($"sms:   {enqueued.Elapsed.TotalSeconds,6:F1} s: {expected - open,9:N0} settled, " +
                                  $"{(lastProgress.Open - open) / (enqueued.Elapsed - lastProgress.At).TotalSeconds,6:N0}/s over the last {(enqueued.Elapsed - lastProgress.At).TotalSeconds:F1} s");
                lastProgress = (enqueued.Elapsed, open);
            }
            await Task.Delay(open > 2000 ? 200 : 20);
        }
    }

    /// <summary>A round of the warm-up alert for the last <paramref name="count"/> subscribers (straight SQL: it is not measured).</summary>
    static async Task<int> WarmupRoundAsync(NpgsqlConnection conn, int warmupAlert, int count)
    {
        await using var cmd = new NpgsqlCommand($"""
            WITH r AS (INSERT INTO alert_rounds (alert_id, number, created_at, recipients) VALUES ({warmupAlert}, 1, now(), {count}) RETURNING id)
            INSERT INTO sms_messages (round_id, alert_id, phone, folded, segments, status, attempts, next_attempt_at, updated_at)
            SELECT r.id, {warmupAlert}, s.phone, s.prefers_folded, 1, 'queued', 0, now(), now()
            FROM r, (SELECT phone, prefers_folded FROM subscribers WHERE NOT opted_out ORDER BY id DESC LIMIT {count}) s
            """, conn);
        return await cmd.ExecuteNonQueryAsync();
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

    // ------------------------------------------------------------------------------------------------ /proc

    /// <summary>A /proc/PID/status field in bytes (0 when unreadable, e.g. a server on another machine).</summary>
    static long ProcStatus(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }

    /// <summary>User + system CPU seconds of a process (and its reaped children, for dotnet's host).</summary>
    static double Cpu(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');   // fields from 3 (state) on
            return (long.Parse(f[11]) + long.Parse(f[12])) / 100.0;   // utime, stime (fields 14, 15) in clock ticks
        }
        catch (IOException) { return 0; }
    }

    /// <summary>CPU seconds of the postmaster's children alive now (backends, checkpointer, walwriter, autovacuum …).</summary>
    static double PostgresCpu(int? postmaster)
    {
        if (postmaster is null) return 0;
        double sum = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (pid == postmaster || int.Parse(f[1]) == postmaster) sum += (long.Parse(f[11]) + long.Parse(f[12])) / 100.0;
            }
            catch (IOException) { }
        }
        return sum;
    }

    static string Mb(long bytes) => bytes > 0 ? $"{bytes / 1048576.0:F0} MB" : "n/a";

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    static async Task Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }

    static async Task<T> Scalar<T>(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
