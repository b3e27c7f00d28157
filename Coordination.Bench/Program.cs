using System.Diagnostics;
using Coordination.Api.Data;
using Coordination.Api.Geo.Adjacencies;
using Coordination.Api.Geo.Import;
using Coordination.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

// Benchmark (not a test): import the nationwide file into a fresh database, recompute adjacency from
// scratch several times, and print the figures. Usage:
//   dotnet run -c Release --project Coordination.Bench [-- --runs N] [-- --skip-tiles]
// Uses its own embedded cluster (.data/pg-bench, port 55434) unless ConnectionStrings__Coordination is set
// (then a database named coordination_bench is created on that server).
var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(5);

await using var cluster = Environment.GetEnvironmentVariable("ConnectionStrings__Coordination") is { Length: > 0 } ? null
    : new EmbeddedPostgres(new EmbeddedPostgresOptions
    {
        DataDirectory = Path.Combine(EmbeddedPostgres.RepositoryRoot(), ".data", "pg-bench"), Port = 55434, Database = "postgres",
    }, _ => { });
if (cluster is not null) await cluster.StartAsync();
var server = cluster?.ConnectionString("postgres") ?? Environment.GetEnvironmentVariable("ConnectionStrings__Coordination")!;
var cs = new NpgsqlConnectionStringBuilder(server) { Database = "coordination_bench" }.ConnectionString;

await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
{
    await admin.OpenAsync();
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
Console.WriteLine($"adjacency from scratch      {times[times.Count / 2],7:F2} s median, {times[0]:F2} s min over {runs} runs (tolerance {AdjacencyCalculator.ToleranceM} m, min shared {AdjacencyCalculator.MinSharedM} m)");
Console.WriteLine($"communes                    {communes}");
Console.WriteLine($"pairs                       {stats!.Neighbours + stats.Corners} ({stats.Neighbours} neighbours, {stats.Corners} corners)");
Console.WriteLine($"checksum of sorted pairs    {checksum}");

if (!args.Contains("--skip-tiles"))
{
    Console.WriteLine();
    await TileBench.RunAsync(cs);
}
