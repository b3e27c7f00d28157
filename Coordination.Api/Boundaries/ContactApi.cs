using Coordination.Api.Identity;
using Coordination.Api.Data;
using Coordination.Api.Kernel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Coordination.Api.Boundaries;

public sealed record ContactDto(string CommuneCode, string? DutyPhone, string? DutyOfficer, string? Note, DateTime? UpdatedAt, string? UpdatedBy);
public sealed record ContactRequest(string? DutyPhone, string? DutyOfficer, string? Note);

public static class ContactApi
{
    /// <summary>
    /// A commune's duty contact. Read: public (neighbours and citizens must be able to reach the duty desk).
    /// Write: those who act for the commune (see <see cref="ScopeChecker"/>), checked on the commune itself.
    /// </summary>
    public static void MapCommuneContact(this RouteGroupBuilder communes)
    {
        communes.MapGet("/{code}/contact", async Task<Results<Ok<ContactDto>, ValidationProblem, ProblemHttpResult>> (
            string code, CoordinationDb db, CancellationToken ct) =>
        {
            if (!Problems.IsCommuneCode(code)) return Problems.BadParameter("code", "code must be an official commune code of 4–6 digits.");
            if (!await db.Communes.AnyAsync(c => c.Code == code, ct)) return Problems.NotFound("commune", code);
            var c = await db.CommuneContacts.FindAsync([code], ct);
            return TypedResults.Ok(c is null ? new ContactDto(code, null, null, null, null, null) : ToDto(c));
        }).AllowAnonymous().WithSummary("The commune's duty desk contact (public).");

        communes.MapPut("/{code}/contact", Put).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Set the duty contact: the commune's leaders, its defense-area commander, its province operator, administrators.");
    }

    static ContactDto ToDto(CommuneContact c) => new(c.CommuneCode, c.DutyPhone, c.DutyOfficer, c.Note, c.UpdatedAt, c.UpdatedBy);

    static async Task<Results<Ok<ContactDto>, ValidationProblem, ProblemHttpResult>> Put(
        string code, ContactRequest body, CoordinationDb db, ScopeChecker scopes, AuditLog audit, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        if (!Problems.IsCommuneCode(code)) return Problems.BadParameter("code", "code must be an official commune code of 4–6 digits.");
        var commune = await db.Communes.Where(c => c.Code == code).Select(c => new { c.Code, c.ProvinceCode }).FirstOrDefaultAsync(ct);
        if (commune is null) return Problems.NotFound("commune", code);
        if (!await scopes.CanActForCommuneAsync(UserScope.From(http.User), code, ct))
            return Problems.Forbidden($"You do not act for commune {code}.");

        var phone = SearchKey.Nfc(body.DutyPhone);
        var errors = new Dictionary<string, string[]>();
        if (phone is { Length: > 0 } && (phone.Length > 20 || !phone.All(ch => char.IsAsciiDigit(ch) || ch is '+' or ' ' or '.' or '-')))
            errors["dutyPhone"] = ["dutyPhone may hold digits, spaces, '+', '.', '-' (at most 20 characters)."];
        var officer = SearchKey.Nfc(body.DutyOfficer);
        if (officer?.Length > 100) errors["dutyOfficer"] = ["dutyOfficer is at most 100 characters."];
        var note = SearchKey.Nfc(body.Note);
        if (note?.Length > 500) errors["note"] = ["note is at most 500 characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var contact = await db.CommuneContacts.FindAsync([code], ct);
        var before = contact is null ? null : ToDto(contact);
        if (contact is null) db.CommuneContacts.Add(contact = new CommuneContact { CommuneCode = code });
        contact.DutyPhone = string.IsNullOrEmpty(phone) ? null : phone;
        contact.DutyOfficer = string.IsNullOrEmpty(officer) ? null : officer;
        contact.Note = string.IsNullOrEmpty(note) ? null : note;
        contact.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        contact.UpdatedBy = http.User.Identity!.Name;
        var after = ToDto(contact);
        audit.Add(BoundaryAudit.ContactUpdated, "commune_contact", code, before, after, communeCode: code, provinceCode: commune.ProvinceCode);
        await db.SaveChangesAsync(ct);   // the change and its audit row in one transaction
        return TypedResults.Ok(after);
    }
}
