using Coordination.Api.Boundaries.Import;

namespace Coordination.Api.Hazards;

/// <summary>After a commune import, which communes each drawn flood event covers is recomputed (same transaction).</summary>
public sealed class FloodCoverageFollowsBoundaries : IBoundariesChanged
{
    public Task BoundariesChangedAsync(NpgsqlConnection conn, CancellationToken ct) => FloodEventCoverage.RefreshAsync(conn, null, ct);
}
