using System.Diagnostics;
using System.IO.Compression;
using Coordination.Api.Boundaries.Tiles;
using Npgsql;

namespace Coordination.Bench;

/// <summary>
/// Vector-tile benchmark, straight against the database (no HTTP, no tile cache): for a fixed set of tiles, the
/// tile size and the median/min time of the query as first shipped (raw geometry at every zoom,
/// <see cref="TileQuery.RawSql"/>) against ours (<see cref="TileQuery.Sql"/>: per-zoom generalised geometry up to
/// z<see cref="TileGeneralisation.MaxGeneralisedZoom"/>, raw above), runs interleaved. Needs the nationwide communes
/// in the database; builds the generalised table if it is missing, and times one rebuild (rolled back).
/// </summary>
public static class TileBench
{
    static readonly (string Name, int Z, int X, int Y)[] Tiles =
    [
        ("z4 Vietnam north half", 4, 12, 7),
        ("z5 north + Nghe An", 5, 25, 14),
        ("z6 northern Vietnam", 6, 50, 28),
        ("z6 far north", 6, 50, 27),
        ("z8 Ha Noi region", 8, 203, 112),
        ("z10 Ha Noi (dense)", 10, 813, 450),
        ("z10 Vinh, Nghe An", 10, 812, 457),
        ("z12 Ha Noi centre", 12, 3252, 1803),
    ];

    public static async Task RunAsync(string connectionString)
    {
        const int runs = 15, warmups = 2;
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await TileGeneralisation.EnsureAsync(conn, CancellationToken.None);

        var sw = Stopwatch.StartNew();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await TileGeneralisation.RebuildAsync(conn, CancellationToken.None);
            await tx.RollbackAsync();
        }
        Console.WriteLine($"tiles: generalised table rebuild (z0–z{TileGeneralisation.MaxGeneralisedZoom}, {TileGeneralisation.LastRebuild.Rows} rows) {sw.Elapsed.TotalSeconds:F2} s");
        Console.WriteLine($"tiles: {runs} runs each after {warmups} warm-ups, raw and ours interleaved; KB = 1024 bytes, gz = gzip fastest (as served)");
        Console.WriteLine($"{"tile",-24} {"z/x/y",-14} {"raw KB",8} {"gz",6} {"med ms",7} {"min ms",7} | {"ours KB",8} {"gz",6} {"med ms",7} {"min ms",7} | {"time ×",6}");
        foreach (var (name, z, x, y) in Tiles)
        {
            byte[] raw = [], ours = [];
            var rawMs = new List<double>();
            var oursMs = new List<double>();
            for (var i = 0; i < warmups + runs; i++)
            {
                var t = Stopwatch.GetTimestamp();
                raw = await TileQuery.ExecuteAsync(conn, TileQuery.RawSql, z, x, y, CancellationToken.None);
                var a = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                t = Stopwatch.GetTimestamp();
                ours = await TileQuery.ExecuteAsync(conn, TileQuery.Sql(z), z, x, y, CancellationToken.None);
                var b = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (i < warmups) continue;
                rawMs.Add(a);
                oursMs.Add(b);
            }
            var (rm, om) = (Median(rawMs), Median(oursMs));
            Console.WriteLine($"{name,-24} {$"{z}/{x}/{y}",-14} {raw.Length / 1024.0,8:F1} {Gzip(raw) / 1024.0,6:F1} {rm,7:F1} {rawMs.Min(),7:F1} | " +
                              $"{ours.Length / 1024.0,8:F1} {Gzip(ours) / 1024.0,6:F1} {om,7:F1} {oursMs.Min(),7:F1} | {om / rm,6:F2}");
        }
    }

    static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    static int Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return (int)ms.Length;
    }
}
