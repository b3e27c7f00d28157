namespace Coordination.Tests.Infrastructure;

/// <summary>
/// Writes a small PMTiles v3 archive (header, one root directory, JSON metadata, uncompressed MVT tiles), following
/// the specification (github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md): what an operator's basemap built by
/// planetiler or tilemaker is, in miniature, for testing the drop-in without a multi-gigabyte file.
/// </summary>
public static class PmtilesWriter
{
    /// <summary>The tile's position on the Hilbert curve of its zoom, after all tiles of lower zooms (as pmtiles.js).</summary>
    public static ulong TileId(int z, long x, long y)
    {
        var acc = ((1UL << z) * (1UL << z) - 1) / 3;
        var a = z - 1;
        var (tx, ty) = (x, y);
        for (var s = a < 0 ? 0 : 1L << a; s > 0; s >>= 1)
        {
            var rx = tx & s;
            var ry = ty & s;
            acc += (ulong)((3 * rx) ^ ry) * (1UL << a);
            if (ry == 0) (tx, ty) = rx != 0 ? (s - 1 - ty, s - 1 - tx) : (ty, tx);
            a--;
        }
        return acc;
    }

    public static byte[] Write(IEnumerable<(int Z, int X, int Y, byte[] Data)> tiles, string metadataJson, double[] bounds, int minZoom, int maxZoom)
    {
        var entries = tiles.Select(t => (Id: TileId(t.Z, t.X, t.Y), t.Data)).OrderBy(t => t.Id).ToList();
        var dir = new MemoryStream();
        Varint(dir, (ulong)entries.Count);
        ulong last = 0;
        foreach (var e in entries) { Varint(dir, e.Id - last); last = e.Id; }
        foreach (var _ in entries) Varint(dir, 1);                          // run lengths
        foreach (var e in entries) Varint(dir, (ulong)e.Data.Length);      // lengths
        for (var i = 0; i < entries.Count; i++) Varint(dir, i == 0 ? 1UL : 0UL);   // offsets: first at 0 (stored +1), then contiguous
        var metadata = System.Text.Encoding.UTF8.GetBytes(metadataJson);
        var data = entries.SelectMany(e => e.Data).ToArray();

        var header = new byte[127];
        "PMTiles"u8.CopyTo(header);
        header[7] = 3;
        var rootOffset = 127UL;
        var metaOffset = rootOffset + (ulong)dir.Length;
        var dataOffset = metaOffset + (ulong)metadata.Length;
        void U64(int at, ulong v) => BitConverter.TryWriteBytes(header.AsSpan(at, 8), v);
        void I32(int at, double degrees) => BitConverter.TryWriteBytes(header.AsSpan(at, 4), (int)Math.Round(degrees * 10_000_000));
        U64(8, rootOffset); U64(16, (ulong)dir.Length);
        U64(24, metaOffset); U64(32, (ulong)metadata.Length);
        U64(40, 0); U64(48, 0);                                            // no leaf directories
        U64(56, dataOffset); U64(64, (ulong)data.Length);
        U64(72, (ulong)entries.Count); U64(80, (ulong)entries.Count); U64(88, (ulong)entries.Count);
        header[96] = 1;                                                    // clustered: tiles in id order
        header[97] = 1; header[98] = 1;                                    // compression: none (directories, tiles)
        header[99] = 1;                                                    // tile type: MVT
        header[100] = (byte)minZoom; header[101] = (byte)maxZoom;
        I32(102, bounds[0]); I32(106, bounds[1]); I32(110, bounds[2]); I32(114, bounds[3]);
        header[118] = (byte)minZoom;
        I32(119, (bounds[0] + bounds[2]) / 2); I32(123, (bounds[1] + bounds[3]) / 2);
        return [.. header, .. dir.ToArray(), .. metadata, .. data];
    }

    static void Varint(Stream s, ulong v)
    {
        while (v >= 0x80) { s.WriteByte((byte)(v | 0x80)); v >>= 7; }
        s.WriteByte((byte)v);
    }
}
