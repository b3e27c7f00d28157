using Coordination.Api.Identity;

namespace Coordination.Api.MutualAid.HelpReports;

/// <summary>A help report as those who act for its commune see it (the phone in full: they call back).</summary>
public sealed record HelpReportDto(int Id, string CommuneCode, string CommuneName, int? HamletId, string? HamletName, double? Lon, double? Lat,
    string? Place, int? People, string? What, string Text, string Phone, bool PhoneMasked, string Status, int? DuplicateOf, int? AidRequestId,
    string? Note, DateTime CreatedAt, DateTime? HandledAt, string? HandledBy);

public sealed record HandleHelpReport(string? Outcome, int? DuplicateOf, string? Note);

/// <summary>
/// What the aid request filed from a report asks for: one line (<c>resourceType</c>, <c>quantity</c>) or several
/// (<c>lines</c>); the rest defaults from the report (its hamlet and point, the place as written, its text).
/// </summary>
public sealed record ConvertHelpReport(string? ResourceType, int? Quantity, List<RequestLineInput>? Lines, string? Hazard, string? Urgency,
    string? Hamlet, int? HamletId, double? Lon, double? Lat, string? Description, DateTimeOffset? NeededBy, bool? ConfirmDuplicate);

public sealed record ConvertedHelpReport(HelpReportDto Report, RequestDto Request);

public static class HelpReportsApi
{
    public const int MaxNote = 500;
    /// <summary>The outbox's kind of the citizen's second SMS (Alerts' SmsKind.HelpReport, named here: mutual aid does not use Alerts).</summary>
    const string SmsKind = "help_report";
    static readonly string[] Outcomes = [HelpReportStatus.Handled, HelpReportStatus.Duplicate];

    /// <summary>
    /// Citizens' help reports (CUU/SOS by SMS) for those who act for the commune: its leaders, the commander of its
    /// defense area, the province operator, administrators. Each move is one conditional UPDATE from open, audited,
    /// with the citizen's second SMS in the same transaction.
    /// </summary>
    public static RouteGroupBuilder MapHelpReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/help-reports").WithTags("Mutual aid").RequireAuthorization(Policies.Authenticated);
        group.MapGet("/", List).WithSummary("Help reports of a commune you act for (or of all you act for), oldest first; status=open for those waiting.");
        group.MapGet("/{id:int}", Get).WithSummary("One help report: those who act for its commune see it with the phone; others only a converted one, the phone masked.");
        group.MapPost("/{id:int}/handle", Handle).WithSummary("Mark an open report handled, or a duplicate of another report of the commune (duplicateOf).");
        group.MapPost("/{id:int}/convert", Convert).WithSummary("File an aid request of the commune from an open report and mark the report converted, in one transaction.");
        return group;
    }

    static ProblemHttpResult NotFound(int id) => Problems.NotFound("help report", id.ToString(CultureInfo.InvariantCulture), HelpProblems.NotFound);

    static ProblemHttpResult Outside(string commune) =>
        Problems.Forbidden($"You do not act for commune {commune}.", CommonProblems.Forbidden, new { CommuneCode = commune });

    static ProblemHttpResult NotOpen(int id, string status) =>
        Problems.Conflict($"Help report #{id} is {status} already: somebody dealt with it first; reload.", HelpProblems.State, new { HelpReportId = id, State = status });

    static IQueryable<HelpReportDto> Views(CoordinationDb db, IQueryable<HelpReport> reports, bool masked) =>
        from r in reports
        join c in db.Communes on r.CommuneCode equals c.Code
        from h in db.Hamlets.Where(h => h.Id == r.HamletId).DefaultIfEmpty()
        select new HelpReportDto(r.Id, r.CommuneCode, c.Name, r.HamletId, h == null ? null : h.Name, h == null ? null : h.Location.X, h == null ? null : h.Location.Y,
            r.Place, r.People, r.What, r.RawText, r.Phone, masked, r.Status, r.DuplicateOf, r.AidRequestId, r.Note, r.CreatedAt, r.HandledAt, r.HandledBy);

    static async Task<HelpReportDto> ViewAsync(CoordinationDb db, int id, bool masked, CancellationToken ct)
    {
        var v = await Views(db, db.Set<HelpReport>().AsNoTracking().Where(r => r.Id == id), masked).FirstAsync(ct);
        return masked ? v with { Phone = HelpTexts.Mask(v.Phone) } : v;
    }

    static async Task<Results<Ok<List<HelpReportDto>>, ValidationProblem, ProblemHttpResult>> List(string? commune, string? status, CoordinationDb db,
        CurrentUser current, CancellationToken ct)
    {
        if (commune is not null && !Problems.IsCommuneCode(commune))
            return Problems.BadParameter("commune", "commune must be an official commune code.", CommonProblems.FieldMalformed);
        if (status is not null && !HelpReportStatus.All.Contains(status))
            return Problems.BadParameter("status", $"status must be one of {string.Join(", ", HelpReportStatus.All)}.", CommonProblems.FieldUnknown);
        var q = db.Set<HelpReport>().AsNoTracking();
        if (commune is not null)
        {
            if (!await db.Communes.AnyAsync(c => c.Code == commune, ct)) return Problems.NotFound("commune", commune);
            if (!await current.ActsForAsync(commune, ct)) return Outside(commune);
            q = q.Where(r => r.CommuneCode == commune);
        }
        else
        {
            var communes = current.Communes;
            q = q.Where(r => communes.Contains(r.CommuneCode));
        }
        if (status is not null) q = q.Where(r => r.Status == status);
        return TypedResults.Ok(await Views(db, q.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Take(500), false).ToListAsync(ct));
    }

    static async Task<Results<Ok<HelpReportDto>, ProblemHttpResult>> Get(int id, CoordinationDb db, CurrentUser current, CancellationToken ct)
    {
        var report = await db.Set<HelpReport>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null) return NotFound(id);
        if (await current.ActsForAsync(report.CommuneCode, ct)) return TypedResults.Ok(await ViewAsync(db, id, false, ct));
        // A converted report is part of an aid request, which any official may read: its text, not the citizen's number.
        if (report.Status == HelpReportStatus.Converted) return TypedResults.Ok(await ViewAsync(db, id, true, ct));
        return Outside(report.CommuneCode);
    }

    /// <summary>The report, and whether the user acts for its commune (404 and 403 as problems).</summary>
    static async Task<(HelpReport? Report, ProblemHttpResult? Refusal)> InScopeAsync(int id, AidContext c)
    {
        var report = await c.Db.Set<HelpReport>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, c.Ct);
        if (report is null) return (null, NotFound(id));
        if (!await c.Current.ActsForAsync(report.CommuneCode, c.Ct)) return (report, Outside(report.CommuneCode));
        return (report, null);
    }

    /// <summary>
    /// Moves the report from open to <paramref name="to"/> (one conditional UPDATE: a second hand gets 409), audits it,
    /// tells the commune when someone above it acted, and queues the citizen's SMS — in the caller's transaction.
    /// </summary>
    static async Task<ProblemHttpResult?> MoveAsync(HelpReport report, string to, int? duplicateOf, int? aidRequestId, string? note, AidContext c, ISmsOutbox outbox)
    {
        var (db, ct, now) = (c.Db, c.Ct, c.Now);
        var user = c.Current.Required.UserName;
        var moved = await db.Set<HelpReport>().Where(r => r.Id == report.Id && r.Status == HelpReportStatus.Open).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.Status, to).SetProperty(r => r.DuplicateOf, duplicateOf).SetProperty(r => r.AidRequestId, aidRequestId)
            .SetProperty(r => r.Note, note).SetProperty(r => r.HandledAt, now).SetProperty(r => r.HandledBy, user), ct);
        if (moved == 0)
            return NotOpen(report.Id, await db.Set<HelpReport>().Where(r => r.Id == report.Id).Select(r => r.Status).FirstAsync(ct));
        var commune = await db.Communes.Where(x => x.Code == report.CommuneCode).Select(x => new { x.Name, x.Kind }).FirstAsync(ct);
        var communeName = commune.Name;
        // The citizen's second SMS, committed with the move (or not at all): never about another citizen's report.
        outbox.Enqueue(report.Phone, HelpTexts.Outcome(to, report.Id, commune.Kind + " " + commune.Name, report.Plain), SmsKind, now);
        c.Audit.Add(to == HelpReportStatus.Converted ? HelpAudit.Converted : HelpAudit.Handled, "help_report", report.Id.ToString(CultureInfo.InvariantCulture),
            new { Status = HelpReportStatus.Open }, new { Status = to, DuplicateOf = duplicateOf, AidRequestId = aidRequestId, Note = note }, communeCode: report.CommuneCode);
        Notify.OnBehalf(db, c.Actor, now, report.CommuneCode, communeName, "help." + to, aidRequestId, null, Done(to, report.Id, duplicateOf, aidRequestId));
        return null;
    }

    static NotificationText Done(string to, int id, int? duplicateOf, int? aidRequestId) => to switch
    {
        HelpReportStatus.Converted => new($"chuyển tin CỨU #{id} thành yêu cầu hỗ trợ #{aidRequestId}.", $"turned help report #{id} into aid request #{aidRequestId}."),
        HelpReportStatus.Duplicate => new($"đánh dấu tin CỨU #{id} trùng với tin #{duplicateOf}.", $"marked help report #{id} a duplicate of #{duplicateOf}."),
        _ => new($"đã xử lý tin CỨU #{id}.", $"handled help report #{id}."),
    };

    static async Task<Results<Ok<HelpReportDto>, ValidationProblem, ProblemHttpResult>> Handle(int id, HandleHelpReport body, [AsParameters] AidContext c, ISmsOutbox outbox)
    {
        var (db, ct) = (c.Db, c.Ct);
        var (report, refusal) = await InScopeAsync(id, c);
        if (refusal is not null) return refusal;
        var errors = new List<FieldError>();
        if (body.Outcome is null || !Outcomes.Contains(body.Outcome))
            errors.Add(new("outcome", body.Outcome is null ? CommonProblems.FieldRequired : CommonProblems.FieldUnknown, $"outcome must be one of {string.Join(", ", Outcomes)}."));
        var note = SearchKey.Nfc(body.Note) is { Length: > 0 } n ? n : null;
        if (note?.Length > MaxNote) errors.Add(new("note", CommonProblems.FieldTooLong, $"note is at most {MaxNote} characters."));
        if (body.Outcome == HelpReportStatus.Duplicate)
        {
            if (body.DuplicateOf is not { } of) errors.Add(new("duplicateOf", CommonProblems.FieldRequired, "duplicateOf: the report this one repeats."));
            else if (of == id) errors.Add(new("duplicateOf", CommonProblems.FieldOutOfRange, "a report is not a duplicate of itself."));
            else if (!await db.Set<HelpReport>().AnyAsync(r => r.Id == of && r.CommuneCode == report!.CommuneCode, ct))
                errors.Add(new("duplicateOf", CommonProblems.FieldUnknown, $"#{of} is not a help report of commune {report!.CommuneCode}."));
        }
        else if (body.DuplicateOf is not null) errors.Add(new("duplicateOf", CommonProblems.FieldOutOfRange, "duplicateOf goes only with outcome duplicate."));
        if (errors.Count > 0) return Problems.Invalid(errors, new { MaxNote });
        if (report!.Status != HelpReportStatus.Open) return NotOpen(id, report.Status);
        var conflict = await db.InTransactionAsync(() => MoveAsync(report, body.Outcome!, body.DuplicateOf, null, note, c, outbox), ct);
        if (conflict is not null) return conflict;
        return TypedResults.Ok(await ViewAsync(db, id, false, ct));
    }

    static async Task<Results<Created<ConvertedHelpReport>, ValidationProblem, ProblemHttpResult>> Convert(int id, ConvertHelpReport body, [AsParameters] AidContext c,
        IOptions<AidOptions> options, ISmsOutbox outbox)
    {
        var (db, ct) = (c.Db, c.Ct);
        var (report, refusal) = await InScopeAsync(id, c);
        if (refusal is not null) return refusal;
        if (report!.Status != HelpReportStatus.Open) return NotOpen(id, report.Status);
        var hamletName = report.HamletId is { } h ? await db.Hamlets.Where(x => x.Id == h).Select(x => x.Name).FirstOrDefaultAsync(ct) : null;
        var people = report.People is { } p ? $"{p} người" : null;
        var facts = string.Join(", ", new[] { people, report.What }.Where(s => !string.IsNullOrEmpty(s)));
        var description = facts.Length > 0 ? $"Tin CỨU #{id}: {facts}" : $"Tin CỨU #{id}";
        var request = new CreateRequest(CommuneCode: report.CommuneCode, Lon: body.Lon, Lat: body.Lat,
            Hamlet: string.IsNullOrWhiteSpace(body.Hamlet) ? hamletName ?? report.Place ?? $"Tin CỨU #{id}" : body.Hamlet,
            Hazard: body.Hazard ?? "other", Description: body.Description ?? description, Urgency: body.Urgency ?? Urgency.LifeThreatening,
            NeededBy: body.NeededBy,
            Lines: body.Lines ?? (body.ResourceType is null && body.Quantity is null ? null : [new RequestLineInput(body.ResourceType, body.Quantity)]),
            Draft: false, ConfirmDuplicate: body.ConfirmDuplicate, HamletId: body.HamletId ?? report.HamletId);
        var filed = await RequestsApi.FileAsync(request, c, options.Value,
            r => MoveAsync(report, HelpReportStatus.Converted, null, r.Id, null, c, outbox));
        if (filed.Result is not Created<RequestDto> created) return filed.Result switch
        {
            ValidationProblem v => v,
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException("unexpected result of filing a request"),
        };
        return TypedResults.Created(created.Location, new ConvertedHelpReport(await ViewAsync(db, id, false, ct), created.Value!));
    }
}
