using System.Diagnostics;
using NetTopologySuite.Coverage;
using NetTopologySuite.IO;
using NpgsqlTypes;

namespace Coordination.Api.Boundaries.Tiles;

/// <summary>
/// Commune geometry generalised per zoom for the vector tiles, kept in <c>commune_tiles</c>
/// (band = the tile zoom it is made for, code, geom in EPSG:3857). Derived data: rebuilt from
/// <c>communes.geom_web</c> after every import that changes communes (<see cref="RebuildAsync"/>), and lazily
/// when the table is missing or was built by an older <see cref="Version"/> (<see cref="EnsureAsync"/>).
/// <para/>
/// Gap-free by construction: the communes form a coverage (neighbours share identical border vertices), and the
/// whole coverage is simplified at once with NetTopologySuite's <see cref="CoverageSimplifier"/>, which simplifies
/// each shared edge once (Visvalingam–Whyatt, topology preserving, nodes kept), so both neighbours get the same
/// simplified border. Never simplify polygons one by one (ST_Simplify per row opens slivers).
/// Schema-free on purpose: the table is a cache that this class creates and owns (no EF entity, no migration).
/// </summary>
public static class TileGeneralisation
{
    /// <summary>Bump when the bands, tolerances or algorithm change: tables built by another version are rebuilt.</summary>
    public const string Version = "tiles-v1";

    /// <summary>Tiles at zooms above this use <c>communes.geom_web</c> as is.</summary>
    public const int MaxGeneralisedZoom = 9;

    /// <summary>
    /// Distance tolerance (metres in EPSG:3857) for a zoom: a fraction of one CSS pixel as MapLibre shows the tile
    /// (vector tiles are drawn 512 px wide, so one pixel is 40 075 017 m / (512 · 2^z)).
    /// </summary>
    public static double Tolerance(int zoom) => ToleranceInPixels * PixelMetres(zoom);

    public static double PixelMetres(int zoom) => 40_075_016.686 / (512.0 * (1 << zoom));

    internal static double ToleranceInPixels = 1.5;

    const string Table = "commune_tiles";

    /// <summary>
    /// Recomputes every band from <c>communes.geom_web</c>, on <paramref name="conn"/> and inside its current
    /// transaction if there is one (the importer calls it in its import transaction).
    /// </summary>
    public static async Task RebuildAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        // Serialise concurrent rebuilds (an import and a lazy EnsureAsync); held until the caller's transaction ends.
        await Exec(conn, $"""
            SELECT pg_advisory_xact_lock(hashtext('{Table}'));
            CREATE TABLE IF NOT EXISTS {Table} (
                band smallint NOT NULL,
                code varchar(10) NOT NULL,
                geom geometry(MultiPolygon, 3857) NOT NULL,
                PRIMARY KEY (band, code));
            -- A tile reads a few hundred small rows: starting parallel workers costs more (~30 ms) than the scan.
            ALTER TABLE {Table} SET (parallel_workers = 0);
            """ + string.Concat(Enumerable.Range(0, MaxGeneralisedZoom + 1).Select(z =>
            // One partial GiST index per band: a tile query reads a single band, so it never filters the others.
            $"CREATE INDEX IF NOT EXISTS ix_{Table}_geom_{z} ON {Table} USING gist (geom) WHERE band = {z};\n")), ct);

        var codes = new List<string>();
        var geoms = new List<Geometry>();
        var reader = new WKBReader();
        await using (var cmd = new NpgsqlCommand("SELECT code, ST_AsBinary(geom_web) FROM communes ORDER BY code", conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                codes.Add(r.GetString(0));
                geoms.Add(reader.Read(r.GetFieldValue<byte[]>(1)));
            }

        // Finest band first; each coarser band simplifies the previous one (cheaper, and nested by construction).
        var bands = new List<(int band, Geometry[] geoms)>();
        var current = geoms.ToArray();
        for (var z = MaxGeneralisedZoom; z >= 0 && current.Length > 0; z--)
        {
            current = CoverageSimplifier.Simplify(current, Tolerance(z));
            bands.Add((z, current));
        }

        await Exec(conn, $"DELETE FROM {Table}", ct);
        var writer = new WKBWriter(ByteOrder.LittleEndian, handleSRID: true, emitZ: false, emitM: false);
        var factory = new GeometryFactory(new PrecisionModel(), 3857);
        var rows = 0;
        // Binary COPY hands each field to the column type's receive function: geometry_recv reads EWKB.
        await using (var w = await conn.BeginBinaryImportAsync($"COPY {Table} (band, code, geom) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (band, gs) in bands)
                for (var i = 0; i < gs.Length; i++)
                {
                    var g = gs[i];
                    if (g is null || g.IsEmpty) continue;
                    var multi = g switch
                    {
                        MultiPolygon mp => mp,
                        Polygon p => factory.CreateMultiPolygon([p]),
                        _ => factory.CreateMultiPolygon(Enumerable.Range(0, g.NumGeometries)
                            .Select(g.GetGeometryN).OfType<Polygon>().ToArray()),
                    };
                    if (multi.IsEmpty) continue;
                    multi.SRID = 3857;
                    await w.StartRowAsync(ct);
                    await w.WriteAsync((short)band, NpgsqlDbType.Smallint, ct);
                    await w.WriteAsync(codes[i], NpgsqlDbType.Varchar, ct);
                    await w.WriteAsync(writer.Write(multi), NpgsqlDbType.Bytea, ct);
                    rows++;
                }
            await w.CompleteAsync(ct);
        }
        await Exec(conn, $"ANALYZE {Table}; COMMENT ON TABLE {Table} IS '{Version}'", ct);
        _ready.Clear();
        LastRebuild = (rows, sw.Elapsed);
    }

    /// <summary>Rows written and time taken by the last rebuild in this process (for logs and the bench).</summary>
    public static (int Rows, TimeSpan Elapsed) LastRebuild { get; private set; }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _ready = new();
    static readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Makes sure the generalised table exists and is current (a database imported before this table existed, or
    /// built by an older <see cref="Version"/>). Cheap after the first call per database.
    /// </summary>
    public static async Task EnsureAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var key = conn.DataSource + "/" + conn.Database;
        if (_ready.ContainsKey(key)) return;
        await _gate.WaitAsync(ct);
        try
        {
            if (_ready.ContainsKey(key)) return;
            if (!await IsCurrentAsync(conn, ct))
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                if (!await IsCurrentAsync(conn, ct)) await RebuildAsync(conn, ct);
                await tx.CommitAsync(ct);
            }
            _ready[key] = true;
        }
        finally { _gate.Release(); }
    }

    static async Task<bool> IsCurrentAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT obj_description(to_regclass('{Table}'), 'pg_class')", conn);
        return await cmd.ExecuteScalarAsync(ct) is string v && v == Version;
    }

    static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
