namespace Coordination.Api.MutualAid;

/// <summary>The rules of filing and amending a request, without the database: field checks, status changes, amendments.</summary>
public static class RequestRules
{
    public const int MaxLines = 50, MaxHamlet = 100, MaxDescription = 2000;

    /// <summary>Field errors by field, the last word on a field winning (as one message per field is shown).</summary>
    sealed class Errors
    {
        readonly Dictionary<string, FieldError> _byName = [];
        public void Add(string name, string code, string message) => _byName[name] = new(name, code, message);
        public List<FieldError> List => [.. _byName.Values];
    }

    /// <summary>Lon/lat are given and plausible WGS84 (whether the point is in the commune is the database's to say).</summary>
    public static bool HasLocation(CreateRequest body) =>
        body.Lon is { } lon && body.Lat is { } lat && double.IsFinite(lon) && double.IsFinite(lat) && lon is >= -180 and <= 180 && lat is >= -90 and <= 90;

    /// <summary>
    /// A new request's fields. <paramref name="inside"/>: whether the point lies in the commune (only asked when
    /// <see cref="HasLocation"/>); <paramref name="known"/>: the resource types by code.
    /// </summary>
    public static List<FieldError> CreateErrors(CreateRequest body, DateTime now, bool inside, IReadOnlyDictionary<string, ResourceType> known)
    {
        var errors = new Errors();
        var hamlet = Clean(body.Hamlet);
        if (string.IsNullOrEmpty(hamlet) || hamlet.Length > MaxHamlet)
            errors.Add("hamlet", string.IsNullOrEmpty(hamlet) ? CommonProblems.FieldRequired : CommonProblems.FieldTooLong, "hamlet (thôn / bản / tổ dân phố) is required, at most 100 characters.");
        if (body.Hazard is null || !RequestsApi.Hazards.Contains(body.Hazard))
            errors.Add("hazard", body.Hazard is null ? CommonProblems.FieldRequired : CommonProblems.FieldUnknown, $"hazard must be one of {string.Join(", ", RequestsApi.Hazards)}.");
        if (body.Urgency is null || !Urgency.All.Contains(body.Urgency))
            errors.Add("urgency", body.Urgency is null ? CommonProblems.FieldRequired : CommonProblems.FieldUnknown, $"urgency must be one of {string.Join(", ", Urgency.All)}.");
        if (Clean(body.Description)?.Length > MaxDescription) errors.Add("description", CommonProblems.FieldTooLong, "description is at most 2000 characters.");
        if (body.NeededBy is { } nb && nb.UtcDateTime < now.AddMinutes(-5)) errors.Add("neededBy", CommonProblems.FieldOutOfRange, "neededBy is in the past.");
        if (!HasLocation(body))
            errors.Add("location", body.Lon is null || body.Lat is null ? CommonProblems.FieldRequired : CommonProblems.FieldOutOfRange,
                "lon/lat (WGS84) of the place that needs help are required.");
        else if (!inside)
            errors.Add("location", AidProblems.FieldOutsideCommune,
                $"the point [{body.Lon}, {body.Lat}] is not in commune {body.CommuneCode}: pick the place on the map inside your commune.");
        var lines = body.Lines ?? [];
        if (lines.Count == 0) errors.Add("lines", CommonProblems.FieldRequired, "a request needs at least one line (resourceType, quantity).");
        if (lines.Count > MaxLines) errors.Add("lines", CommonProblems.FieldOutOfRange, "at most 50 lines.");
        for (var i = 0; i < lines.Count && i < MaxLines; i++)
        {
            var l = lines[i];
            if (l.ResourceType is null || !known.ContainsKey(l.ResourceType))
                errors.Add($"lines[{i}].resourceType", l.ResourceType is null ? CommonProblems.FieldRequired : CommonProblems.FieldUnknown, $"unknown resource type '{l.ResourceType}'.");
            if (LineQuantityError($"lines[{i}].quantity", l.Quantity, l.ResourceType is null ? null : known.GetValueOrDefault(l.ResourceType)) is { } e)
                errors.Add(e.Name, e.Code, e.Message);
        }
        var dupTypes = lines.GroupBy(l => l.ResourceType).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dupTypes.Count > 0) errors.Add("lines", AidProblems.FieldDuplicateLine, $"one line per resource type: {string.Join(", ", dupTypes)} appears twice.");
        return errors.List;
    }

    /// <summary>Text as stored: NFC, trimmed.</summary>
    public static string? Clean(string? text) => SearchKey.Nfc(text)?.Trim();

    /// <summary>A line's quantity: a whole number from 1 to the type's plausible maximum (stated in the catalogue).</summary>
    public static FieldError? LineQuantityError(string field, int? quantity, ResourceType? type)
    {
        var max = type?.MaxPerLine ?? RequestsApi.MaxQuantity;
        if (quantity is null or <= 0)
            return new(field, quantity is null ? CommonProblems.FieldRequired : CommonProblems.FieldOutOfRange, $"quantity must be a whole number from 1 to {max:N0}.");
        if (quantity > max) return new(field, CommonProblems.FieldOutOfRange, type?.MaxPerLine is not null
            ? $"{quantity:N0} {type.UnitEn} is more than one request may ask for ({Notify.En(max, type.UnitEn, type.NameEn)}); check the number (needs beyond it are the province's to organise)."
            : $"quantity must be a whole number from 1 to {max:N0}.");
        return null;
    }

    /// <summary>A draft opens; a draft or an open request is cancelled; an open request closes. Nothing else.</summary>
    public static bool CanBecome(string from, string to) => (from, to) switch
    {
        (RequestStatus.Draft, RequestStatus.Open) => true,
        (RequestStatus.Draft or RequestStatus.Open, RequestStatus.Cancelled) => true,
        (RequestStatus.Open, RequestStatus.Closed) => true,
        _ => false,
    };

    /// <summary>Only an open or a draft request is amended.</summary>
    public static bool IsAmendable(string status) => status is RequestStatus.Open or RequestStatus.Draft;
}
