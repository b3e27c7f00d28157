using Coordination.Api.Identity;

namespace Coordination.Api.MutualAid;

/// <summary>A resource type; maxPerLine = the most one request line may ask for (null: the general maximum, 1,000,000).</summary>
public sealed record ResourceTypeDto(string Code, string Pillar, string NameVi, string NameEn, string UnitVi, string UnitEn, bool Returnable, bool Persons, int? MaxPerLine = null);
public sealed record InventoryDto(string CommuneCode, string ResourceType, string Pillar, string NameVi, string NameEn, string UnitVi, string UnitEn,
    int OnHand, int Reserved, int Available, DateTime UpdatedAt, string? UpdatedBy);
public sealed record InventoryInput(int? OnHand);
public sealed record AgreementLineInput(string? LenderCode, string? ResourceType, int? MaxQuantity);
public sealed record AgreementInput(string? CommuneA, string? CommuneB, DateOnly? ValidFrom, DateOnly? ValidTo, string? ContactA, string? ContactB, List<AgreementLineInput>? Lines);
public sealed record AgreementDto(int Id, string CommuneA, string CommuneB, DateOnly ValidFrom, DateOnly? ValidTo, string? ContactA, string? ContactB,
    string? SignedABy, DateTime? SignedAAt, string? SignedBBy, DateTime? SignedBAt, bool Active, IReadOnlyList<AgreementLineInput> Lines)
{
    public string? SignedAByName { get; init; }
    public string? SignedBByName { get; init; }
}

public static class ResourcesApi
{
    /// <summary>
    /// The resource catalogue (public reference data; administrators extend it), each commune's inventory (read by
    /// any signed-in official — matching shows it across communes anyway; written by those who act for the commune),
    /// and standing agreements (read by officials; created by either side; signed by each side for itself).
    /// </summary>
    public static void MapResources(this IEndpointRouteBuilder app)
    {
        var types = app.MapGroup("/api/resource-types").WithTags("Mutual aid");
        types.MapGet("/", async (CoordinationDb db, CancellationToken ct) => TypedResults.Ok(await db.ResourceTypes.OrderBy(t => t.Pillar).ThenBy(t => t.Code)
            .Select(t => new ResourceTypeDto(t.Code, t.Pillar, t.NameVi, t.NameEn, t.UnitVi, t.UnitEn, t.Returnable, t.Persons, t.MaxPerLine)).ToListAsync(ct))).AllowAnonymous();
        types.MapPost("/", CreateType).RequireAuthorization(Policies.Authenticated).WithSummary("Add a resource type (administrators).");

        var inventory = app.MapGroup("/api/communes/{code}/inventory").WithTags("Mutual aid").RequireAuthorization(Policies.Authenticated);
        inventory.MapGet("/", async Task<Results<Ok<List<InventoryDto>>, ProblemHttpResult>> (string code, CoordinationDb db, CancellationToken ct) =>
            !await db.Communes.AnyAsync(c => c.Code == code, ct) ? Problems.NotFound("commune", code, AidProblems.CommuneNotFound) : TypedResults.Ok(await InventoryAsync(db, code, ct)));
        inventory.MapPut("/{type}", SetInventory).WithSummary("Set the quantity on hand (never below what pledges have reserved).");

        var agreements = app.MapGroup("/api/agreements").WithTags("Mutual aid").RequireAuthorization(Policies.Authenticated);
        agreements.MapGet("/", async (string? commune, CoordinationDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var q = db.Agreements.Include(a => a.Lines).AsNoTracking();
            if (commune is not null) q = q.Where(a => a.CommuneA == commune || a.CommuneB == commune);
            var today = Today(clock.GetUtcNow().UtcDateTime);
            var list = await q.OrderBy(a => a.Id).Take(500).ToListAsync(ct);
            var people = await PeopleNames.OfAsync(db, list.SelectMany(a => new[] { a.SignedABy, a.SignedBBy }), ct);
            return TypedResults.Ok(list.Select(a => Dto(a, today) with
            {
                SignedAByName = a.SignedABy is null ? null : people.GetValueOrDefault(a.SignedABy),
                SignedBByName = a.SignedBBy is null ? null : people.GetValueOrDefault(a.SignedBBy),
            }).ToList());
        });
        agreements.MapPost("/", CreateAgreement).WithSummary("Propose an agreement between two communes (you act for one of them); it is active once both have signed.");
        agreements.MapPost("/{id:int}/sign", Sign).WithSummary("Sign for the side you act for (side=a|b when you act for both).");
    }

    static Task<List<InventoryDto>> InventoryAsync(CoordinationDb db, string code, CancellationToken ct) =>
        (from i in db.Inventory join t in db.ResourceTypes on i.ResourceType equals t.Code where i.CommuneCode == code orderby t.Pillar, t.Code
         select new InventoryDto(i.CommuneCode, i.ResourceType, t.Pillar, t.NameVi, t.NameEn, t.UnitVi, t.UnitEn, i.OnHand, i.Reserved, i.Available, i.UpdatedAt, i.UpdatedBy))
        .AsNoTracking().ToListAsync(ct);

    internal static async Task<Results<Ok<InventoryDto>, ValidationProblem, ProblemHttpResult>> SetInventory(string code, string type, InventoryInput body, [AsParameters] AidContext c)
    {
        var (db, ct) = (c.Db, c.Ct);
        if (!await db.Communes.AnyAsync(x => x.Code == code, ct)) return Problems.NotFound("commune", code, AidProblems.CommuneNotFound);
        if (!await c.Current.ActsForAsync(code, ct)) return Problems.Forbidden($"You do not act for commune {code}.", CommonProblems.Forbidden, new { CommuneCode = code });
        if (!await db.ResourceTypes.AnyAsync(t => t.Code == type, ct)) return Problems.BadParameter("type", $"unknown resource type '{type}'.", CommonProblems.FieldUnknown);
        if (body.OnHand is null or < 0 or > RequestsApi.MaxQuantity)
            return Problems.BadParameter("onHand", $"onHand must be a whole number from 0 to {RequestsApi.MaxQuantity:N0}.",
                body.OnHand is null ? CommonProblems.FieldRequired : CommonProblems.FieldOutOfRange, new { Min = 0, Max = RequestsApi.MaxQuantity });
        var (now, user) = (c.Now, c.Current.Required.UserName);
        var conflict = await db.InTransactionAsync<ProblemHttpResult?>(async () =>
        {
            var item = await db.Inventory.FromSqlInterpolated($"SELECT * FROM inventory WHERE commune_code = {code} AND resource_type = {type} FOR UPDATE").FirstOrDefaultAsync(ct);
            var before = item is null ? null : new { item.OnHand, item.Reserved };
            if (item is not null && body.OnHand < item.Reserved)
                return Problems.Conflict($"{item.Reserved} {type} are reserved by accepted pledges: on hand cannot go below that (cancel or dispatch the pledges first).",
                    AidProblems.BelowReserved, new { item.Reserved });
            if (item is null) db.Inventory.Add(item = new InventoryItem { CommuneCode = code, ResourceType = type });
            item.OnHand = body.OnHand.Value;
            item.UpdatedAt = now;
            item.UpdatedBy = user;
            c.Audit.Add(AidAudit.InventoryChanged, "inventory", $"{code}/{type}", before, new { item.OnHand, item.Reserved }, communeCode: code);
            return null;
        }, ct);
        if (conflict is not null) return conflict;
        return TypedResults.Ok((await InventoryAsync(db, code, ct)).Single(i => i.ResourceType == type));
    }

    /// <summary>A new resource type's fields (whether the code is taken is the database's to say).</summary>
    static List<FieldError> TypeErrors(ResourceTypeDto body, bool codeTaken)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(body.Code) || body.Code.Length > 40 || !body.Code.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '_'))
            errors.Add(new("code", string.IsNullOrEmpty(body.Code) ? CommonProblems.FieldRequired : CommonProblems.FieldMalformed, "code: lower-case letters, digits and '_' (at most 40)."));
        else if (codeTaken) errors.Add(new("code", AidProblems.FieldTaken, $"'{body.Code}' exists already."));
        if (!Pillar.All.Contains(body.Pillar))
            errors.Add(new("pillar", body.Pillar is null ? CommonProblems.FieldRequired : CommonProblems.FieldUnknown, $"pillar must be one of {string.Join(", ", Pillar.All)}."));
        foreach (var (name, value) in new[] { ("nameVi", body.NameVi), ("nameEn", body.NameEn), ("unitVi", body.UnitVi), ("unitEn", body.UnitEn) })
            if (string.IsNullOrWhiteSpace(value) || value.Length > 100)
                errors.Add(new(name, string.IsNullOrWhiteSpace(value) ? CommonProblems.FieldRequired : CommonProblems.FieldTooLong, $"{name} is required (at most 100 characters)."));
        if (body.MaxPerLine is <= 0 or > RequestsApi.MaxQuantity)
            errors.Add(new("maxPerLine", CommonProblems.FieldOutOfRange, $"maxPerLine is empty or a whole number from 1 to {RequestsApi.MaxQuantity:N0}."));
        return errors;
    }

    static async Task<Results<Created<ResourceTypeDto>, ValidationProblem, ProblemHttpResult>> CreateType(ResourceTypeDto body, CoordinationDb db, CurrentUser current, AuditLog audit, CancellationToken ct)
    {
        if (!current.IsAdmin) return Problems.Forbidden("Resource types are reference data: administrators add them.", AidProblems.ResourceTypeAdminOnly);
        var taken = !string.IsNullOrEmpty(body.Code) && await db.ResourceTypes.AnyAsync(t => t.Code == body.Code, ct);
        if (TypeErrors(body, taken) is { Count: > 0 } errors) return Problems.Invalid(errors);
        var t = new ResourceType { MaxPerLine = body.MaxPerLine, Code = body.Code, Pillar = body.Pillar, NameVi = SearchKey.Nfc(body.NameVi)!.Trim(), NameEn = body.NameEn.Trim(),
            UnitVi = SearchKey.Nfc(body.UnitVi)!.Trim(), UnitEn = body.UnitEn.Trim(), Returnable = body.Returnable, Persons = body.Persons };
        db.ResourceTypes.Add(t);
        audit.Add(AidAudit.ResourceTypeCreated, "resource_type", t.Code, null, t);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/resource-types/{t.Code}", new ResourceTypeDto(t.Code, t.Pillar, t.NameVi, t.NameEn, t.UnitVi, t.UnitEn, t.Returnable, t.Persons, t.MaxPerLine));
    }

    static AgreementDto Dto(Agreement a, DateOnly today) => new(a.Id, a.CommuneA, a.CommuneB, a.ValidFrom, a.ValidTo, a.ContactA, a.ContactB,
        a.SignedABy, a.SignedAAt, a.SignedBBy, a.SignedBAt,
        a.SignedAAt is not null && a.SignedBAt is not null && a.ValidFrom <= today && (a.ValidTo is null || a.ValidTo >= today),
        a.Lines.Select(l => new AgreementLineInput(l.LenderCode, l.ResourceType, l.MaxQuantity)).ToList());

    /// <summary>The day in Vietnam (UTC+7): agreements are valid by calendar day there.</summary>
    static DateOnly Today(DateTime utcNow) => DateOnly.FromDateTime(utcNow.AddHours(7));

    /// <summary>An agreement's dates and lines, between communes <paramref name="a"/> and <paramref name="b"/>.</summary>
    static List<FieldError> AgreementErrors(AgreementInput body, string a, string b, DateOnly from, DateOnly today, IReadOnlyCollection<string> known)
    {
        var errors = new Dictionary<string, FieldError>();
        void Add(string name, string code, string message) => errors[name] = new(name, code, message);
        if (body.ValidTo is { } to && to < from) Add("validTo", CommonProblems.FieldOutOfRange, "validTo is before validFrom.");
        else if (body.ValidTo is { } end && end < today) Add("validTo", CommonProblems.FieldOutOfRange, $"validTo ({end:yyyy-MM-dd}) is in the past: the agreement could never become active.");
        var lines = body.Lines ?? [];
        if (lines.Count == 0) Add("lines", CommonProblems.FieldRequired, "say what each side will lend (lenderCode, resourceType, maxQuantity).");
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].LenderCode != a && lines[i].LenderCode != b) Add($"lines[{i}].lenderCode", CommonProblems.FieldUnknown, "the lender is one of the two communes.");
            if (lines[i].ResourceType is null || !known.Contains(lines[i].ResourceType!))
                Add($"lines[{i}].resourceType", lines[i].ResourceType is null ? CommonProblems.FieldRequired : CommonProblems.FieldUnknown, $"unknown resource type '{lines[i].ResourceType}'.");
            if (lines[i].MaxQuantity is null or <= 0 or > RequestsApi.MaxQuantity)
                Add($"lines[{i}].maxQuantity", lines[i].MaxQuantity is null ? CommonProblems.FieldRequired : CommonProblems.FieldOutOfRange, "maxQuantity must be a positive whole number.");
        }
        if (lines.GroupBy(l => (l.LenderCode, l.ResourceType)).Any(g => g.Count() > 1)) Add("lines", AidProblems.FieldDuplicateLine, "one line per lender and resource type.");
        return [.. errors.Values];
    }

    static async Task<Results<Created<AgreementDto>, ValidationProblem, ProblemHttpResult>> CreateAgreement(AgreementInput body, [AsParameters] AidContext c)
    {
        var (db, ct) = (c.Db, c.Ct);
        var codes = new[] { body.CommuneA, body.CommuneB };
        if (codes.Any(x => x is null || !Problems.IsCommuneCode(x)) || body.CommuneA == body.CommuneB)
            return Problems.BadParameter("communeA", "communeA and communeB must be two different commune codes.", CommonProblems.FieldMalformed);
        var (a, b) = string.CompareOrdinal(body.CommuneA, body.CommuneB) < 0 ? (body.CommuneA!, body.CommuneB!) : (body.CommuneB!, body.CommuneA!);
        var swapped = a != body.CommuneA;
        if (await db.Communes.CountAsync(x => x.Code == a || x.Code == b, ct) != 2) return Problems.BadParameter("communeA", "both communes must exist.", CommonProblems.FieldUnknown);
        if ((await c.Current.OutsideAsync([a, b], ct)).Count == 2)
            return Problems.Forbidden($"You act for neither {a} nor {b}.", CommonProblems.Forbidden, new { CommuneA = a, CommuneB = b });
        var today = Today(c.Now);
        var from = body.ValidFrom ?? today;
        var known = await db.ResourceTypes.Select(t => t.Code).ToListAsync(ct);
        if (AgreementErrors(body, a, b, from, today, known) is { Count: > 0 } errors) return Problems.Invalid(errors);
        var agreement = new Agreement
        {
            CommuneA = a, CommuneB = b, ValidFrom = from, ValidTo = body.ValidTo,
            ContactA = SearchKey.Nfc(swapped ? body.ContactB : body.ContactA)?.Trim(), ContactB = SearchKey.Nfc(swapped ? body.ContactA : body.ContactB)?.Trim(),
            CreatedAt = c.Now, CreatedBy = c.Current.Required.UserName,
            Lines = body.Lines!.Select(l => new AgreementLine { LenderCode = l.LenderCode!, ResourceType = l.ResourceType!, MaxQuantity = l.MaxQuantity!.Value }).ToList(),
        };
        await db.InTransactionAsync(async () =>
        {
            db.Agreements.Add(agreement);
            await db.SaveChangesAsync(ct);
            c.Audit.Add(AidAudit.AgreementCreated, "agreement", agreement.Id.ToString(), null, Dto(agreement, today), communeCode: a);
        }, ct);
        return TypedResults.Created($"/api/agreements/{agreement.Id}", Dto(agreement, today));
    }

    static async Task<Results<Ok<AgreementDto>, ValidationProblem, ProblemHttpResult>> Sign(int id, string? side, [AsParameters] AidContext c)
    {
        var (db, ct) = (c.Db, c.Ct);
        var agreement = await db.Agreements.Include(x => x.Lines).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (agreement is null) return Problems.NotFound("agreement", id.ToString(), AidProblems.AgreementNotFound);
        var outside = await c.Current.OutsideAsync([agreement.CommuneA, agreement.CommuneB], ct);
        var (forA, forB) = (!outside.Contains(agreement.CommuneA), !outside.Contains(agreement.CommuneB));
        if (!forA && !forB)
            return Problems.Forbidden($"Only those who act for {agreement.CommuneA} or {agreement.CommuneB} sign this agreement.", CommonProblems.Forbidden,
                new { agreement.CommuneA, agreement.CommuneB });
        if (side is not null and not ("a" or "b")) return Problems.BadParameter("side", "side is a or b.", CommonProblems.FieldUnknown);
        if (forA && forB && side is null)
            return Problems.BadParameter("side", $"you act for both communes: say which one you sign for (side=a for {agreement.CommuneA}, side=b for {agreement.CommuneB}).",
                CommonProblems.FieldRequired, new { agreement.CommuneA, agreement.CommuneB });
        var signA = side == "a" || side is null && forA;
        if (signA && !forA || !signA && !forB)
            return Problems.Forbidden("You do not act for that side.", AidProblems.NotYourSide, new { CommuneCode = signA ? agreement.CommuneA : agreement.CommuneB });
        var now = c.Now;
        var name = c.Current.Required.UserName;
        if (signA ? agreement.SignedAAt is not null : agreement.SignedBAt is not null) return Problems.Conflict("That side has already signed.", AidProblems.AlreadySigned);
        if (signA) { agreement.SignedAAt = now; agreement.SignedABy = name; } else { agreement.SignedBAt = now; agreement.SignedBBy = name; }
        c.Audit.Add(AidAudit.AgreementSigned, "agreement", id.ToString(), null, new { Side = signA ? agreement.CommuneA : agreement.CommuneB, By = name },
            communeCode: signA ? agreement.CommuneA : agreement.CommuneB);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Dto(agreement, Today(now)));
    }
}
