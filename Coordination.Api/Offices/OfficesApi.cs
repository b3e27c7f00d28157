using System.Text.Json.Nodes;
using Coordination.Api.Boundaries;
using Coordination.Api.Offices.Import;

namespace Coordination.Api.Offices;

public sealed record OfficeRequest(string? CommuneCode, string? Kind, string? Name, string? Address, string? Phone,
    double? Lon, double? Lat, bool? IsShelter, int? ShelterCapacity, int? FallbackOfficeId);
public sealed record FallbackRequest(int? FallbackOfficeId);
/// <summary>Either the number sheltering now, or a change to it (+5 arrived, −2 left) applied to the stored number.</summary>
public sealed record OccupancyRequest(int? Occupancy, int? Change = null);

public static class OfficesApi
{
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
            .WithSummary("Offices as GeoJSON with exposure reasons, fallback and where services are now. Filter by commune, province, defenseArea or bbox (one is required); floodProne=true lists the flood-prone ones; kind=people_committee only the People's Committee seats.");
        group.MapGet("/{id:int}", async Task<Results<ContentHttpResult, ProblemHttpResult>> (int id, CoordinationDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var json = JsonNode.Parse(await OfficeQuery.FeatureCollectionAsync(db, new OfficeFilter(Id: id), clock.GetUtcNow().UtcDateTime, ct))!;
            var feature = json["features"]!.AsArray().FirstOrDefault();
            return feature is null ? NotFound(id) : TypedResults.Text(feature.ToJsonString(), GeoJson);
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

    static ProblemHttpResult NotFound(int id) => Problems.NotFound("office", id.ToString(), OfficeProblems.OfficeNotFound);

    static ProblemHttpResult Outside(string commune) =>
        Problems.Forbidden($"You do not act for commune {commune}.", OfficeProblems.OutsideScope, new { CommuneCode = commune });

    static async Task<Results<ContentHttpResult, ValidationProblem>> List(string? commune, string? province, int? defenseArea, string? bbox,
        bool? floodProne, string? kind, CoordinationDb db, TimeProvider clock, CancellationToken ct)
    {
        if (kind is not null && !OfficeKind.All.Contains(kind))
            return Problems.BadParameter("kind", $"kind must be one of {string.Join(", ", OfficeKind.All)}.", CommonProblems.FieldUnknown);
        if (commune is not null && !Problems.IsCommuneCode(commune))
            return Problems.BadParameter("commune", "commune must be an official commune code of 4–6 digits.", CommonProblems.FieldMalformed);
        if (province is not null && !Problems.IsProvinceCode(province))
            return Problems.BadParameter("province", "province must be a 2-digit province code, e.g. 40.", CommonProblems.FieldMalformed);
        var box = Bbox.Parse(bbox);
        if (bbox is not null && box is null)
            return Problems.BadParameter("bbox", "bbox must be minLon,minLat,maxLon,maxLat in degrees, at most 16 square degrees (name a province for more).",
                CommonProblems.FieldMalformed, new { MaxSquareDegrees = Bbox.MaxSquareDegrees });
        if (commune is null && province is null && defenseArea is null && box is null)
            return Problems.BadParameter("commune", "give commune, province, defenseArea or bbox: the whole country is 3,321+ offices.", OfficeProblems.FilterRequired);
        return TypedResults.Text(await OfficeQuery.FeatureCollectionAsync(db, new OfficeFilter(commune, province, defenseArea, box, floodProne, Kind: kind), clock.GetUtcNow().UtcDateTime, ct), GeoJson);
    }

    static async Task<JsonNode> FeatureAsync(CoordinationDb db, int id, TimeProvider clock, CancellationToken ct) =>
        JsonNode.Parse(await OfficeQuery.FeatureCollectionAsync(db, new OfficeFilter(Id: id), clock.GetUtcNow().UtcDateTime, ct))!["features"]![0]!;

    /// <summary>After an office is written: its exposure, and a warning when it lies outside its commune (same transaction).</summary>
    static async Task FlagAndRefreshAsync(CoordinationDb db, IOptions<ExposureOptions> exposure, int id, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await ExposureCalculator.RefreshAsync(conn, exposure.Value.NearDistanceMetres, [id], ct);
        await OfficeImporter.FlagOutsideAsync(conn, [id], ct);
    }

    static async Task<Results<Created<JsonNode>, ValidationProblem, ProblemHttpResult>> Create(OfficeRequest body, CoordinationDb db,
        CurrentUser current, AuditLog audit, TimeProvider clock, IOptions<ExposureOptions> exposure, CancellationToken ct)
    {
        if (await OfficeRules.ValidateAsync(body, db, ct) is { Count: > 0 } errors) return Problems.Invalid(errors);
        if (!await current.ActsForAsync(body.CommuneCode!, ct)) return Outside(body.CommuneCode!);
        if (await OfficeRules.FallbackProblemAsync(db, null, body.CommuneCode!, body.FallbackOfficeId, ct) is { } fallback) return Problems.Invalid([fallback]);

        var office = new Office { CommuneCode = body.CommuneCode!, Kind = body.Kind!, Name = "", Location = null!, Accuracy = LocationAccuracy.Surveyed };
        OfficeRules.Apply(office, body);
        office.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        office.UpdatedBy = current.Required.UserName;
        return await db.InTransactionAsync<Results<Created<JsonNode>, ValidationProblem, ProblemHttpResult>>(async () =>
        {
            db.Offices.Add(office);
            await db.SaveChangesAsync(ct);
            await FlagAndRefreshAsync(db, exposure, office.Id, ct);
            audit.Add(OfficeAudit.OfficeCreated, "office", office.Id.ToString(), null, OfficeRules.Snapshot(office), communeCode: office.CommuneCode);
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/api/offices/{office.Id}", await FeatureAsync(db, office.Id, clock, ct));
        }, ct);
    }

    static async Task<Results<Ok<JsonNode>, ValidationProblem, ProblemHttpResult>> Update(int id, OfficeRequest body, CoordinationDb db,
        CurrentUser current, AuditLog audit, TimeProvider clock, IOptions<ExposureOptions> exposure, CancellationToken ct)
    {
        var office = await db.Offices.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (office is null) return NotFound(id);
        // Scope first on the office as it is, so an outsider learns nothing from validation messages.
        if (!await current.ActsForAsync(office.CommuneCode, ct)) return Outside(office.CommuneCode);
        if (await OfficeRules.ValidateAsync(body, db, ct) is { Count: > 0 } errors) return Problems.Invalid(errors);
        if (body.CommuneCode != office.CommuneCode && !await current.ActsForAsync(body.CommuneCode!, ct))
            return Problems.Forbidden($"You do not act for commune {body.CommuneCode}, where the office would move.",
                OfficeProblems.MoveOutsideScope, new { body.CommuneCode });
        if (await OfficeRules.FallbackProblemAsync(db, id, body.CommuneCode!, body.FallbackOfficeId, ct) is { } fallback) return Problems.Invalid([fallback]);

        var before = OfficeRules.Snapshot(office);
        OfficeRules.Apply(office, body);
        office.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        office.UpdatedBy = current.Required.UserName;
        return await db.InTransactionAsync<Results<Ok<JsonNode>, ValidationProblem, ProblemHttpResult>>(async () =>
        {
            await db.SaveChangesAsync(ct);
            await FlagAndRefreshAsync(db, exposure, id, ct);
            audit.Add(OfficeAudit.OfficeChanged, "office", id.ToString(), before, OfficeRules.Snapshot(office), communeCode: office.CommuneCode);
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(await FeatureAsync(db, id, clock, ct));
        }, ct);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, CoordinationDb db, CurrentUser current, AuditLog audit, CancellationToken ct)
    {
        var office = await db.Offices.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (office is null) return NotFound(id);
        if (!await current.ActsForAsync(office.CommuneCode, ct)) return Outside(office.CommuneCode);
        db.Offices.Remove(office);   // offices that fell back to it lose their fallback (ON DELETE SET NULL)
        audit.Add(OfficeAudit.OfficeDeleted, "office", id.ToString(), OfficeRules.Snapshot(office), null, communeCode: office.CommuneCode);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<JsonNode>, ValidationProblem, ProblemHttpResult>> SetFallback(int id, FallbackRequest body, CoordinationDb db,
        CurrentUser current, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var office = await db.Offices.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (office is null) return NotFound(id);
        if (!await current.ActsForAsync(office.CommuneCode, ct)) return Outside(office.CommuneCode);
        if (await OfficeRules.FallbackProblemAsync(db, id, office.CommuneCode, body.FallbackOfficeId, ct) is { } problem) return Problems.Invalid([problem]);
        var before = new { office.FallbackOfficeId };
        office.FallbackOfficeId = body.FallbackOfficeId;
        office.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        office.UpdatedBy = current.Required.UserName;
        audit.Add(OfficeAudit.OfficeFallbackSet, "office", id.ToString(), before, new { office.FallbackOfficeId }, communeCode: office.CommuneCode);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await FeatureAsync(db, id, clock, ct));
    }

    /// <summary>More than this is a typing slip, not a shelter (the largest hold a few thousand).</summary>
    const int MaxOccupancy = 100_000;

    static async Task<Results<Ok<JsonNode>, ValidationProblem, ProblemHttpResult>> SetOccupancy(int id, OccupancyRequest body, CoordinationDb db,
        CurrentUser current, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var office = await db.Offices.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        if (office is null) return NotFound(id);
        if (!await current.ActsForAsync(office.CommuneCode, ct)) return Outside(office.CommuneCode);
        if (!office.IsShelter) return Problems.BadParameter("occupancy", "this office is not a shelter.", OfficeProblems.NotAShelter);
        if (OccupancyProblem(body) is { } problem) return Problems.Invalid([problem], new { Max = MaxOccupancy });

        // The row is locked, so a change counts from what is stored now, not from what the phone saw.
        return await db.InTransactionAsync<Results<Ok<JsonNode>, ValidationProblem, ProblemHttpResult>>(async () =>
        {
            office = await db.Offices.FromSql($"SELECT * FROM offices WHERE id = {id} FOR UPDATE").SingleAsync(ct);
            var recorded = office.ShelterOccupancy ?? 0;
            var next = body.Occupancy ?? recorded + body.Change!.Value;
            if (next < 0)
                return Problems.BadParameter("change", $"{recorded} persons are recorded here; {-body.Change!.Value} cannot leave.",
                    OfficeProblems.MoreLeaveThanRecorded, new { Recorded = recorded });
            if (next > MaxOccupancy)
                return Problems.BadParameter("change", $"occupancy would exceed {MaxOccupancy} persons.", CommonProblems.FieldOutOfRange, new { Max = MaxOccupancy });
            var before = new { office.ShelterOccupancy };
            // Over capacity is recorded as it is (people are not turned away); the UI shows it as over capacity.
            office.ShelterOccupancy = next;
            office.OccupancyUpdatedAt = clock.GetUtcNow().UtcDateTime;
            audit.Add(OfficeAudit.ShelterOccupancy, "office", id.ToString(), before, new { office.ShelterOccupancy, body.Change }, communeCode: office.CommuneCode);
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(await FeatureAsync(db, id, clock, ct));
        }, ct);
    }

    /// <summary>Either the number now, or a change other than 0, each within <see cref="MaxOccupancy"/>.</summary>
    static FieldError? OccupancyProblem(OccupancyRequest body) =>
        body.Occupancy is not null && body.Change is not null ? new("change", OfficeProblems.OccupancyOrChange, "give occupancy or change, not both.")
        : body.Change is null && body.Occupancy is null or < 0 or > MaxOccupancy
            ? new("occupancy", body.Occupancy is null ? CommonProblems.FieldRequired : CommonProblems.FieldOutOfRange, $"occupancy must be a number of persons, 0 to {MaxOccupancy}.")
        : body.Change is 0 or < -MaxOccupancy or > MaxOccupancy
            ? new("change", CommonProblems.FieldOutOfRange, $"change must be a number of persons other than 0, at most {MaxOccupancy} either way.")
        : null;

    static Task<Results<Ok<OfficeImportResult>, ValidationProblem, ProblemHttpResult>> Import(HttpRequest request, OfficeImporter importer,
        AuditLog audit, CancellationToken ct) =>
        Uploads.ImportAsync(request, "the file", bytes => importer.ImportAsync("offices", bytes, r =>
            audit.Add(OfficeAudit.OfficesImported, "office", null, null, new { r.Rows, r.Inserted, r.Updated, Warnings = r.Warnings.Count }), ct), ct);
}
