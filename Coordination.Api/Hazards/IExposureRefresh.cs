namespace Coordination.Api.Hazards;

/// <summary>
/// What Hazards needs from whoever keeps what its zones and events expose (Offices implements it): recompute the
/// exposure after zones or flood events changed, inside the caller's transaction, and count what an event covers.
/// </summary>
public interface IExposureRefresh
{
    /// <summary>Recomputes every exposure on <paramref name="conn"/> (the caller's open transaction); returns the rows written.</summary>
    Task<int> RefreshAsync(NpgsqlConnection conn, CancellationToken ct);

    /// <summary>How many offices lie inside the flood event's extent.</summary>
    Task<int> OfficesInsideAsync(int floodEventId, CancellationToken ct);
}
