namespace Coordination.Api.Boundaries;

/// <summary>The problem codes of provinces, communes, contacts and defense areas (the web words each one in Vietnamese and English).</summary>
[ProblemCodes]
public static class BoundaryProblems
{
    /// <summary>404: no province with that code; <c>key</c>.</summary>
    public const string ProvinceNotFound = "boundaries.province.not_found";
    /// <summary>404: no commune with that code; <c>key</c>.</summary>
    public const string CommuneNotFound = "boundaries.commune.not_found";
    /// <summary>404: no defense area with that id; <c>key</c>.</summary>
    public const string DefenseAreaNotFound = "boundaries.defense_area.not_found";
    /// <summary>403: the user does not act for the commune whose duty contact it would set; <c>communeCode</c>.</summary>
    public const string ContactOutsideScope = "boundaries.contact.outside_scope";
    /// <summary>403: only administrators and the operator of the area's province edit its defense areas; <c>provinceCode</c>.</summary>
    public const string DefenseAreaOutsideScope = "boundaries.defense_area.outside_scope";

    // Field codes (in fieldCodes).
    /// <summary>Field "communes": some communes are not of the area's province (the message lists them); <c>provinceCode</c>.</summary>
    public const string CommunesForeign = "boundaries.defense_area.communes_foreign";
    /// <summary>Field "communes": some communes already belong to another area (the message lists them with their area).</summary>
    public const string CommunesTaken = "boundaries.defense_area.communes_taken";
    /// <summary>Field "name": the province already has an area of that name; <c>provinceCode</c>.</summary>
    public const string AreaNameTaken = "boundaries.defense_area.name_taken";
}
