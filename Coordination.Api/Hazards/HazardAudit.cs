namespace Coordination.Api.Hazards;

/// <summary>Audit action names of hazard layers and flood events (values are stored: never change them).</summary>
public static class HazardAudit
{
    public const string HazardLayerImported = "hazard_layer.imported", HazardLayerDeleted = "hazard_layer.deleted",
        FloodEventDeclared = "flood_event.declared", FloodEventsImported = "flood_event.imported", FloodEventClosed = "flood_event.closed";
}
