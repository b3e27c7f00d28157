namespace Coordination.Api.Boundaries.Hamlets;

public sealed record HamletInput(string? CommuneCode, string? Name, double? Lon, double? Lat, int? Households, int? Population, bool? FloodProne);

/// <summary>The checks of a hamlet's fields, without the database (whether the point is inside the commune is the database's to say).</summary>
public static class HamletRules
{
    public const int MaxName = 100, MaxCount = 1_000_000;

    public static bool HasLocation(double? lon, double? lat) =>
        lon is { } x && lat is { } y && double.IsFinite(x) && double.IsFinite(y) && x is >= 102 and <= 118 && y is >= 6 and <= 24;

    public static List<FieldError> Errors(HamletInput body)
    {
        var errors = new List<FieldError>();
        var name = SearchKey.Nfc(body.Name);
        if (string.IsNullOrEmpty(name)) errors.Add(new("name", CommonProblems.FieldRequired, "name (e.g. Thôn Tiến Thành, Bản Xiềng) is required."));
        else if (name.Length > MaxName) errors.Add(new("name", CommonProblems.FieldTooLong, $"name is at most {MaxName} characters."));
        else if (SearchKey.Fold(name).Length == 0) errors.Add(new("name", CommonProblems.FieldMalformed, "name needs letters or digits."));
        if (!HasLocation(body.Lon, body.Lat))
            errors.Add(new("location", body.Lon is null || body.Lat is null ? CommonProblems.FieldRequired : CommonProblems.FieldOutOfRange,
                "lon/lat (WGS84, in Vietnam) of the hamlet are required: place it on the map."));
        if (body.Households is < 0 or > MaxCount) errors.Add(new("households", CommonProblems.FieldOutOfRange, $"households is 0 to {MaxCount:N0}."));
        if (body.Population is < 0 or > MaxCount) errors.Add(new("population", CommonProblems.FieldOutOfRange, $"population is 0 to {MaxCount:N0}."));
        return errors;
    }

    public static object Snapshot(Hamlet h) => new { h.CommuneCode, h.Name, Lon = h.Location.X, Lat = h.Location.Y, h.Households, h.Population, h.FloodProne };
}
