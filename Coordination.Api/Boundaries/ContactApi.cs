namespace Coordination.Api.Boundaries;

public sealed record ContactDto(string CommuneCode, string? DutyPhone, string? DutyOfficer, string? Note, DateTime? UpdatedAt, string? UpdatedBy);
public sealed record ContactRequest(string? DutyPhone, string? DutyOfficer, string? Note);

public static class ContactApi
{
    /// <summary>
    /// A commune's duty contact. Read: public (neighbours and citizens must be able to reach the duty desk).
    /// Write: those who act for the commune (<see cref="CurrentUser"/>), checked on the commune itself.
    /// </summary>
    public static void MapCommuneContact(this RouteGroupBuilder communes)
    {
        communes.MapGet("/{code}/contact", async Task<Results<Ok<ContactDto>, ValidationProblem, ProblemHttpResult>> (
            string code, CoordinationDb db, CancellationToken ct) =>
        {
            if (!Problems.IsCommuneCode(code)) return BadCode();
            if (!await db.Communes.AnyAsync(c => c.Code == code, ct)) return Problems.NotFound("commune", code, BoundaryProblems.CommuneNotFound);
            var c = await db.CommuneContacts.FindAsync([code], ct);
            return TypedResults.Ok(c is null ? new ContactDto(code, null, null, null, null, null) : ToDto(c));
        }).AllowAnonymous().WithSummary("The commune's duty desk contact (public).");

        communes.MapPut("/{code}/contact", Put).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Set the duty contact: the commune's leaders, its defense-area commander, its province operator, administrators.");
    }

    static ContactDto ToDto(CommuneContact c) => new(c.CommuneCode, c.DutyPhone, c.DutyOfficer, c.Note, c.UpdatedAt, c.UpdatedBy);

    static ValidationProblem BadCode() =>
        Problems.BadParameter("code", "code must be an official commune code of 4–6 digits.", CommonProblems.FieldMalformed);

    static async Task<Results<Ok<ContactDto>, ValidationProblem, ProblemHttpResult>> Put(
        string code, ContactRequest body, CoordinationDb db, CurrentUser current, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        if (!Problems.IsCommuneCode(code)) return BadCode();
        var commune = await db.Communes.Where(c => c.Code == code).Select(c => new { c.Code, c.ProvinceCode }).FirstOrDefaultAsync(ct);
        if (commune is null) return Problems.NotFound("commune", code, BoundaryProblems.CommuneNotFound);
        if (!await current.ActsForAsync(code, ct))
            return Problems.Forbidden($"You do not act for commune {code}.", BoundaryProblems.ContactOutsideScope, new { CommuneCode = code });

        var (phone, officer, note) = (SearchKey.Nfc(body.DutyPhone), SearchKey.Nfc(body.DutyOfficer), SearchKey.Nfc(body.Note));
        if (Validate(phone, officer, note) is { Count: > 0 } errors) return Problems.Invalid(errors);

        var contact = await db.CommuneContacts.FindAsync([code], ct);
        var before = contact is null ? null : ToDto(contact);
        if (contact is null) db.CommuneContacts.Add(contact = new CommuneContact { CommuneCode = code });
        contact.DutyPhone = string.IsNullOrEmpty(phone) ? null : phone;
        contact.DutyMobile = Phones.Normalise(phone).E164;
        contact.DutyOfficer = string.IsNullOrEmpty(officer) ? null : officer;
        contact.Note = string.IsNullOrEmpty(note) ? null : note;
        contact.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        contact.UpdatedBy = current.Required.UserName;
        var after = ToDto(contact);
        audit.Add(BoundaryAudit.ContactUpdated, "commune_contact", code, before, after, communeCode: code, provinceCode: commune.ProvinceCode);
        await db.SaveChangesAsync(ct);   // the change and its audit row in one transaction
        return TypedResults.Ok(after);
    }

    static List<FieldError> Validate(string? phone, string? officer, string? note)
    {
        var errors = new List<FieldError>();
        if (phone is { Length: > 0 } && (phone.Length > 20 || !phone.All(ch => char.IsAsciiDigit(ch) || ch is '+' or ' ' or '.' or '-')))
            errors.Add(new("dutyPhone", CommonProblems.FieldMalformed, "dutyPhone may hold digits, spaces, '+', '.', '-' (at most 20 characters)."));
        if (officer?.Length > 100) errors.Add(new("dutyOfficer", CommonProblems.FieldTooLong, "dutyOfficer is at most 100 characters."));
        if (note?.Length > 500) errors.Add(new("note", CommonProblems.FieldTooLong, "note is at most 500 characters."));
        return errors;
    }
}
