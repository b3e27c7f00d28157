using System.Text.RegularExpressions;
using Coordination.Api.Alerts.Sms;

namespace Coordination.Api.Alerts;

/// <summary>Kind: "warning" (Alert, Update; the default) or "cancel" (a cancellation / all-clear, for a Cancel only).</summary>
public sealed record TemplateInput(string? Name, string? RegistrationRef, string? Text, bool? Active, string? Kind = null);
public sealed record TemplateDto(int Id, string Name, string RegistrationRef, string Text, bool Active, string Kind, List<string> Placeholders,
    MessageCost Cost, MessageCost CostFolded, DateTime UpdatedAt);

public static partial class TemplatesApi
{
    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Braces();
    [GeneratedRegex(@"^[a-z_]{1,30}$")]
    private static partial Regex Name();

    /// <summary>Message templates as registered with the operators: read by officials, kept by administrators.</summary>
    public static void MapSmsTemplates(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sms-templates").WithTags("Alerts").RequireAuthorization(Policies.Authenticated);
        group.MapGet("/", async (bool? all, CoordinationDb db, CancellationToken ct) =>
            TypedResults.Ok((await db.SmsTemplates.AsNoTracking().Where(t => all == true || t.Active).OrderBy(t => t.Name).ToListAsync(ct)).Select(Dto).ToList()));
        group.MapPost("/", Create).RequireAuthorization(Policies.Admin);
        group.MapPut("/{id:int}", Update).RequireAuthorization(Policies.Admin);
    }

    static TemplateDto Dto(SmsTemplate t)
    {
        var c = SmsText.Count(t.Text);
        var f = SmsText.Count(SmsText.Fold(t.Text));
        return new(t.Id, t.Name, t.RegistrationRef, t.Text, t.Active, t.Kind, Braces().Matches(t.Text).Select(m => m.Groups[1].Value).Distinct().ToList(),
            new(c.Characters, c.Encoding, c.Segments, c.PerSegment), new(f.Characters, f.Encoding, f.Segments, f.PerSegment), t.UpdatedAt);
    }

    static List<FieldError> Validate(string name, string reference, string text, string kind)
    {
        var errors = new List<FieldError>();
        if (!TemplateKind.All.Contains(kind))
            errors.Add(new("kind", CommonProblems.FieldUnknown, $"kind is {string.Join(" or ", TemplateKind.All)}: a warning (Alert, Update) or a cancellation/all-clear (Cancel)."));
        if (name.Length is 0 or > 100)
            errors.Add(new("name", name.Length == 0 ? CommonProblems.FieldRequired : CommonProblems.FieldTooLong, "name is required (up to 100 characters)."));
        if (reference.Length is 0 or > 60)
            errors.Add(new("registrationRef", reference.Length == 0 ? CommonProblems.FieldRequired : CommonProblems.FieldTooLong,
                "registrationRef is the operator's registration reference of this template (required, up to 60 characters)."));
        if (text.Length is 0 or > 1000)
            errors.Add(new("text", text.Length == 0 ? CommonProblems.FieldRequired : CommonProblems.FieldTooLong, "text is required (up to 1,000 characters)."));
        else if (Braces().Matches(text).Select(m => m.Groups[1].Value).Where(p => !Name().IsMatch(p)).ToList() is { Count: > 0 } bad)
            errors.Add(new("text", AlertProblems.FieldPlaceholder,
                $"placeholders are lower-case names in braces, like {{communes}} or {{time}}; not: {string.Join(", ", bad.Select(b => "{" + b + "}"))}."));
        return errors;
    }

    static ValidationProblem Refused(List<FieldError> errors) => Problems.Invalid(errors, code: AlertProblems.TemplateInvalid);

    static ProblemHttpResult NameTaken(string name) =>
        Problems.Conflict($"a template named '{name}' exists already.", AlertProblems.TemplateNameTaken, new { Name = name });

    static async Task<Results<Created<TemplateDto>, ValidationProblem, ProblemHttpResult>> Create(TemplateInput body, CoordinationDb db, AuditLog audit,
        CurrentUser current, TimeProvider clock, CancellationToken ct)
    {
        var (name, reference, text) = (SearchKey.Nfc(body.Name) ?? "", SearchKey.Nfc(body.RegistrationRef) ?? "", SearchKey.Nfc(body.Text) ?? "");
        var kind = SearchKey.Nfc(body.Kind)?.ToLowerInvariant() ?? TemplateKind.Warning;
        var errors = Validate(name, reference, text, kind);
        if (errors.Count > 0) return Refused(errors);
        if (await db.SmsTemplates.AnyAsync(t => t.Name == name, ct)) return NameTaken(name);
        var now = clock.GetUtcNow().UtcDateTime;
        var t = new SmsTemplate { Name = name, RegistrationRef = reference, Text = text, Kind = kind, Active = body.Active ?? true, CreatedAt = now, UpdatedAt = now, CreatedBy = current.Required.UserName };
        db.SmsTemplates.Add(t);
        await db.SaveChangesAsync(ct);
        audit.Add(AlertAudit.SmsTemplateCreated, "sms_template", t.Id.ToString(), after: new { t.Name, t.RegistrationRef, t.Text, t.Kind });
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/sms-templates/{t.Id}", Dto(t));
    }

    static async Task<Results<Ok<TemplateDto>, ValidationProblem, ProblemHttpResult>> Update(int id, TemplateInput body, CoordinationDb db, AuditLog audit,
        TimeProvider clock, CancellationToken ct)
    {
        var t = await db.SmsTemplates.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (t is null) return Problems.NotFound("template", id.ToString(), AlertProblems.TemplateNotFound);
        var before = new { t.Name, t.RegistrationRef, t.Text, t.Active, t.Kind };
        var (name, reference, text) = (SearchKey.Nfc(body.Name) ?? t.Name, SearchKey.Nfc(body.RegistrationRef) ?? t.RegistrationRef, SearchKey.Nfc(body.Text) ?? t.Text);
        var kind = SearchKey.Nfc(body.Kind)?.ToLowerInvariant() ?? t.Kind;
        var errors = Validate(name, reference, text, kind);
        if (errors.Count > 0) return Refused(errors);
        if (name != t.Name && await db.SmsTemplates.AnyAsync(x => x.Name == name, ct)) return NameTaken(name);
        (t.Name, t.RegistrationRef, t.Text, t.Kind, t.Active, t.UpdatedAt) = (name, reference, text, kind, body.Active ?? t.Active, clock.GetUtcNow().UtcDateTime);
        audit.Add(AlertAudit.SmsTemplateChanged, "sms_template", id.ToString(), before, new { t.Name, t.RegistrationRef, t.Text, t.Kind, t.Active });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Dto(t));
    }
}
