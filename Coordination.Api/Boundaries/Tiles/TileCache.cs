using System.Collections.Concurrent;

namespace Coordination.Api.Boundaries.Tiles;

/// <summary>
/// Keeps rendered tiles in memory: boundaries change only on import, so a tile is rendered once.
/// Bounded by count; <see cref="Clear"/> is called after an import changes geometry.
/// Setting <c>Tiles:Cache=false</c> (env <c>Tiles__Cache=false</c>) renders every request, for measuring cold tiles.
/// </summary>
public sealed class TileCache(IConfiguration? config = null)
{
    public const string ContentType = "application/vnd.mapbox-vector-tile";
    const int MaxTiles = 20_000;
    readonly ConcurrentDictionary<(int z, int x, int y), byte[]> _tiles = new();
    readonly bool _enabled = config?.GetValue("Tiles:Cache", true) ?? true;

    public async Task<byte[]> GetOrAddAsync((int z, int x, int y) key, Func<Task<byte[]>> render)
    {
        if (!_enabled) return await render();
        if (_tiles.TryGetValue(key, out var hit)) return hit;
        var tile = await render();
        if (_tiles.Count >= MaxTiles) _tiles.Clear();
        _tiles[key] = tile;
        return tile;
    }

    public void Clear() => _tiles.Clear();
}
