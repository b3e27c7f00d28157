namespace Coordination.Api.Boundaries;

/// <summary>Audit action names of commune contacts and defense areas (values are stored: never change them).</summary>
public static class BoundaryAudit
{
    public const string ContactUpdated = "commune_contact.updated", DefenseAreaCreated = "defense_area.created", DefenseAreaChanged = "defense_area.changed";
}
