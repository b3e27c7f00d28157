using System.Text.Json;

namespace Coordination.Api.Kernel;

/// <summary>
/// One row of the append-only audit log: who did what, when, from where, on which entity, with
/// before/after where it matters. A database trigger refuses UPDATE and DELETE on the table.
/// CommuneCode/ProvinceCode place the event so that commanders and operators see only their scope.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string? ActorId { get; set; }
    public string? ActorName { get; set; }
    public string? Ip { get; set; }
    public required string Action { get; set; }
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }
    public string? CommuneCode { get; set; }
    public string? ProvinceCode { get; set; }
    public JsonDocument? Before { get; set; }
    public JsonDocument? After { get; set; }
    public string? Detail { get; set; }
}

public static class AuditActions
{
    public const string SignIn = "auth.sign_in", SignInFailed = "auth.sign_in_failed", LockedOut = "auth.locked_out",
        SignOut = "auth.sign_out", UserCreated = "user.created", UserChanged = "user.role_changed",
        ContactUpdated = "commune_contact.updated", DefenseAreaCreated = "defense_area.created", DefenseAreaChanged = "defense_area.changed",
        OfficeCreated = "office.created", OfficeChanged = "office.changed", OfficeDeleted = "office.deleted",
        OfficeFallbackSet = "office.fallback_set", ShelterOccupancy = "office.shelter_occupancy", OfficesImported = "office.imported",
        HazardLayerImported = "hazard_layer.imported", HazardLayerDeleted = "hazard_layer.deleted",
        FloodEventDeclared = "flood_event.declared", FloodEventsImported = "flood_event.imported", FloodEventClosed = "flood_event.closed";
}
