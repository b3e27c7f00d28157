using Coordination.Api.Boundaries;

namespace Coordination.Api.Offices;

/// <summary>What an office must be (a whole body at once), where its services may fall back to, and how a body is applied.</summary>
public static class OfficeRules
{
    static readonly GeometryFactory Wgs84 = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    /// <summary>Validates a whole office body; returns the errors by field.</summary>
    public static async Task<List<FieldError>> ValidateAsync(OfficeRequest body, CoordinationDb db, CancellationToken ct)
    {
        var errors = new Dictionary<string, FieldError>();
        void Add(string field, string code, string message) => errors[field] = new(field, code, message);
        if (body.CommuneCode is null || !Problems.IsCommuneCode(body.CommuneCode))
            Add("communeCode", body.CommuneCode is null ? CommonProblems.FieldRequired : CommonProblems.FieldMalformed, "communeCode must be an official commune code of 4–6 digits.");
        else if (!await db.Communes.AnyAsync(c => c.Code == body.CommuneCode, ct)) Add("communeCode", CommonProblems.FieldUnknown, $"no commune {body.CommuneCode}.");
        if (body.Kind is null || !OfficeKind.All.Contains(body.Kind))
            Add("kind", body.Kind is null ? CommonProblems.FieldRequired : CommonProblems.FieldUnknown, $"kind must be one of {string.Join(", ", OfficeKind.All)}.");
        var name = SearchKey.Nfc(body.Name)?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
            Add("name", string.IsNullOrEmpty(name) ? CommonProblems.FieldRequired : CommonProblems.FieldTooLong, "name is required (at most 200 characters).");
        if (SearchKey.Nfc(body.Address)?.Length > 300) Add("address", CommonProblems.FieldTooLong, "address is at most 300 characters.");
        var phone = SearchKey.Nfc(body.Phone)?.Trim();
        if (phone is { Length: > 0 } && (phone.Length > 20 || !phone.All(ch => char.IsAsciiDigit(ch) || ch is '+' or ' ' or '.' or '-')))
            Add("phone", CommonProblems.FieldMalformed, "phone may hold digits, spaces, '+', '.', '-' (at most 20 characters).");
        if (body.Lon is null || body.Lat is null || !double.IsFinite(body.Lon.Value) || !double.IsFinite(body.Lat.Value)
            || body.Lon is < 102 or > 118 || body.Lat is < 6 or > 24)
            Add("location", CommonProblems.FieldOutOfRange, "lon/lat must be a WGS84 position in Vietnam (longitude 102–118, latitude 6–24).");
        if (body.ShelterCapacity is < 0) Add("shelterCapacity", CommonProblems.FieldOutOfRange, "shelterCapacity cannot be negative.");
        if (body.ShelterCapacity is not null && body.IsShelter != true)
            Add("shelterCapacity", OfficeProblems.CapacityWithoutShelter, "only a shelter (isShelter: true) has a capacity.");
        return [.. errors.Values];
    }

    /// <summary>A fallback is another office, of the same commune or of a ring-1 neighbour.</summary>
    public static async Task<FieldError?> FallbackProblemAsync(CoordinationDb db, int? officeId, string communeCode, int? fallbackId, CancellationToken ct)
    {
        const string Field = "fallbackOfficeId";
        if (fallbackId is null) return null;
        if (fallbackId == officeId) return new(Field, OfficeProblems.FallbackSelf, "an office cannot be its own fallback.");
        var fb = await db.Offices.Where(o => o.Id == fallbackId).Select(o => new { o.CommuneCode }).FirstOrDefaultAsync(ct);
        if (fb is null) return new(Field, CommonProblems.FieldUnknown, $"no office {fallbackId}.");
        if (fb.CommuneCode == communeCode) return null;
        var (a, b) = string.CompareOrdinal(fb.CommuneCode, communeCode) < 0 ? (fb.CommuneCode, communeCode) : (communeCode, fb.CommuneCode);
        return await db.Adjacencies.AnyAsync(x => x.CodeA == a && x.CodeB == b && x.Contact == ContactKind.Neighbour, ct)
            ? null : new(Field, OfficeProblems.FallbackNotNeighbour, $"office {fallbackId} is in commune {fb.CommuneCode}, which is neither this commune nor a neighbour.");
    }

    /// <summary>What the audit log keeps of an office.</summary>
    public static object Snapshot(Office o) => new
    {
        o.Id, o.CommuneCode, o.Kind, o.Name, o.Address, o.Phone, Lon = o.Location.X, Lat = o.Location.Y, o.Accuracy,
        o.IsShelter, o.ShelterCapacity, o.ShelterOccupancy, o.FallbackOfficeId,
    };

    /// <summary>Writes a validated body onto the office; moving it makes its position surveyed.</summary>
    public static void Apply(Office o, OfficeRequest body)
    {
        o.CommuneCode = body.CommuneCode!;
        o.Kind = body.Kind!;
        o.Name = SearchKey.Nfc(body.Name)!.Trim();
        o.Address = SearchKey.Nfc(body.Address)?.Trim() is { Length: > 0 } a ? a : null;
        o.Phone = SearchKey.Nfc(body.Phone)?.Trim() is { Length: > 0 } p ? p : null;
        var moved = o.Location is null || o.Location.X != body.Lon || o.Location.Y != body.Lat;
        o.Location = Wgs84.CreatePoint(new Coordinate(body.Lon!.Value, body.Lat!.Value));
        if (moved) { o.Accuracy = LocationAccuracy.Surveyed; o.Warning = null; }   // placed by the commune itself
        o.IsShelter = body.IsShelter == true;
        o.ShelterCapacity = o.IsShelter ? body.ShelterCapacity : null;
        if (!o.IsShelter) o.ShelterOccupancy = null;
        o.FallbackOfficeId = body.FallbackOfficeId;
    }
}
