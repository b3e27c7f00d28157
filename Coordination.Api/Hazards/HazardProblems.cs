namespace Coordination.Api.Hazards;

/// <summary>The problem codes of hazard layers and flood events (the web words each one in Vietnamese and English).</summary>
[ProblemCodes]
public static class HazardProblems
{
    /// <summary>404: no hazard layer with that id; <c>key</c>.</summary>
    public const string LayerNotFound = "hazards.layer.not_found";
    /// <summary>404: no flood event with that id; <c>key</c>.</summary>
    public const string FloodEventNotFound = "hazards.flood_event.not_found";
    /// <summary>403: hazard layers are imported by administrators and province operators only.</summary>
    public const string LayerImportRole = "hazards.layer.import_role";
    /// <summary>403: a layer is removed by administrators or the operator of the province it was imported for; <c>provinceCode</c> (null: an administrators' layer).</summary>
    public const string LayerOutsideScope = "hazards.layer.outside_scope";
    /// <summary>403: flood-event files are imported by administrators and province operators; others declare events on the map.</summary>
    public const string EventImportRole = "hazards.flood_event.import_role";
    /// <summary>403: the event (declared communes, or the communes a drawn extent covers) reaches communes the user does not act for; <c>outside</c>, <c>extent</c> ("drawn" or "communes").</summary>
    public const string EventOutsideScope = "hazards.flood_event.outside_scope";
    /// <summary>409: some of the communes are in a flood event that is still open; <c>activeEvents</c> (communeCode, eventId, name).</summary>
    public const string AlreadyDeclared = "hazards.flood_event.already_declared";

    // Field codes (in fieldCodes).
    /// <summary>Field "communes": give either a drawn extent or communes, not both.</summary>
    public const string ExtentOrCommunes = "hazards.flood_event.extent_or_communes";
    /// <summary>Field "geometry": the extent covers no commune (empty after repair, or outside Vietnam).</summary>
    public const string CoversNoCommune = "hazards.flood_event.covers_no_commune";
    /// <summary>Field "endedAt": the event has already ended; <c>endedAt</c>.</summary>
    public const string AlreadyEnded = "hazards.flood_event.already_ended";
}
