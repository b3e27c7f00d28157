namespace Coordination.Api.Boundaries;

public sealed record DefenseAreaDto(int Id, string Name, string ProvinceCode, bool IsSample, string? Note, IReadOnlyList<string> Communes);
public sealed record DefenseAreaRequest(string? Name, string? ProvinceCode, string? Note, List<string>? Communes);

public static class DefenseAreasApi
{
    /// <summary>
    /// Reads are public (which communes a command covers is not secret). Writes: administrators, and the
    /// operator of the area's province. A written area is no longer a sample: it is the province's decision.
    /// </summary>
    public static RouteGroupBuilder MapDefenseAreas(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/defense-areas").WithTags("Defense areas");

        group.MapGet("/", async Task<Results<Ok<List<DefenseAreaDto>>, ValidationProblem>> (string? province, CoordinationDb db, CancellationToken ct) =>
        {
            if (province is not null && !Problems.IsProvinceCode(province))
                return Problems.BadParameter("province", "province must be a 2-digit province code, e.g. 40.", CommonProblems.FieldMalformed);
            return TypedResults.Ok(await Query(db.DefenseAreas.Where(d => province == null || d.ProvinceCode == province)).ToListAsync(ct));
        }).AllowAnonymous().WithSummary("Defense areas (Ban Chỉ huy phòng thủ khu vực) and their communes. IsSample marks illustrative groupings.");

        group.MapGet("/{id:int}", async Task<Results<Ok<DefenseAreaDto>, ProblemHttpResult>> (int id, CoordinationDb db, CancellationToken ct) =>
        {
            var area = await Query(db.DefenseAreas.Where(d => d.Id == id)).FirstOrDefaultAsync(ct);
            return area is null ? Problems.NotFound("defense area", id.ToString(), BoundaryProblems.DefenseAreaNotFound) : TypedResults.Ok(area);
        }).AllowAnonymous();

        group.MapPost("/", (DefenseAreaRequest body, CoordinationDb db, CurrentUser current, AuditLog audit, CancellationToken ct) =>
            Save(null, body, db, current, audit, ct)).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Create a defense area (administrators; the operator of its province).");
        group.MapPut("/{id:int}", (int id, DefenseAreaRequest body, CoordinationDb db, CurrentUser current, AuditLog audit, CancellationToken ct) =>
            Save(id, body, db, current, audit, ct)).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Rename an area or change its communes (administrators; the operator of its province).");
        return group;
    }

    // Filter on the entity, then project: EF cannot translate a filter over the projected record.
    static IQueryable<DefenseAreaDto> Query(IQueryable<DefenseArea> areas) =>
        areas.OrderBy(d => d.ProvinceCode).ThenBy(d => d.Id)
            .Select(d => new DefenseAreaDto(d.Id, d.Name, d.ProvinceCode, d.IsSample, d.Note,
                d.Communes.OrderBy(c => c.CommuneCode).Select(c => c.CommuneCode).ToList()));

    static async Task<Results<Ok<DefenseAreaDto>, Created<DefenseAreaDto>, ValidationProblem, ProblemHttpResult>> Save(
        int? id, DefenseAreaRequest body, CoordinationDb db, CurrentUser current, AuditLog audit, CancellationToken ct)
    {
        var area = id is null ? null : await db.DefenseAreas.Include(d => d.Communes).FirstOrDefaultAsync(d => d.Id == id, ct);
        if (id is not null && area is null) return Problems.NotFound("defense area", id.Value.ToString(), BoundaryProblems.DefenseAreaNotFound);
        var province = area?.ProvinceCode ?? body.ProvinceCode;
        if (province is null || !Problems.IsProvinceCode(province))
            return Problems.BadParameter("provinceCode", "provinceCode must be a 2-digit province code.", province is null ? CommonProblems.FieldRequired : CommonProblems.FieldMalformed);

        // Scope on the resource: the province the area belongs to. Editing areas is the operator's role (a commander
        // acts for its communes but does not redraw the commands); which province is theirs comes from the one rule.
        if (!(current.IsAdmin || current.Scope?.Role == Roles.ProvinceOperator && await current.ActsForProvinceAsync(db, province, ct)))
            return Problems.Forbidden($"Only administrators and the operator of province {province} edit its defense areas.",
                BoundaryProblems.DefenseAreaOutsideScope, new { ProvinceCode = province });

        var name = SearchKey.Nfc(body.Name);
        var codes = (body.Communes ?? []).Distinct().ToList();
        if (await ValidateAsync(db, id, province, name, codes, ct) is { Count: > 0 } errors) return Problems.Invalid(errors, new { ProvinceCode = province });

        return await db.InTransactionAsync<Results<Ok<DefenseAreaDto>, Created<DefenseAreaDto>, ValidationProblem, ProblemHttpResult>>(async () =>
        {
            var before = area is null ? null : Dto(area);
            if (area is null) db.DefenseAreas.Add(area = new DefenseArea { Name = name!, ProvinceCode = province });
            area.Name = name!;
            area.Note = SearchKey.Nfc(body.Note);
            area.IsSample = false;
            area.Communes.RemoveAll(m => !codes.Contains(m.CommuneCode));
            area.Communes.AddRange(codes.Where(c => area.Communes.All(m => m.CommuneCode != c)).Select(c => new DefenseAreaCommune { CommuneCode = c }));
            await db.SaveChangesAsync(ct);   // assigns the id of a new area
            var after = Dto(area);
            audit.Add(id is null ? BoundaryAudit.DefenseAreaCreated : BoundaryAudit.DefenseAreaChanged, "defense_area", area.Id.ToString(), before, after, provinceCode: province);
            return id is null ? TypedResults.Created($"/api/defense-areas/{area.Id}", after) : TypedResults.Ok(after);
        }, ct);
    }

    /// <summary>A name unique in the province; at least one commune, all of the province, none in another area. One error per field.</summary>
    static async Task<List<FieldError>> ValidateAsync(CoordinationDb db, int? id, string province, string? name, List<string> codes, CancellationToken ct)
    {
        var errors = new Dictionary<string, FieldError>();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
            errors["name"] = new("name", string.IsNullOrEmpty(name) ? CommonProblems.FieldRequired : CommonProblems.FieldTooLong, "name is required (at most 200 characters).");
        if (id is null && !await db.Provinces.AnyAsync(p => p.Code == province, ct))
            errors["provinceCode"] = new("provinceCode", CommonProblems.FieldUnknown, $"no province {province}.");
        if (codes.Count == 0) errors["communes"] = new("communes", CommonProblems.FieldRequired, "an area needs at least one commune.");
        var inProvince = await db.Communes.Where(c => codes.Contains(c.Code) && c.ProvinceCode == province).Select(c => c.Code).ToListAsync(ct);
        var foreign = codes.Except(inProvince).ToList();
        if (foreign.Count > 0)
            errors["communes"] = new("communes", BoundaryProblems.CommunesForeign, $"not communes of province {province}: {string.Join(", ", foreign)}.");
        var taken = await db.DefenseAreaCommunes.Where(m => codes.Contains(m.CommuneCode) && m.DefenseAreaId != (id ?? 0))
            .Join(db.DefenseAreas, m => m.DefenseAreaId, d => d.Id, (m, d) => m.CommuneCode + " (" + d.Name + ")").ToListAsync(ct);
        if (taken.Count > 0)
            errors["communes"] = new("communes", BoundaryProblems.CommunesTaken, $"already in another area — move them out there first: {string.Join(", ", taken)}.");
        if (await db.DefenseAreas.AnyAsync(d => d.ProvinceCode == province && d.Name == name && d.Id != (id ?? 0), ct))
            errors["name"] = new("name", BoundaryProblems.AreaNameTaken, $"province {province} already has an area named '{name}'.");
        return [.. errors.Values];
    }

    static DefenseAreaDto Dto(DefenseArea d) =>
        new(d.Id, d.Name, d.ProvinceCode, d.IsSample, d.Note, d.Communes.Select(c => c.CommuneCode).Order().ToList());
}
