namespace Coordination.Api.Boundaries.Import;

/// <summary>
/// Work that must follow a change of the commune boundaries, inside the import's transaction: capabilities that
/// keep data derived from the boundaries implement it (Hazards: which communes a flood event covers).
/// </summary>
public interface IBoundariesChanged
{
    Task BoundariesChangedAsync(NpgsqlConnection conn, CancellationToken ct);
}
