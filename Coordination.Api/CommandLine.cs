using Coordination.Api.Boundaries;
using Coordination.Api.Boundaries.Import;

namespace Coordination.Api;

/// <summary>
/// Commands of the app:
///   import FILE [--provinces-file F] — validate and import a commune GeoJSON (.geojson or .geojson.gz), then recompute adjacency
///   defense-areas FILE               — replace the defense areas of the provinces named in FILE (JSON, see geo/README.md)
///   adjacency                        — recompute adjacency from the loaded communes
///   migrate                          — apply migrations only
///   sample-flood-zones RIVERS OUT    — build the SAMPLE flood layer from river centre lines (geo/make-sample-flood-zones.sh)
///   dispatch                         — run only the SMS dispatcher and re-broadcast scheduler until stopped (several may run at once)
/// Exit code 0 on success, 2 when a file is rejected (nothing written), 1 on other failures.
/// </summary>
public sealed record CommandLine(string? Name, string[] Arguments, string[] HostArgs)
{
    static readonly string[] Known = ["import", "defense-areas", "adjacency", "migrate", "sample-flood-zones", "dispatch"];

    public static CommandLine Parse(string[] args) =>
        args.Length > 0 && Known.Contains(args[0])
            ? new CommandLine(args[0], args[1..].Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray(), args[1..].Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray())
            : new CommandLine(null, [], args);

    public static async Task<int> RunAsync(WebApplication app, CommandLine command)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        try
        {
            await sp.GetRequiredService<GeoSeeder>().MigrateAsync();
            switch (command.Name)
            {
                case "import":
                    if (command.Arguments.Length != 1) { Console.Error.WriteLine("usage: import FILE.geojson[.gz]"); return 1; }
                    var result = await sp.GetRequiredService<GeoImporter>().ImportCommunesAsync(Path.GetFullPath(command.Arguments[0]));
                    Console.WriteLine(result);
                    foreach (var r in result.Repaired) Console.WriteLine($"  repaired: {r}");
                    break;
                case "defense-areas":
                    if (command.Arguments.Length != 1) { Console.Error.WriteLine("usage: defense-areas FILE.json"); return 1; }
                    var n = await sp.GetRequiredService<DefenseAreaImporter>().ImportAsync(Path.GetFullPath(command.Arguments[0]), replace: true);
                    Console.WriteLine($"{n} defense areas loaded");
                    break;
                case "adjacency":
                    var db = sp.GetRequiredService<CoordinationDb>();
                    await db.Database.OpenConnectionAsync();
                    Console.WriteLine(await AdjacencyCalculator.RecomputeInTransactionAsync((NpgsqlConnection)db.Database.GetDbConnection()));
                    break;
                case "sample-flood-zones":
                    if (command.Arguments.Length != 2) { Console.Error.WriteLine("usage: sample-flood-zones RIVERS.geojson OUT.geojson"); return 1; }
                    var sdb = sp.GetRequiredService<CoordinationDb>();
                    await sdb.Database.OpenConnectionAsync();
                    var layer = await Hazards.Import.SampleFloodZones.BuildAsync((NpgsqlConnection)sdb.Database.GetDbConnection(),
                        await File.ReadAllTextAsync(command.Arguments[0]));
                    await File.WriteAllTextAsync(command.Arguments[1], layer + "\n");
                    Console.WriteLine($"wrote {command.Arguments[1]}");
                    break;
                case "dispatch":
                    using (var stop = new CancellationTokenSource())
                    {
                        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
                        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
                        var scheduler = app.Services.GetRequiredService<Alerts.Delivery.AlertScheduler>();
                        var dispatcher = app.Services.GetRequiredService<Alerts.Delivery.SmsDispatcher>();
                        Console.WriteLine($"dispatcher {dispatcher.ProcessId} started");
                        await scheduler.StartAsync(stop.Token);
                        try
                        {
                            await dispatcher.RunAsync(stop.Token);
                            await Task.Delay(Timeout.Infinite, stop.Token);   // outbox-only: the scheduler still fans out rounds
                        }
                        catch (OperationCanceledException) { }
                        await scheduler.StopAsync(CancellationToken.None);
                    }
                    break;
                case "migrate":
                    Console.WriteLine("database is at the current schema");
                    break;
            }
            return 0;
        }
        catch (GeoImportRejected e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        finally
        {
            await sp.GetRequiredService<Infrastructure.CoordinationDatabase>().DisposeAsync();
        }
    }
}
