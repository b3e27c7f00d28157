namespace Coordination.Api.Offices;

public static class OfficeKind
{
    /// <summary>Trụ sở UBND — the People's Committee seat.</summary>
    public const string PeopleCommittee = "people_committee";
    /// <summary>Trung tâm phục vụ hành chính công — the public-administration service centre.</summary>
    public const string ServiceCentre = "service_centre";
    public const string School = "school", Clinic = "clinic", CulturalHouse = "cultural_house", Other = "other";
    public static readonly string[] All = [PeopleCommittee, ServiceCentre, School, Clinic, CulturalHouse, Other];
}

public static class LocationAccuracy
{
    /// <summary>Placed by the commune (or imported from a survey).</summary>
    public const string Surveyed = "surveyed";
    /// <summary>The published 2025 administrative-centre point: roughly right, not a survey.</summary>
    public const string Approximate = "approximate";
    /// <summary>No published point: the commune's representative point (ST_PointOnSurface) stands in.</summary>
    public const string RepresentativePoint = "representative_point";
    public static readonly string[] All = [Surveyed, Approximate, RepresentativePoint];
}

/// <summary>
/// A commune's premises: its People's Committee seat, service centre, or a school/clinic used as a shelter.
/// When it floods, services move to <see cref="FallbackOfficeId"/> (same commune or a neighbour).
/// </summary>
public sealed class Office
{
    public int Id { get; set; }
    public required string CommuneCode { get; set; }
    public required string Kind { get; set; }           // OfficeKind
    public required string Name { get; set; }           // NFC
    public string? Address { get; set; }
    public string? Phone { get; set; }
    public required Point Location { get; set; }        // EPSG:4326
    public required string Accuracy { get; set; }       // LocationAccuracy
    /// <summary>External key for re-imports (unique within the commune), e.g. "admin-center-2025".</summary>
    public string? Ref { get; set; }
    public int? FallbackOfficeId { get; set; }
    public bool IsShelter { get; set; }
    public int? ShelterCapacity { get; set; }
    public int? ShelterOccupancy { get; set; }
    public DateTime? OccupancyUpdatedAt { get; set; }
    /// <summary>What an import noticed but accepted, e.g. "the point lies 1.2 km outside the commune".</summary>
    public string? Warning { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

public static class ExposureReason
{
    public const string InsideZone = "inside_zone", NearZone = "near_zone", InsideEvent = "inside_event";
}

/// <summary>One reason an office is exposed, computed in PostGIS (see <see cref="ExposureCalculator"/>).</summary>
public sealed class OfficeExposure
{
    public long Id { get; set; }
    public int OfficeId { get; set; }
    public required string Hazard { get; set; }
    public required string Reason { get; set; }         // ExposureReason
    public int? HazardZoneId { get; set; }
    public int? FloodEventId { get; set; }
    public double DistanceM { get; set; }
}
