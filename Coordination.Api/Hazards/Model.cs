namespace Coordination.Api.Hazards;

public static class HazardKind
{
    public const string Flood = "flood", FlashFlood = "flash_flood", Landslide = "landslide";
    public static readonly string[] All = [Flood, FlashFlood, Landslide];
    public static bool IsFlood(string kind) => kind is Flood or FlashFlood;
}

/// <summary>An imported layer of hazard zones (one file), e.g. a province's flood map or the shipped sample.</summary>
public sealed class HazardLayer
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Source { get; set; }
    public bool IsSample { get; set; }
    public required string Sha256 { get; set; }
    public DateTime ImportedAt { get; set; }
    public string? ImportedBy { get; set; }
    public string? ProvinceCode { get; set; }           // the province it was imported for; null = administrator, any
    public List<HazardZone> Zones { get; set; } = [];
}

/// <summary>A polygon of a hazard layer: where floods (or landslides) are expected.</summary>
public sealed class HazardZone
{
    public int Id { get; set; }
    public int LayerId { get; set; }
    public required string Hazard { get; set; }         // HazardKind
    public string? Name { get; set; }
    public string? DepthClass { get; set; }             // e.g. "0.5–1 m", as the source states it
    public int? ReturnPeriodYears { get; set; }
    public string? Source { get; set; }
    public DateOnly? SourceDate { get; set; }
    public required MultiPolygon Geom { get; set; }     // EPSG:4326
}

/// <summary>
/// An observed flood extent with its dates. Active while started and not ended: offices inside it are
/// "flooded now". Past events still make the offices inside them flood-prone.
/// A commune leader often knows only that the commune floods, not where: an event declared for communes has no
/// extent (<see cref="Geom"/> null), covers exactly those communes, and marks no office as flooded.
/// </summary>
public sealed class FloodEvent
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public string? Source { get; set; }
    public string? Note { get; set; }
    public MultiPolygon? Geom { get; set; }             // EPSG:4326; null = declared for communes, extent not drawn
    public string? DeclaredBy { get; set; }
    public string? ClosedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// Which communes an event covers (its extent shrunk by 50 m, so a border drawn along does not pull in the
/// neighbour; a tiny extent as it is). Derived, kept in the same transaction as the event, so matching asks an
/// index instead of testing outlines against extents on every query. For an event without extent these rows are
/// the declaration itself.
/// </summary>
public sealed class FloodEventCommune
{
    public int FloodEventId { get; set; }
    public required string CommuneCode { get; set; }
}
