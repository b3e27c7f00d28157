using System.Diagnostics;
using Coordination.Bench;
using Coordination.Api.Data;
using Coordination.Api.Boundaries;
using Coordination.Api.Boundaries.Import;
using Coordination.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

// Benchmark (not a test): import the nationwide file into a fresh database, recompute adjacency from
// scratch several times, and print the figures; then the tile and the matching benchmarks. Usage:
//   dotnet run -c Release --project Coordination.Bench [-- --runs N] [--skip-tiles] [--skip-match] [--match-only]
//       [--matches N] [--match-events] [--match-sql "CREATE INDEX …"]… [--verbose] [--port P] [--data-dir DIR]
// --runs 0 keeps only the import's own adjacency pass. --match-only runs only the matching benchmark, on the database
// an earlier run left (if there is none, everything runs). --matches N timed matches (default 2000).
// --match-events adds active flood events around the requests. --match-sql runs a statement (e.g. a candidate
// index) in the bench database before matching is timed. --verbose prints the full matching plan.
// Uses its own embedded cluster (.data/pg-bench, port 55434, or --data-dir/--port) unless ConnectionStrings__Coordination
// is set (then a database named coordination_bench is created on that server).
// --sms runs only the SMS benchmark (SmsBench.cs: enqueue of 1,000,000 recipients, dispatch to the fake Twilio) on its
// own cluster (.data/pg-bench-sms, port 55452, or --data-dir/--port) and database coordination_bench_sms.
// --sms-inbound runs only the inbound SMS benchmark (InboundBench.cs: parse-and-reply throughput through the signed
// gateway webhook of a running API) on the same cluster as --sms, database coordination_bench_inbound.
// --gateway runs only the local gateway benchmark (GatewayBench.cs: an alert through two fake Android gateways at their
// SIM rate, rate achieved per gateway, duplicates, missing) on its own cluster (.data/pg-bench-gw, port 55453) and
// database coordination_bench_gw.
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var inbound = args.Contains("--sms-inbound");
var sms = args.Contains("--sms") || inbound;
var gateway = args.Contains("--gateway");
var runs = int.Parse(Arg("--runs") ?? "5");
var port = int.Parse(Arg("--port") ?? (gateway ? "55453" : sms ? "55452" : "55434"));
var dataDir = Path.GetFullPath(Arg("--data-dir") ?? Path.Combine(EmbeddedPostgres.RepositoryRoot(), ".data", gateway ? "pg-bench-gw" : sms ? "pg-bench-sms" : "pg-bench"));

await using var cluster = Environment.GetEnvironmentVariable("ConnectionStrings__Coordination") is { Length: > 0 } ? null
    : new EmbeddedPostgres(new EmbeddedPostgresOptions { DataDirectory = dataDir, Port = port, Database = "postgres" }, _ => { });
if (cluster is not null) await cluster.StartAsync();
var server = cluster?.ConnectionString("postgres") ?? Environment.GetEnvironmentVariable("ConnectionStrings__Coordination")!;
var cs = new NpgsqlConnectionStringBuilder(server) { Database = "coordination_bench" }.ConnectionString;

if (inbound)
{
    await InboundBench.RunAsync(server, new NpgsqlConnectionStringBuilder(server) { Database = "coordination_bench_inbound" }.ConnectionString, args, dataDir);
    return;
}
if (gateway)
{
    await GatewayBench.RunAsync(server, new NpgsqlConnectionStringBuilder(server) { Database = "coordination_bench_gw" }.ConnectionString, args);
    return;
}
if (sms)
{
    await SmsBench.RunAsync(server, new NpgsqlConnectionStringBuilder(server) { Database = "coordination_bench_sms" }.ConnectionString, cluster?.DataDirectory, args);
    return;
}

var matchSql = args.Select((a, i) => (a, i)).Where(x => x.a == "--match-sql" && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToList();
Task Match() => MatchBench.RunAsync(cs, int.Parse(Arg("--matches") ?? "2000"), args.Contains("--verbose"), args.Contains("--match-events"), matchSql);

await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
{
    await admin.OpenAsync();
    // --match-only: only the matching benchmark, on the database an earlier run left (communes, adjacency).
    if (args.Contains("--match-only") && await new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = 'coordination_bench'", admin).ExecuteScalarAsync() is not null)
    {
        await using (var existing = CoordinationDb.Create(cs))
            await GeoSeeder.Create(existing).MigrateAsync();   // that database may predate the latest migrations
        await Match();
        return;
    }
    await new NpgsqlCommand("DROP DATABASE IF EXISTS coordination_bench WITH (FORCE)", admin).ExecuteNonQueryAsync();
    await new NpgsqlCommand("CREATE DATABASE coordination_bench", admin).ExecuteNonQueryAsync();
}

var file = Path.Combine(EmbeddedPostgres.RepositoryRoot(), "geo", "data", "communes-2025.geojson.gz");
await using var db = CoordinationDb.Create(cs);
var seeder = GeoSeeder.Create(db);
var sw = Stopwatch.StartNew();
await seeder.MigrateAsync();
Console.WriteLine($"migrate                     {sw.Elapsed.TotalSeconds,7:F2} s");

var import = await new GeoImporter(db, TimeProvider.System, NullLogger<GeoImporter>.Instance).ImportCommunesAsync(file);
Console.WriteLine($"import (incl. adjacency)    {import.Elapsed.TotalSeconds,7:F2} s   {import.Features} features, {import.Repaired.Count} repaired");
Console.WriteLine($"  of which adjacency        {import.Adjacency!.Elapsed.TotalSeconds,7:F2} s");

await using var conn = new NpgsqlConnection(cs);
await conn.OpenAsync();
var times = new List<double>();
AdjacencyStats? stats = null;
for (var i = 0; i < runs; i++)
{
    stats = await AdjacencyCalculator.RecomputeInTransactionAsync(conn);
    times.Add(stats.Elapsed.TotalSeconds);
}
times.Sort();
var communes = (long)(await new NpgsqlCommand("SELECT count(*) FROM communes", conn).ExecuteScalarAsync())!;
var checksum = (string)(await new NpgsqlCommand(
    "SELECT md5(string_agg(code_a || '-' || code_b || ':' || contact, ',' ORDER BY code_a, code_b)) FROM adjacency", conn).ExecuteScalarAsync())!;
if (runs > 0)
    Console.WriteLine($"adjacency from scratch      {times[times.Count / 2],7:F2} s median, {times[0]:F2} s min over {runs} runs (tolerance {AdjacencyCalculator.ToleranceM} m, min shared {AdjacencyCalculator.MinSharedM} m)");
stats ??= import.Adjacency;
Console.WriteLine($"communes                    {communes}");
Console.WriteLine($"pairs                       {stats!.Neighbours + stats.Corners} ({stats.Neighbours} neighbours, {stats.Corners} corners)");
Console.WriteLine($"checksum of sorted pairs    {checksum}");

if (!args.Contains("--skip-tiles"))
{
    Console.WriteLine();
    await TileBench.RunAsync(cs);
}

if (!args.Contains("--skip-match"))
{
    Console.WriteLine();
    await Match();
}
