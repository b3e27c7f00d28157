using System.Text.Json.Nodes;
using Coordination.Api.Identity;
using Coordination.Api.Data;
using Coordination.Api.Boundaries;
using Coordination.Api.Kernel;
using Coordination.Api.Offices.Import;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Coordination.Api.Offices;

public sealed record OfficeRequest(string? CommuneCode, string? Kind, string? Name, string? Address, string? Phone,
    double? Lon, double? Lat, bool? IsShelter, int? ShelterCapacity, int? FallbackOfficeId);
public sealed record FallbackRequest(int? FallbackOfficeId);
/// <summary>Either the number sheltering now, or a change to it (+5 arrived, −2 left) applied to the stored number.</summary>
public sealed record OccupancyRequest(int? Occupancy, int? Change = null);

public static class OfficesApi
{
    static readonly GeometryFactory Wgs84 = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);
    const string GeoJson = "application/geo+json; charset=utf-8";

    /// <summary>
    /// Offices and their flood exposure. Reads are public: where a commune's office is, whether it floods and where
    /// its services have moved is what citizens and neighbours need in an emergency. Writes: those who act for the
    /// office's commune (README "Who may do what").
    /// </summary>
    public static RouteGroupBuilder MapOffices(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/offices").WithTags("Offices");

        group.MapGet("/", List).AllowAnonymous()
            .WithSummary("Offices as GeoJSON with exposure reasons, fallback and where services are now. Filter by commune, province, defenseArea or bbox (one is required); floodProne=true lists the flood-prone ones.");
        group.MapGet("/{id:int}", async Task<Results<ContentHttpResult, ProblemHttpResult>> (int id, CoordinationDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var json = JsonNode.Parse(await OfficeQuery.FeatureCollectionAsync(db, new OfficeFilter(Id: id), clock.GetUtcNow().UtcDateTime, ct))!;
            var feature = json["features"]!.AsArray().FirstOrDefault();
            return feature is null ? Problems.NotFound("office", id.ToString()) : TypedResults.Text(feature.ToJsonString(), GeoJson);
        }).AllowAnonymous().WithSummary("One office as a GeoJSON Feature with its exposure reasons and fallback.");

        group.MapPost("/", Create).RequireAuthorization(Policies.Authenticated).WithSummary("Add an office to a commune you act for.");
        group.MapPut("/{id:int}", Update).RequireAuthorization(Policies.Authenticated).WithSummary("Change an office (moving it to another commune needs both).");
        group.MapDelete("/{id:int}", Delete).RequireAuthorization(Policies.Authenticated);
        group.MapPut("/{id:int}/fallback", SetFallback).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Where services move when this office floods: an office of the same commune or of a neighbour; null clears it.");
        group.MapPut("/{id:int}/occupancy", SetOccupancy).RequireAuthorization(Policies.Authenticated)
            .WithSummary("People sheltering here now (shelters only): occupancy = the number, or change = +n/−n applied to the stored number (two phones counting at once both count).");
        group.MapPost("/import", Import).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Bulk import: GeoJSON Points or CSV (commune_code,kind,name,address,phone,lon,lat,ref,is_shelter,shelter_capacity). A bad row refuses the file; a point outside its commune is imported with a warning.");
        return group;
    }

    static async Task<Results<ContentHttpResult, ValidationProblem>> List(string? commune, string? province, int? defenseArea, string? bbox,
        bool? floodProne, CoordinationDb db, TimeProvider clock, CancellationToken ct)
    {
        if (commune is not null && !Problems.IsCommuneCode(commune)) return Problems.BadParameter("commune", "commune must be an official commune code of 4–6 digits.");
        if (province is not null && !Problems.IsProvinceCode(province)) return Problems.BadParameter("province", "province must be a 2-digit province code, e.g. 40.");
        var box = Bbox.Parse(bbox);
        if (bbox is not null && box is null) return Problems.BadParameter("bbox", "bbox must be minLon,minLat,maxLon,maxLat in degrees, at most 16 square degrees (name a province for more).");
        if (commune is null && province is null && defenseArea is null && box is null)
            return Problems.BadParameter("commune", "give commune, province, defenseArea or bbox: the whole country is 3,321+ offices.");
        return TypedResults.Text(await OfficeQuery.FeatureCollectionAsync(db, new OfficeFilter(commune, province, defenseArea, box, floodProne), clock.GetUtcNow().UtcDateTime, ct), GeoJson);
    }

    static async Task<JsonNode> FeatureAsync(CoordinationDb db, int id, TimeProvider clock, CancellationToken ct) =>
        JsonNode.Parse(await OfficeQuery.FeatureCollectionAsync(db, new OfficeFilter(Id: id), clock.GetUtcNow().UtcDateTime, ct))!["features"]![0]!;

    /// <summary>Validates a whole office body; returns the errors by field.</summary>
    static async Task<Dictionary<string, string[]>> ValidateAsync(OfficeRequest body, CoordinationDb db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.CommuneCode is null || !Problems.IsCommuneCode(body.CommuneCode)) errors["communeCode"] = ["communeCode must be an official commune code of 4–6 digits."];
        else if (!await db.Communes.AnyAsync(c => c.Code == body.CommuneCode, ct)) errors["communeCode"] = [$"no commune {body.CommuneCode}."];
        if (body.Kind is null || !OfficeKind.All.Contains(body.Kind)) errors["kind"] = [$"kind must be one of {string.Join(", ", OfficeKind.All)}."];
        var name = SearchKey.Nfc(body.Name)?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) errors["name"] = ["name is required (at most 200 characters)."];
        if (SearchKey.Nfc(body.Address)?.Length > 300) errors["address"] = ["address is at most 300 characters."];
        var phone = SearchKey.Nfc(body.Phone)?.Trim();
        if (phone is { Length: > 0 } && (phone.Length > 20 || !phone.All(ch => char.IsAsciiDigit(ch) || ch is '+' or ' ' or '.' or '-')))
            errors["phone"] = ["phone may hold digits, spaces, '+', '.', '-' (at most 20 characters)."];
        if (body.Lon is null || body.Lat is null || !double.IsFinite(body.Lon.Value) || !double.IsFinite(body.Lat.Value)
            || body.Lon is < 102 or > 118 || body.Lat is < 6 or > 24)
            errors["location"] = ["lon/lat must be a WGS84 position in Vietnam (longitude 102–118, latitude 6–24)."];
        if (body.ShelterCapacity is < 0) errors["shelterCapacity"] = ["shelterCapacity cannot be negative."];
        if (body.ShelterCapacity is not null && body.IsShelter != true) errors["shelterCapacity"] = ["only a shelter (isShelter: true) has a capacity."];
        return errors;
    }

    /// <summary>A fallback is another office, of the same commune or of a ring-1 neighbour.</summary>
    static async Task<string?> FallbackProblemAsync(CoordinationDb db, int? officeId, string communeCode, int? fallbackId, CancellationToken ct)
    {
        if (fallbackId is null) return null;
        if (fallbackId == officeId) return "an office cannot be its own fallback.";
        var fb = await db.Offices.Where(o => o.Id == fallbackId).Select(o => new { o.CommuneCode }).FirstOrDefaultAsync(ct);
        if (fb is null) return $"no office {fallbackId}.";
        if (fb.CommuneCode == communeCode) return null;
        var (a, b) = string.CompareOrdinal(fb.CommuneCode, communeCode) < 0 ? (fb.CommuneCode, communeCode) : (communeCode, fb.CommuneCode);
        return await db.Adjacencies.AnyAsync(x => x.CodeA == a && x.CodeB == b && x.Contact == ContactKind.Neighbour, ct)
            ? null : $"office {fallbackId} is in commune {fb.CommuneCode}, which is neither this commune nor a neighbour.";
    }

    static async Task RefreshExposureAsync(CoordinationDb db, IOptions<ExposureOptions> exposure, int id, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        await ExposureCalculator.RefreshAsync((NpgsqlConnection)db.Database.GetDbConnection(), exposure.Value.NearDistanceMetres, [id], ct);
    }

    static object Snapshot(Office o) => new
    {
        o.Id, o.CommuneCode, o.Kind, o.Name, o.Address, o.Phone, Lon = o.Location.X, Lat = o.Location.Y, o.Accuracy,
        o.IsShelter, o.ShelterCapacity, o.ShelterOccupancy, o.FallbackOfficeId,
    };

    static void Apply(Office o, OfficeRequest body)
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

    static async Task<Results<Created<JsonNode>, ValidationProblem, ProblemHttpResult>> Create(OfficeRequest body, CoordinationDb db,
        ScopeChecker scopes, AuditLog audit, HttpContext http, TimeProvider clock, IOptions<ExposureOptions> exposure, CancellationToken ct)
    {
        var errors = await ValidateAsync(body, db, ct);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (!await scopes.CanActForCommuneAsync(UserScope.From(http.User), body.CommuneCode!, ct)) return Problems.Forbidden($"You do not act for commune {body.CommuneCode}.");
        if (await FallbackProblemAsync(db, null, body.CommuneCode!, body.FallbackOfficeId, ct) is { } fbProblem)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["fallbackOfficeId"] = [fbProblem] });

        var office = new Office { CommuneCode = body.CommuneCode!, Kind = body.Kind!, Name = "", Location = null!, Accuracy = LocationAccuracy.Surveyed };
        Apply(office, body);
        office.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        office.UpdatedBy = http.User.Identity!.Name;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Offices.Add(office);
        await db.SaveChangesAsync(ct);
        await FlagAndRefreshAsync(db, exposure, office.Id, ct);
        audit.Add(OfficeAudit.OfficeCreated, "office", office.Id.ToString(), null, Snapshot(office), communeCode: office.CommuneCode);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/offices/{office.Id}", await FeatureAsync(db, office.Id, clock, ct));
    }

    static async Task FlagAndRefreshAsync(CoordinationDb db, IOptions<ExposureOptions> exposure, int id, CancellationToken ct)
    {
        await RefreshExposureAsync(db, exposure, id, ct);
        await OfficeImporter.FlagOutsideAsync((NpgsqlConnection)db.Database.GetDbConnection(), [id], ct);
    }

    static async Task<Results<Ok<JsonNode>, ValidationProblem, ProblemHttpResult>> Update(int id, OfficeRequest body, CoordinationDb db,
        ScopeChecker scopes, AuditLog audit, HttpContext http, TimeProvider clock, IOptions<ExposureOptions> exposure, CancellationToken ct)
    {
        var office = await db.Offices.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (office is null) return Problems.NotFound("office", id.ToString());
        var user = UserScope.From(http.User);
        // Scope first on the office as it is, so an outsider learns nothing from validation messages.
        if (!await scopes.CanActForCommuneAsync(user, office.CommuneCode, ct)) return Problems.Forbidden($"You do not act for commune {office.CommuneCode}.");
        var errors = await ValidateAsync(body, db, ct);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (body.CommuneCode != office.CommuneCode && !await scopes.CanActForCommuneAsync(user, body.CommuneCode!, ct))
            return Problems.Forbidden($"You do not act for commune {body.CommuneCode}, where the office would move.");
        if (await FallbackProblemAsync(db, id, body.CommuneCode!, body.FallbackOfficeId, ct) is { } fbProblem)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["fallbackOfficeId"] = [fbProblem] });

        var before = Snapshot(office);
        Apply(office, body);
        office.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        office.UpdatedBy = user!.UserName;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await FlagAndRefreshAsync(db, exposure, id, ct);
        audit.Add(OfficeAudit.OfficeChanged, "office", id.ToString(), before, Snapshot(office), communeCode: office.CommuneCode);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(await FeatureAsync(db, id, clock, ct));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, CoordinationDb db, ScopeChecker scopes, AuditLog audit, HttpContext http, CancellationToken ct)
    {
        var office = await db.Offices.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (office is null) return Problems.NotFound("office", id.ToString());
        if (!await scopes.CanActForCommuneAsync(UserScope.From(http.User), office.CommuneCode, ct)) return Problems.Forbidden($"You do not act for commune {office.CommuneCode}.");
        db.Offices.Remove(office);   // offices that fell back to it lose their fallback (ON DELETE SET NULL)
        audit.Add(OfficeAudit.OfficeDeleted, "office", id.ToString(), Snapshot(office), null, communeCode: office.CommuneCode);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<JsonNode>, ValidationProblem, ProblemHttpResult>> SetFallback(int id, FallbackRequest body, CoordinationDb db,
        ScopeChecker scopes, AuditLog audit, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var office = await db.Offices.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (office is null) return Problems.NotFound("office", id.ToString());
        if (!await scopes.CanActForCommuneAsync(UserScope.From(http.User), office.CommuneCode, ct)) return Problems.Forbidden($"You do not act for commune {office.CommuneCode}.");
        if (await FallbackProblemAsync(db, id, office.CommuneCode, body.FallbackOfficeId, ct) is { } problem)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["fallbackOfficeId"] = [problem] });
        var before = new { office.FallbackOfficeId };
        office.FallbackOfficeId = body.FallbackOfficeId;
        office.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        office.UpdatedBy = http.User.Identity!.Name;
        audit.Add(OfficeAudit.OfficeFallbackSet, "office", id.ToString(), before, new { office.FallbackOfficeId }, communeCode: office.CommuneCode);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await FeatureAsync(db, id, clock, ct));
    }

    /// <summary>More than this is a typing slip, not a shelter (the largest hold a few thousand).</summary>
    const int MaxOccupancy = 100_000;

    static async Task<Results<Ok<JsonNode>, ValidationProblem, ProblemHttpResult>> SetOccupancy(int id, OccupancyRequest body, CoordinationDb db,
        ScopeChecker scopes, AuditLog audit, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var office = await db.Offices.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        if (office is null) return Problems.NotFound("office", id.ToString());
        if (!await scopes.CanActForCommuneAsync(UserScope.From(http.User), office.CommuneCode, ct)) return Problems.Forbidden($"You do not act for commune {office.CommuneCode}.");
        if (!office.IsShelter) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["occupancy"] = ["this office is not a shelter."] });
        static ValidationProblem Invalid(string field, string message) => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
        if (body.Occupancy is not null && body.Change is not null) return Invalid("change", "give occupancy or change, not both.");
        if (body.Change is null && body.Occupancy is null or < 0 or > MaxOccupancy)
            return Invalid("occupancy", $"occupancy must be a number of persons, 0 to {MaxOccupancy}.");
        if (body.Change is 0 or < -MaxOccupancy or > MaxOccupancy) return Invalid("change", $"change must be a number of persons other than 0, at most {MaxOccupancy} either way.");

        // The row is locked, so a change counts from what is stored now, not from what the phone saw.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        office = await db.Offices.FromSql($"SELECT * FROM offices WHERE id = {id} FOR UPDATE").SingleAsync(ct);
        var next = body.Occupancy ?? (office.ShelterOccupancy ?? 0) + body.Change!.Value;
        if (next < 0) return Invalid("change", $"{office.ShelterOccupancy ?? 0} persons are recorded here; {-body.Change!.Value} cannot leave.");
        if (next > MaxOccupancy) return Invalid("change", $"occupancy would exceed {MaxOccupancy} persons.");
        var before = new { office.ShelterOccupancy };
        // Over capacity is recorded as it is (people are not turned away); the UI shows it as over capacity.
        office.ShelterOccupancy = next;
        office.OccupancyUpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(OfficeAudit.ShelterOccupancy, "office", id.ToString(), before, new { office.ShelterOccupancy, body.Change }, communeCode: office.CommuneCode);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(await FeatureAsync(db, id, clock, ct));
    }

    static async Task<Results<Ok<OfficeImportResult>, ValidationProblem, ProblemHttpResult>> Import(HttpRequest request, OfficeImporter importer,
        AuditLog audit, HttpContext http, CancellationToken ct)
    {
        var bytes = await Uploads.ReadBodyAsync(request, ct);
        if (bytes is null) return Problems.BadParameter("file", $"send the file as the request body (at most {Uploads.MaxBytes / 1_000_000} MB).");
        try
        {
            var result = await importer.ImportAsync("offices", bytes, UserScope.From(http.User), r =>
                audit.Add(OfficeAudit.OfficesImported, "office", null, null, new { r.Rows, r.Inserted, r.Updated, Warnings = r.Warnings.Count }), ct);
            return TypedResults.Ok(result);
        }
        catch (GeoImportRejected e) { return Uploads.Rejected(e); }
        catch (OutsideScope e) { return Problems.Forbidden(string.Join("; ", e.Items)); }
    }
}
