namespace Coordination.Api.Offices;

/// <summary>Audit action names of offices and shelters (values are stored: never change them).</summary>
public static class OfficeAudit
{
    public const string OfficeCreated = "office.created", OfficeChanged = "office.changed", OfficeDeleted = "office.deleted",
        OfficeFallbackSet = "office.fallback_set", ShelterOccupancy = "office.shelter_occupancy", OfficesImported = "office.imported";
}
