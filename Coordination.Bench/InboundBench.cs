using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Coordination.Api.Alerts;
using Coordination.Api.Boundaries;
using Coordination.Api.Boundaries.Import;
using Coordination.Api.Data;
using Coordination.Api.Identity;
using Coordination.Api.Kernel;
using Coordination.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Coordination.Bench;

/// <summary>
/// Inbound SMS parse-and-reply throughput (issue 14: target ≥ 200 inbound/s on this machine), not a test. The API runs
/// as its own process (Release build) against a database with Nghệ An, one registered leader phone and one duty
/// phone per commune and stock everywhere; concurrent clients post signed messages to the gateway webhook, each
/// waiting for its reply, in a realistic mix: TT (status of a request filed in the warm-up), KHO (tried, rolled
/// back, a confirmation code issued), YC (a request filed and matched), a malformed command, and citizens' DK.
/// Afterwards every message must have exactly one inbound row. Usage:
///   dotnet run -c Release --project Coordination.Bench -- --sms-inbound [--inbound-seconds 20] [--inbound-clients 16]
///       [--inbound-only TT,KHO,YC,error,DK]
/// </summary>
public static class InboundBench
{
    const string Secret = "bench-gateway-secret-31d7";

    public static async Task RunAsync(string server, string cs, string[] args, string dataDir)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var seconds = int.Parse(Arg("--inbound-seconds") ?? "20");
        var clients = int.Parse(Arg("--inbound-clients") ?? "16");
        // --inbound-only TT,KHO: only those kinds of message (to see what each costs); default the whole mix.
        var only = Arg("--inbound-only")?.Split(',').ToHashSet(StringComparer.OrdinalIgnoreCase);
        var communes = await PrepareAsync(server, cs);

        var apiDir = Path.Combine(EmbeddedPostgres.RepositoryRoot(), "Coordination.Api", "bin", "Release", "net10.0");
        if (!File.Exists(Path.Combine(apiDir, "Coordination.Api.dll"))) throw new FileNotFoundException("Coordination.Api is not built: dotnet build -c Release");
        var url = $"http://127.0.0.1:{FreePort()}";
        var output = new List<string>();
        using var api = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(apiDir, "Coordination.Api.dll"), "--urls", url,
            $"--ConnectionStrings:Coordination={WithExtra(cs, Arg("--api-cs-extra"))}", $"--Sms:GatewaySecret={Secret}", "--Sms:WebhookPermitLimit=100000000", "--Sms:Dispatch:Enabled=false",
            "--Aid:Escalation=false", "--Logging:LogLevel:Default=Warning", "--Admin:Password=Bench-Admin-2025!"])
        { WorkingDirectory = apiDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        api.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        api.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        api.BeginOutputReadLine();
        api.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            for (var i = 0; ; i++)
            {
                try { if ((await http.GetAsync("/health")).IsSuccessStatusCode) break; }
                catch (HttpRequestException) { }
                if (i >= 300 || api.HasExited) throw new InvalidOperationException($"the API did not start (exit {(api.HasExited ? api.ExitCode : -1)}; {string.Join(" ", api.StartInfo.ArgumentList)}): " + string.Join("\n", output.TakeLast(20)));
                await Task.Delay(100);
            }

            // Warm-up: every leader files one request (these are what TT asks about later), and the JIT is warm.
            long seq = 0;
            var requests = new System.Collections.Concurrent.ConcurrentBag<int>();
            await Parallel.ForEachAsync(Enumerable.Range(0, communes.Count), new ParallelOptions { MaxDegreeOfParallelism = clients }, async (i, ct) =>
            {
                var reply = await PostAsync(http, LeaderPhone(i), "YC THUYEN 2 AOPHAO 10 THON 1", $"w-{Interlocked.Increment(ref seq)}", ct);
                if (System.Text.RegularExpressions.Regex.Match(reply, @"YC (\d+)") is { Success: true } m) requests.Add(int.Parse(m.Groups[1].Value));
            });
            var ids = requests.ToArray();
            Console.WriteLine($"sms-inbound: warm-up filed {ids.Length} requests by SMS for {communes.Count} communes");
            if (ids.Length == 0) throw new InvalidOperationException("the warm-up filed no request: " + string.Join("\n", output.TakeLast(20)));

            var before = await CountAsync(cs);
            // CPU spent per message by the API, PostgreSQL and this load client: a figure a busy machine bends less than the rate.
            var cpuBefore = (Api: api.TotalProcessorTime, Db: PostgresCpu(dataDir), Client: Process.GetCurrentProcess().TotalProcessorTime);
            var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
            var kinds = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
            long sent = 0, failed = 0;
            var until = DateTime.UtcNow.AddSeconds(seconds);
            var wall = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
            {
                var random = new Random(c);
                while (DateTime.UtcNow < until)
                {
                    var n = random.Next(100);
                    var i = random.Next(communes.Count);
                    if (only is not null && !only.Contains(Kind(n))) continue;
                    var (kind, from, body) = n switch
                    {
                        < 40 => ("TT", LeaderPhone(i), $"TT {ids[random.Next(ids.Length)]}"),
                        < 60 => ("KHO", DutyPhone(i), $"KHO THUYEN {random.Next(5, 50)}"),
                        < 75 => ("YC", LeaderPhone(i), $"YC CANO 1 DQ {random.Next(5, 30)} BAN {random.Next(1, 9)}"),
                        < 85 => ("error", LeaderPhone(i), "YC TAUBAY 3"),
                        _ => ("DK", $"+8498{random.Next(1_000_000, 9_999_999)}", $"DK {communes[i]}"),
                    };
                    var sw = Stopwatch.StartNew();
                    try
                    {
                        await PostAsync(http, from, body, $"b-{Interlocked.Increment(ref seq)}", default);
                        latencies.Add(sw.Elapsed.TotalMilliseconds);
                        Interlocked.Increment(ref sent);
                        kinds.AddOrUpdate(kind, 1, (_, v) => v + 1);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
            }));
            wall.Stop();
            api.Refresh();
            var cpu = (Api: api.TotalProcessorTime - cpuBefore.Api, Db: PostgresCpu(dataDir) - cpuBefore.Db,
                Client: Process.GetCurrentProcess().TotalProcessorTime - cpuBefore.Client);
            var after = await CountAsync(cs);
            var sorted = latencies.Order().ToArray();
            double P(double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
            Console.WriteLine($"sms-inbound: {clients} clients for {wall.Elapsed.TotalSeconds:F1} s on {Environment.ProcessorCount} CPUs: " +
                              $"{sent:N0} answered, {failed} failed — {sent / wall.Elapsed.TotalSeconds:F0} inbound/s (target ≥ 200)");
            Console.WriteLine($"sms-inbound: reply latency p50 {P(0.5):F1} ms, p99 {P(0.99):F1} ms; mix {string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}");
            double PerMessage(TimeSpan t) => sent == 0 ? 0 : t.TotalMilliseconds / sent;
            Console.WriteLine($"sms-inbound: CPU per message: API {PerMessage(cpu.Api):F2} ms, PostgreSQL {PerMessage(cpu.Db):F2} ms, load client {PerMessage(cpu.Client):F2} ms " +
                              $"(the rate {Environment.ProcessorCount} CPUs allow without the client: {Environment.ProcessorCount * 1000 / Math.Max(0.01, PerMessage(cpu.Api) + PerMessage(cpu.Db)):F0}/s)");
            Console.WriteLine($"sms-inbound: inbound rows written {after - before:N0} for {sent:N0} answered messages ({(after - before == sent ? "one each" : "MISMATCH")})");
        }
        finally
        {
            if (!api.HasExited) api.Kill(entireProcessTree: true);
        }
    }

    /// <summary>CPU time of the cluster: the postmaster, its live backends, and the backends that have exited (its children's time).</summary>
    static TimeSpan PostgresCpu(string dataDir)
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(dataDir, "data", "postmaster.pid")).First());
        var hz = 100.0;   // USER_HZ on Linux
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); } catch (IOException) { continue; } catch (UnauthorizedAccessException) { continue; }
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');   // fields from 3 (state) on
            var ppid = int.Parse(f[1]);
            if (pid == postmaster) ticks += long.Parse(f[11]) + long.Parse(f[12]) + long.Parse(f[13]) + long.Parse(f[14]);   // utime stime cutime cstime
            else if (ppid == postmaster) ticks += long.Parse(f[11]) + long.Parse(f[12]);
        }
        return TimeSpan.FromSeconds(ticks / hz);
    }

    /// <summary>The API's connection string with some settings replaced (--api-cs-extra "Host=/path/to/socket-dir"), to compare them.</summary>
    static string WithExtra(string cs, string? extra)
    {
        if (extra is null) return cs;
        var b = new NpgsqlConnectionStringBuilder(cs);
        foreach (var (k, v) in new NpgsqlConnectionStringBuilder(extra)) b[k] = v;
        return b.ConnectionString;
    }

    static string Kind(int n) => n switch { < 40 => "TT", < 60 => "KHO", < 75 => "YC", < 85 => "error", _ => "DK" };

    static string LeaderPhone(int i) => $"+8491{i:D7}";
    static string DutyPhone(int i) => $"+8492{i:D7}";

    static async Task<string> PostAsync(HttpClient http, string from, string body, string id, CancellationToken ct)
    {
        var raw = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { from, body, id }));
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sms/gateway/inbound") { Content = new ByteArrayContent(raw) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(SmsWebhooks.GatewayTimestampHeader, ts);
        request.Headers.Add(SmsWebhooks.GatewaySignatureHeader, GatewaySignature.Compute(Secret, ts, raw));
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return doc.RootElement.GetProperty("reply").GetString()!;
    }

    static async Task<long> CountAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        return (long)(await new NpgsqlCommand("SELECT count(*) FROM inbound_sms", conn).ExecuteScalarAsync())!;
    }

    /// <summary>A fresh database: Nghệ An, a leader with a registered phone and a mobile duty phone per commune, boats and life jackets everywhere.</summary>
    static async Task<List<string>> PrepareAsync(string server, string cs)
    {
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            var name = new NpgsqlConnectionStringBuilder(cs).Database;
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin).ExecuteNonQueryAsync();
            await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        }
        await using var db = CoordinationDb.Create(cs);
        var seeder = Seeding.Create(db);
        await seeder.MigrateAsync();
        await seeder.SeedAsync(new GeoSeedOptions { CommunesFile = "geo/data/nghe-an-communes-2025.geojson" });
        var communes = await db.Communes.Where(c => c.ProvinceCode == "40").OrderBy(c => c.Code).Select(c => c.Code).ToListAsync();
        for (var i = 0; i < communes.Count; i++)
        {
            var user = $"bench.leader.{communes[i]}";
            db.Users.Add(new AppUser
            {
                UserName = user, NormalizedUserName = user.ToUpperInvariant(), DisplayName = $"Lãnh đạo {communes[i]}", Role = Roles.CommuneLeader,
                ScopeKind = ScopeKinds.Commune, ScopeCode = communes[i], CreatedAt = DateTime.UtcNow, PhoneNumber = LeaderPhone(i), PhoneNumberConfirmed = true,
                SecurityStamp = Guid.NewGuid().ToString(),
            });
            db.CommuneContacts.Add(new CommuneContact { CommuneCode = communes[i], DutyPhone = "0" + DutyPhone(i)[3..], DutyMobile = DutyPhone(i), UpdatedAt = DateTime.UtcNow });
        }
        await db.SaveChangesAsync();
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO inventory (commune_code, resource_type, on_hand, reserved, updated_at, updated_by)
            SELECT c.code, t, 20, 0, now(), 'bench' FROM communes c, unnest(ARRAY['boat','life_jacket','motor_boat']) t WHERE c.province_code = '40'
            ON CONFLICT DO NOTHING
            """);
        Console.WriteLine($"sms-inbound: database with {communes.Count} communes, {communes.Count} leader phones and {communes.Count} duty phones");
        return communes;
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
