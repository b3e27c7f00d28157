using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Coordination.Api.MutualAid;
using Coordination.Api.Data;
using Coordination.Api.Boundaries.Import;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Coordination.Bench;

/// <summary>
/// Matching benchmark (issue 5), straight against the database as the API runs it: every commune stocked with every
/// catalogue type (deterministic quantities, about one in ten zero), 1,000 open requests spread over the country
/// with 1–3 lines each; one "match" = all lines of one request through <see cref="Matching.MatchLineAsync"/> on one
/// open connection. Prints p50/p90/p99/max per request and a short EXPLAIN (ANALYZE, BUFFERS) of one line of a
/// request in Con Cuông (17254, Nghệ An, which has the sample defense areas). Target: p99 ≤ 20 ms.
/// Seeding replaces the aid tables of the bench database (TRUNCATE … RESTART IDENTITY), so runs are comparable.
/// </summary>
public static class MatchBench
{
    public const int Requests = 1000, Warmups = 50;
    const string Representative = "17254";   // Con Cuông, province 40
    static readonly DateTime SeededAt = new(2025, 10, 1, 0, 0, 0, DateTimeKind.Utc);
    static readonly DateTime Now = new(2025, 10, 15, 3, 0, 0, DateTimeKind.Utc);

    /// <param name="floodEvents">Also declare one active flood event per province that has requests (3 km around them),
    /// so every candidate donor is tested against an event, as during a real flood.</param>
    /// <param name="adHocSql">Statements run before timing (e.g. a candidate index); they stay in the bench database
    /// until the next full run recreates it.</param>
    public static async Task RunAsync(string connectionString, int matches, bool verbose, bool floodEvents = false, IReadOnlyList<string>? adHocSql = null)
    {
        // The sample defense areas of Nghệ An (tier 4); the bench's import loads only the communes.
        await using (var db = CoordinationDb.Create(connectionString))
            await new DefenseAreaImporter(db, NullLogger<DefenseAreaImporter>.Instance)
                .ImportAsync(GeoSeedOptions.Resolve(new GeoSeedOptions().DefenseAreasFile), replace: true);

        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var sw = Stopwatch.StartNew();
        await SeedAsync(conn, floodEvents);
        var seeding = sw.Elapsed;

        foreach (var sql in adHocSql ?? [])
        {
            Console.WriteLine($"match: ad hoc: {sql}");
            await Exec(conn, sql);
            await Exec(conn, "VACUUM ANALYZE");
        }

        var communes = await Scalar<long>(conn, "SELECT count(*) FROM communes");
        var inventory = await Scalar<long>(conn, "SELECT count(*) FROM inventory");
        var inStock = await Scalar<long>(conn, "SELECT count(*) FROM inventory WHERE available > 0");
        var areas = await Scalar<long>(conn, "SELECT count(*) FROM defense_areas");
        var events = await Scalar<long>(conn, "SELECT count(*) FROM flood_events WHERE started_at <= @now AND (ended_at IS NULL OR ended_at > @now)", ("now", Now));
        var requests = new List<(int Id, int[] Lines)>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT r.id, array_agg(l.id ORDER BY l.id) FROM aid_requests r JOIN aid_request_lines l ON l.request_id = r.id
            WHERE r.status = 'open' GROUP BY r.id ORDER BY r.id
            """, conn))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) requests.Add((r.GetInt32(0), r.GetFieldValue<int[]>(1)));
        var lineCount = requests.Sum(q => q.Lines.Length);
        Console.WriteLine($"match: seeded in {seeding.TotalSeconds:F2} s: {communes} communes, {inventory} inventory rows ({inStock} with stock available), " +
                          $"{requests.Count} open requests with {lineCount} lines, {areas} defense areas, {events} active flood events");

        // Warm-up on a stride through the requests, then every request in id order, cycling.
        for (var i = 0; i < Warmups; i++)
            await MatchAsync(conn, requests[i * 37 % requests.Count]);
        var loadBefore = LoadAverage();
        var times = new double[matches];
        long lines = 0, suggested = 0, excluded = 0;
        var all = Stopwatch.StartNew();
        for (var i = 0; i < matches; i++)
        {
            var request = requests[i % requests.Count];
            var t = Stopwatch.GetTimestamp();
            var result = await MatchAsync(conn, request);
            times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            lines += result.Count;
            suggested += result.Sum(m => m.Suggestions.Count);
            excluded += result.Sum(m => m.Excluded.Count);
        }
        all.Stop();
        Array.Sort(times);
        Console.WriteLine($"match: {matches} matches of one request (all its lines) after {Warmups} warm-ups, one connection, {lines} lines matched, " +
                          $"{all.Elapsed.TotalSeconds:F1} s in all; {Environment.ProcessorCount} cores, load average {loadBefore} before, {LoadAverage()} after");
        Console.WriteLine($"match: per request  p50 {P(times, 0.50):F2} ms  p90 {P(times, 0.90):F2} ms  p99 {P(times, 0.99):F2} ms  max {times[^1]:F2} ms  " +
                          $"(target p99 ≤ 20 ms: {(P(times, 0.99) <= 20 ? "met" : "NOT met")})");
        Console.WriteLine($"match: per line     mean {all.Elapsed.TotalMilliseconds / lines:F2} ms, {suggested / (double)lines:F1} suggestions " +
                          $"+ {excluded / (double)lines:F1} set apart as affected");

        await ExplainAsync(conn, verbose);
    }

    static async Task<List<LineMatch>> MatchAsync(NpgsqlConnection conn, (int Id, int[] Lines) request)
    {
        var result = new List<LineMatch>(request.Lines.Length);
        foreach (var line in request.Lines)
            result.Add(await Matching.MatchLineAsync(conn, request.Id, line, Now, includeAffected: false, CancellationToken.None)
                ?? throw new InvalidOperationException($"line {line} of request {request.Id} not found"));
        return result;
    }

    /// <summary>Inventory for every commune × type and 1,000 open requests, set-based, in one transaction.</summary>
    static async Task SeedAsync(NpgsqlConnection conn, bool floodEvents)
    {
        await using var tx = await conn.BeginTransactionAsync();
        await Exec(conn, "TRUNCATE pledges, aid_request_lines, aid_requests, inventory RESTART IDENTITY CASCADE");
        // Quantities from a hash of (commune, type): 1 in 10 zero, else 1–40 on hand; 1 in 4 of those has 0–4 reserved.
        await Exec(conn, """
            INSERT INTO inventory (commune_code, resource_type, on_hand, reserved, updated_at, updated_by)
            SELECT c.code, t.code, q.on_hand, least(q.on_hand, CASE WHEN h / 400 % 4 = 0 THEN h / 1600 % 5 ELSE 0 END), @at, 'bench'
            FROM communes c CROSS JOIN resource_types t
            CROSS JOIN LATERAL (SELECT abs(hashtext(c.code || ':' || t.code)::bigint) AS h) hh
            CROSS JOIN LATERAL (SELECT CASE WHEN h % 10 = 0 THEN 0 ELSE 1 + h / 10 % 40 END AS on_hand) q
            """, ("at", SeededAt));
        // Requests: Con Cuông first, then communes in an order scattered over the country by a hash of the code;
        // at the commune's label point, urgency cycling, ids in that order.
        await Exec(conn, $"""
            INSERT INTO aid_requests (commune_code, location, hamlet, hazard, description, urgency, status, created_at, created_by, opened_at)
            SELECT code, label_point, 'Thôn ' || (i % 12 + 1), 'flood', 'bench request ' || (i + 1),
                   (ARRAY['life_threatening', 'urgent', 'needed'])[i % 3 + 1], 'open', @at, 'bench', @at
            FROM (SELECT code, label_point, row_number() OVER (ORDER BY code <> '{Representative}', md5('bench:' || code)) - 1 AS i
                  FROM communes) c
            WHERE i < {Requests}
            ORDER BY i
            """, ("at", SeededAt));
        // 1–3 lines of different types (steps of 5 through the sorted catalogue), 1–30 each.
        await Exec(conn, """
            INSERT INTO aid_request_lines (request_id, resource_type, quantity)
            SELECT r.id, t.code, 1 + abs(hashtext(r.id || ':' || t.code)::bigint) % 30
            FROM aid_requests r
            CROSS JOIN generate_series(0, 2) k
            JOIN (SELECT code, row_number() OVER (ORDER BY code) - 1 AS n, count(*) OVER () AS of FROM resource_types) t
              ON t.n = (r.id * 7 + k * 5) % t.of
            WHERE k < 1 + r.id % 3
            ORDER BY r.id, k
            """);
        await Exec(conn, "DELETE FROM flood_events WHERE declared_by = 'bench'");
        if (floodEvents)
            await Exec(conn, """
                INSERT INTO flood_events (name, started_at, geom, created_at, declared_by)
                SELECT 'bench flood ' || c.province_code, @at, ST_Multi(ST_Union(ST_Buffer(r.location::geography, 3000)::geometry)), @at, 'bench'
                FROM aid_requests r JOIN communes c ON c.code = r.commune_code
                GROUP BY c.province_code ORDER BY c.province_code
                """, ("at", SeededAt));
        await Coordination.Api.Hazards.FloodEventCoverage.RefreshAsync(conn);   // which communes each event covers, as the API keeps it
        await tx.CommitAsync();
        // As autovacuum would leave them: statistics and visibility map up to date.
        await Exec(conn, "VACUUM ANALYZE inventory, aid_requests, aid_request_lines, pledges, flood_events, flood_event_communes, defense_area_communes, defense_areas, adjacency, communes");
    }

    /// <summary>EXPLAIN (ANALYZE, BUFFERS) of the matching statement for the first line of the request in Con Cuông.</summary>
    static async Task ExplainAsync(NpgsqlConnection conn, bool verbose)
    {
        // The statement is private to Matching; read it rather than copy it, so the bench always explains what the API runs.
        var sql = typeof(Matching).GetField("Sql", BindingFlags.NonPublic | BindingFlags.Static)?.GetRawConstantValue() as string
                  ?? throw new InvalidOperationException("Matching.Sql not found: update MatchBench.ExplainAsync");
        int request, line; string type;
        await using (var cmd = new NpgsqlCommand($"""
            SELECT r.id, l.id, l.resource_type FROM aid_requests r JOIN aid_request_lines l ON l.request_id = r.id
            WHERE r.commune_code = '{Representative}' AND r.status = 'open' ORDER BY r.id, l.id LIMIT 1
            """, conn))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            if (!await r.ReadAsync()) { Console.WriteLine($"match: no open request in {Representative} to explain"); return; }
            (request, line, type) = (r.GetInt32(0), r.GetInt32(1), r.GetString(2));
        }
        var plan = new List<string>();
        await using (var cmd = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql, conn))
        {
            cmd.Parameters.AddWithValue("request", request);
            cmd.Parameters.AddWithValue("line", line);
            cmd.Parameters.AddWithValue("type", type);
            cmd.Parameters.AddWithValue("now", Now);
            cmd.Parameters.AddWithValue("today", DateOnly.FromDateTime(Now.AddHours(7)));
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) plan.Add(r.GetString(0));
        }
        string Find(string prefix) => plan.Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..].Trim() ?? "?";
        var nodes = plan.Select(p => ScanNode.Match(p)).Where(m => m.Success).ToList();
        var indexes = nodes.Where(m => m.Groups["kind"].Value.Contains("Index"))
            .Select(m => m.Groups["index"].Success ? m.Groups["index"].Value : m.Groups["rel"].Value).Distinct().ToList();
        var seqScans = nodes.Where(m => m.Groups["kind"].Value == "Seq Scan").Select(m => m.Groups["rel"].Value).Distinct().ToList();
        Console.WriteLine($"match: EXPLAIN (ANALYZE, BUFFERS) request {request} in {Representative}, line {line} ({type}): planning {Find("Planning Time:")}, " +
                          $"execution {Find("Execution Time:")}, buffers {Find("Buffers:")}; index scans: {(indexes.Count > 0 ? "yes" : "no")}");
        Console.WriteLine($"match: indexes used: {string.Join(", ", indexes)}; seq scans: {(seqScans.Count > 0 ? string.Join(", ", seqScans) : "none")}");
        if (verbose) foreach (var p in plan) Console.WriteLine("  " + p);
    }

    // "Seq Scan on t", "Index Scan using ix on t", "Bitmap Index Scan on ix" (an index, no table), "CTE Scan on c".
    static readonly Regex ScanNode = new(@"(?<kind>Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan|CTE Scan)(?: Backward)?(?: using (?<index>\S+))? on (?<rel>\S+)");

    /// <summary>The 1-minute load average (Linux): other work on the machine shows in the tail latencies.</summary>
    static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    static double P(double[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];

    static async Task Exec(NpgsqlConnection conn, string sql, params (string Name, object Value)[] ps)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
        foreach (var (n, v) in ps) cmd.Parameters.AddWithValue(n, v);
        await cmd.ExecuteNonQueryAsync();
    }

    static async Task<T> Scalar<T>(NpgsqlConnection conn, string sql, params (string Name, object Value)[] ps)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (n, v) in ps) cmd.Parameters.AddWithValue(n, v);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
