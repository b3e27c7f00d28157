using Coordination.Api.Identity;
using Coordination.Api.Data;
using Coordination.Api.Kernel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

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
            !await db.Communes.AnyAsync(c => c.Code == code, ct) ? Problems.NotFound("commune", code) : TypedResults.Ok(await InventoryAsync(db, code, ct)));
        inventory.MapPut("/{type}", SetInventory).WithSummary("Set the quantity on hand (never below what pledges have reserved).");

        var agreements = app.MapGroup("/api/agreements").WithTags("Mutual aid").RequireAuthorization(Policies.Authenticated);
        agreements.MapGet("/", async (string? commune, CoordinationDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var q = db.Agreements.Include(a => a.Lines).AsNoTracking();
            if (commune is not null) q = q.Where(a => a.CommuneA == commune || a.CommuneB == commune);
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(7));
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

    static async Task<Results<Ok<InventoryDto>, ValidationProblem, ProblemHttpResult>> SetInventory(string code, string type, InventoryInput body, CoordinationDb db,
        ScopeChecker scopes, AuditLog audit, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Communes.AnyAsync(c => c.Code == code, ct)) return Problems.NotFound("commune", code);
        if (!await scopes.CanActForCommuneAsync(UserScope.From(http.User), code, ct)) return Problems.Forbidden($"You do not act for commune {code}.");
        if (!await db.ResourceTypes.AnyAsync(t => t.Code == type, ct)) return Problems.BadParameter("type", $"unknown resource type '{type}'.");
        if (body.OnHand is null or < 0 or > RequestsApi.MaxQuantity) return Problems.BadParameter("onHand", $"onHand must be a whole number from 0 to {RequestsApi.MaxQuantity:N0}.");
        var now = clock.GetUtcNow().UtcDateTime;
        var user = http.User.Identity!.Name;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var item = await db.Inventory.FromSqlInterpolated($"SELECT * FROM inventory WHERE commune_code = {code} AND resource_type = {type} FOR UPDATE").FirstOrDefaultAsync(ct);
        var before = item is null ? null : new { item.OnHand, item.Reserved };
        if (item is not null && body.OnHand < item.Reserved)
            return Problems.Conflict($"{item.Reserved} {type} are reserved by accepted pledges: on hand cannot go below that (cancel or dispatch the pledges first).",
                "below_reserved", new { item.Reserved });
        if (item is null) db.Inventory.Add(item = new InventoryItem { CommuneCode = code, ResourceType = type });
        item.OnHand = body.OnHand.Value;
        item.UpdatedAt = now;
        item.UpdatedBy = user;
        audit.Add(AidAudit.InventoryChanged, "inventory", $"{code}/{type}", before, new { item.OnHand, item.Reserved }, communeCode: code);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok((await InventoryAsync(db, code, ct)).Single(i => i.ResourceType == type));
    }

    static async Task<Results<Created<ResourceTypeDto>, ValidationProblem, ProblemHttpResult>> CreateType(ResourceTypeDto body, CoordinationDb db, AuditLog audit, HttpContext http, CancellationToken ct)
    {
        if (UserScope.From(http.User)?.IsAdmin != true) return Problems.Forbidden("Resource types are reference data: administrators add them.");
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(body.Code) || body.Code.Length > 40 || !body.Code.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '_'))
            errors["code"] = ["code: lower-case letters, digits and '_' (at most 40)."];
        else if (await db.ResourceTypes.AnyAsync(t => t.Code == body.Code, ct)) errors["code"] = [$"'{body.Code}' exists already."];
        if (!Pillar.All.Contains(body.Pillar)) errors["pillar"] = [$"pillar must be one of {string.Join(", ", Pillar.All)}."];
        foreach (var (name, value) in new[] { ("nameVi", body.NameVi), ("nameEn", body.NameEn), ("unitVi", body.UnitVi), ("unitEn", body.UnitEn) })
            if (string.IsNullOrWhiteSpace(value) || value.Length > 100) errors[name] = [$"{name} is required (at most 100 characters)."];
        if (body.MaxPerLine is <= 0 or > RequestsApi.MaxQuantity) errors["maxPerLine"] = [$"maxPerLine is empty or a whole number from 1 to {RequestsApi.MaxQuantity:N0}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
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

    static async Task<Results<Created<AgreementDto>, ValidationProblem, ProblemHttpResult>> CreateAgreement(AgreementInput body, CoordinationDb db, ScopeChecker scopes,
        AuditLog audit, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var codes = new[] { body.CommuneA, body.CommuneB };
        if (codes.Any(c => c is null || !Problems.IsCommuneCode(c)) || body.CommuneA == body.CommuneB)
            return Problems.BadParameter("communeA", "communeA and communeB must be two different commune codes.");
        var (a, b) = string.CompareOrdinal(body.CommuneA, body.CommuneB) < 0 ? (body.CommuneA!, body.CommuneB!) : (body.CommuneB!, body.CommuneA!);
        var swapped = a != body.CommuneA;
        if (await db.Communes.CountAsync(c => c.Code == a || c.Code == b, ct) != 2) return Problems.BadParameter("communeA", "both communes must exist.");
        var user = UserScope.From(http.User);
        if (!await scopes.CanActForCommuneAsync(user, a, ct) && !await scopes.CanActForCommuneAsync(user, b, ct))
            return Problems.Forbidden($"You act for neither {a} nor {b}.");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(7));
        var from = body.ValidFrom ?? today;
        if (body.ValidTo is { } to && to < from) errors["validTo"] = ["validTo is before validFrom."];
        else if (body.ValidTo is { } end && end < today) errors["validTo"] = [$"validTo ({end:yyyy-MM-dd}) is in the past: the agreement could never become active."];
        var lines = body.Lines ?? [];
        if (lines.Count == 0) errors["lines"] = ["say what each side will lend (lenderCode, resourceType, maxQuantity)."];
        var known = await db.ResourceTypes.Select(t => t.Code).ToListAsync(ct);
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].LenderCode != a && lines[i].LenderCode != b) errors[$"lines[{i}].lenderCode"] = ["the lender is one of the two communes."];
            if (lines[i].ResourceType is null || !known.Contains(lines[i].ResourceType!)) errors[$"lines[{i}].resourceType"] = [$"unknown resource type '{lines[i].ResourceType}'."];
            if (lines[i].MaxQuantity is null or <= 0 or > RequestsApi.MaxQuantity) errors[$"lines[{i}].maxQuantity"] = ["maxQuantity must be a positive whole number."];
        }
        if (lines.GroupBy(l => (l.LenderCode, l.ResourceType)).Any(g => g.Count() > 1)) errors["lines"] = ["one line per lender and resource type."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var agreement = new Agreement
        {
            CommuneA = a, CommuneB = b, ValidFrom = from, ValidTo = body.ValidTo,
            ContactA = SearchKey.Nfc(swapped ? body.ContactB : body.ContactA)?.Trim(), ContactB = SearchKey.Nfc(swapped ? body.ContactA : body.ContactB)?.Trim(),
            CreatedAt = clock.GetUtcNow().UtcDateTime, CreatedBy = user!.UserName,
            Lines = lines.Select(l => new AgreementLine { LenderCode = l.LenderCode!, ResourceType = l.ResourceType!, MaxQuantity = l.MaxQuantity!.Value }).ToList(),
        };
        db.Agreements.Add(agreement);
        await db.SaveChangesAsync(ct);
        audit.Add(AidAudit.AgreementCreated, "agreement", agreement.Id.ToString(), null, Dto(agreement, today), communeCode: a);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/agreements/{agreement.Id}", Dto(agreement, today));
    }

    static async Task<Results<Ok<AgreementDto>, ValidationProblem, ProblemHttpResult>> Sign(int id, string? side, CoordinationDb db, ScopeChecker scopes, AuditLog audit,
        HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var agreement = await db.Agreements.Include(x => x.Lines).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (agreement is null) return Problems.NotFound("agreement", id.ToString());
        var user = UserScope.From(http.User);
        var forA = await scopes.CanActForCommuneAsync(user, agreement.CommuneA, ct);
        var forB = await scopes.CanActForCommuneAsync(user, agreement.CommuneB, ct);
        if (!forA && !forB) return Problems.Forbidden($"Only those who act for {agreement.CommuneA} or {agreement.CommuneB} sign this agreement.");
        if (side is not null and not ("a" or "b")) return Problems.BadParameter("side", "side is a or b.");
        if (forA && forB && side is null) return Problems.BadParameter("side", $"you act for both communes: say which one you sign for (side=a for {agreement.CommuneA}, side=b for {agreement.CommuneB}).");
        var signA = side == "a" || side is null && forA;
        if (signA && !forA || !signA && !forB) return Problems.Forbidden("You do not act for that side.");
        var now = clock.GetUtcNow().UtcDateTime;
        var name = http.User.Identity!.Name;
        if (signA ? agreement.SignedAAt is not null : agreement.SignedBAt is not null) return Problems.Conflict("That side has already signed.", "already_signed");
        if (signA) { agreement.SignedAAt = now; agreement.SignedABy = name; } else { agreement.SignedBAt = now; agreement.SignedBBy = name; }
        var today = DateOnly.FromDateTime(now.AddHours(7));
        audit.Add(AidAudit.AgreementSigned, "agreement", id.ToString(), null, new { Side = signA ? agreement.CommuneA : agreement.CommuneB, By = name },
            communeCode: signA ? agreement.CommuneA : agreement.CommuneB);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Dto(agreement, today));
    }
}
