namespace Coordination.Api.Boundaries.Hamlets;

/// <summary>The problem codes of the hamlet registry (the web words each one in Vietnamese and English).</summary>
[ProblemCodes]
public static class HamletProblems
{
    /// <summary>404: no hamlet with that id; <c>key</c>.</summary>
    public const string NotFound = "boundaries.hamlet.not_found";
    /// <summary>403: the user does not act for the hamlet's commune; <c>communeCode</c>.</summary>
    public const string OutsideScope = "boundaries.hamlet.outside_scope";
    /// <summary>409: the commune already has a hamlet of that name (with or without diacritics); <c>hamletId</c>, <c>name</c>.</summary>
    public const string NameTaken = "boundaries.hamlet.name_taken";

    // Field codes (in fieldCodes).
    /// <summary>Field "commune": a list needs commune or bbox.</summary>
    public const string FilterRequired = "boundaries.hamlet.filter_required";
    /// <summary>Field "location": the point is not inside the hamlet's commune.</summary>
    public const string OutsideCommune = "boundaries.hamlet.outside_commune";

    // Row codes of a hamlet file (in rowProblems: row, column, value), one sentence per row.
    /// <summary>Row: no name.</summary>
    public const string RowNameMissing = "boundaries.hamlet.row.name_missing";
    /// <summary>Row: the name is longer than 100 characters.</summary>
    public const string RowNameTooLong = "boundaries.hamlet.row.name_too_long";
    /// <summary>Row: lon/lat are not numbers, or not in Vietnam (swapped columns, another CRS).</summary>
    public const string RowPositionInvalid = "boundaries.hamlet.row.position_invalid";
    /// <summary>Row: the point lies outside the commune (value: the commune's name).</summary>
    public const string RowOutsideCommune = "boundaries.hamlet.row.outside_commune";
    /// <summary>Row: households or population is not a whole number of at most 1,000,000.</summary>
    public const string RowCountInvalid = "boundaries.hamlet.row.count_invalid";
    /// <summary>Row: flood_prone is not yes/no.</summary>
    public const string RowFlagInvalid = "boundaries.hamlet.row.flag_invalid";
    /// <summary>Row: no such commune, or none given (value: the code).</summary>
    public const string RowCommuneUnknown = "boundaries.hamlet.row.commune_unknown";
    /// <summary>Row: the same hamlet appears on an earlier row (value: that row's number).</summary>
    public const string RowDuplicate = "boundaries.hamlet.row.duplicate";
}

/// <summary>Audit action names of hamlets (values are stored: never change them).</summary>
public static class HamletAudit
{
    public const string Created = "hamlet.created", Changed = "hamlet.changed", Deleted = "hamlet.deleted", Imported = "hamlets.imported";
}
