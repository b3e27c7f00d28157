namespace Coordination.Api.Offices;

/// <summary>The problem codes of offices and shelters (the web words each one in Vietnamese and English).</summary>
[ProblemCodes]
public static class OfficeProblems
{
    /// <summary>404: no office with that id; <c>key</c>.</summary>
    public const string OfficeNotFound = "offices.office.not_found";
    /// <summary>403: the user does not act for the office's commune; <c>communeCode</c>.</summary>
    public const string OutsideScope = "offices.office.outside_scope";
    /// <summary>403: the user does not act for the commune the office would move to; <c>communeCode</c>.</summary>
    public const string MoveOutsideScope = "offices.office.move_outside_scope";

    // Field codes (in fieldCodes).
    /// <summary>Field "commune": a list needs commune, province, defenseArea or bbox (the whole country is too many offices).</summary>
    public const string FilterRequired = "offices.list.filter_required";
    /// <summary>Field "shelterCapacity": only a shelter has a capacity.</summary>
    public const string CapacityWithoutShelter = "offices.shelter.capacity_without_shelter";
    /// <summary>Field "fallbackOfficeId": an office cannot be its own fallback.</summary>
    public const string FallbackSelf = "offices.fallback.self";
    /// <summary>Field "fallbackOfficeId": the fallback is neither in the same commune nor in a neighbouring one (the message names it).</summary>
    public const string FallbackNotNeighbour = "offices.fallback.not_neighbour";
    /// <summary>Field "occupancy": the office is not a shelter.</summary>
    public const string NotAShelter = "offices.shelter.not_a_shelter";
    /// <summary>Field "change": give occupancy or change, not both.</summary>
    public const string OccupancyOrChange = "offices.shelter.occupancy_or_change";
    /// <summary>Field "change": more would leave than are recorded; <c>recorded</c>.</summary>
    public const string MoreLeaveThanRecorded = "offices.shelter.more_leave_than_recorded";
}
