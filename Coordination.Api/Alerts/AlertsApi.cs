using Coordination.Api.Alerts.Delivery;
using System.Security.Claims;
using Coordination.Api.Alerts.Sms;

namespace Coordination.Api.Alerts;

public sealed record MessageCost(int Characters, string Encoding, int Segments, int PerSegment);
/// <summary>What an Update or a Cancel ends: the original alert, and how many of its messages still queued are withdrawn.</summary>
public sealed record EndsDto(int Id, string Headline, string Event, long QueuedWithdrawn);
/// <summary>
/// SegmentsPerRound is one broadcast; TotalSegments is every round the alert will have if it runs to its expiry
/// (Rounds, from the cadence and the expiry). EstimatedSeconds is one round at the gateway's rate. LongMessage: more
/// than Composer.LongMessageSegments SMS per recipient.
/// </summary>
public sealed record PreviewDto(int Recipients, int RecipientsFolded, bool TestGroupOnly, List<CommuneRef> Communes, string Body, string BodyFolded, bool Fold,
    MessageCost Message, MessageCost MessageFolded, long SegmentsPerRound, long TotalSegments, double MaxSegmentsPerSecond, double? EstimatedSeconds,
    bool GatewayConfigured, bool RequiresSecondApprover, int? RepeatEveryMinutes, int Rounds, bool LongMessage, int MaxSegmentsPerMessage,
    string MsgType, EndsDto? Ends, List<RouteDto> Routes);
/// <summary>
/// One way the recipients leave: <c>gateway</c> (the local Android gateways together: numbers starting with
/// Sms:Routing:GatewayPrefixes) or <c>twilio</c> (every other number, or every number without a gateway). The rate is
/// SMS per minute for the gateways (their SIMs together), segments per second for Twilio (null: no cap).
/// Configured false: this share is recorded and stays in the outbox.
/// </summary>
public sealed record RouteDto(string Via, int Recipients, long SegmentsPerRound, bool Configured, int Gateways, double? PerMinute, double? PerSecond,
    double? EstimatedSeconds);
public sealed record ProgressDto(long Total, long Queued, long Sent, long Delivered, long Failed, long OptedOut, long Withdrawn, int Rounds,
    bool GatewayConfigured, string? NotSentReason);
public sealed record AlertDto(int Id, string Identifier, string Status, string MsgType, int? References, string State, string Category, string Event,
    string Urgency, string Severity, string Certainty, string Headline, string? Description, string? Instruction, DateTime Effective, DateTime Expires,
    string Body, string BodyFolded, bool Fold, int? TemplateId, string? TemplateRef, List<CommuneRef> Communes, double[][][]? Area, CircleInput? Circle,
    int? RepeatEveryMinutes, int? RiskLevel, DateTime? NextRoundAt, string CreatedBy, DateTime CreatedAt, string? ApprovedBy, DateTime? ApprovedAt,
    string? EndedReason, DateTime? EndedAt, ProgressDto Progress);
public sealed record SmsLogDto(long Id, int AlertId, int Round, string Phone, string Status, bool Folded, int Segments, int Attempts, string? TwilioSid,
    int? ErrorCode, string? ErrorMessage, DateTime UpdatedAt);
public sealed record RejectInput(string? Reason);

public static class AlertsApi
{
    /// <summary>
    /// Alerts to the public by SMS. Reading is for signed-in officials (the list: alerts to communes they act for, the
    /// SMS log: only for those who act for one of the alert's communes); composing, previewing and sending need the
    /// alert-sender grant and a scope covering every target commune; an Extreme alert needs a second sender's
    /// approval. The CAP documents and the Atom feed of Actual alerts are public.
    /// </summary>
    public static void MapAlerts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/alerts").WithTags("Alerts").RequireAuthorization(Policies.Authenticated);
        group.MapGet("/", List).WithSummary("Alerts to the communes you act for, newest first (state, commune filters).");
        group.MapGet("/{id:int}", async Task<Results<Ok<AlertDto>, ProblemHttpResult>> (int id, CoordinationDb db, CurrentUser current, SmsProviders providers, CancellationToken ct) =>
            await VisibleAsync(db, current, id, ct) && await LoadAsync(db, id, providers.AnyConfigured, ct) is { } a ? TypedResults.Ok(a) : AlertNotFound(id))
            .WithSummary("One alert to a commune you act for (else 404, as in the list).");
        group.MapGet("/{id:int}/progress", async Task<Results<Ok<ProgressDto>, ProblemHttpResult>> (int id, CoordinationDb db, CurrentUser current, SmsProviders providers, CancellationToken ct) =>
            await VisibleAsync(db, current, id, ct) ? TypedResults.Ok(await ProgressAsync(db, id, providers.AnyConfigured, ct)) : AlertNotFound(id))
            .WithSummary("Delivery counts of an alert to a commune you act for.");
        group.MapGet("/{id:int}/messages", Messages).WithSummary("The SMS log of an alert (status filter; pages by afterId).");
        group.MapPost("/preview", Preview).WithSummary("Recipients, characters, encoding, segments and delivery time at the configured rate — nothing is saved.");
        group.MapPost("/", Create).WithSummary("Accept an alert: its first round goes to the outbox in the same transaction (Extreme: after a second sender approves).");
        group.MapPost("/{id:int}/approve", Approve).WithSummary("Second sender approves an Extreme alert (two-person rule).");
        group.MapPost("/{id:int}/reject", Reject).WithSummary("Second sender refuses an Extreme alert; nothing is sent.");
    }

    /// <summary>The rule of the list: an official sees the alerts to communes it acts for (drafts and pending approvals
    /// included); the public reads Actual alerts through the CAP documents and the feed.</summary>
    static Task<bool> VisibleAsync(CoordinationDb db, CurrentUser current, int id, CancellationToken ct)
    {
        var mine = current.Communes;
        return db.Alerts.AnyAsync(a => a.Id == id && a.Communes.Any(c => mine.Contains(c.CommuneCode)), ct);
    }

    /// <summary>403 unless the user holds the alert-sender grant (a role permission, not a scope).</summary>
    static ProblemHttpResult? NotSender(CurrentUser current) => current.Scope is { AlertSender: true } ? null
        : Problems.Forbidden("Sending alerts needs the alert-sender permission (ask an administrator).", AlertProblems.SenderRequired);

    static async Task<ProblemHttpResult?> OutOfScopeAsync(CurrentUser current, IEnumerable<string> codes, CancellationToken ct)
    {
        var outside = await current.OutsideAsync(codes.ToList(), ct);
        return outside.Count == 0 ? null
            : Problems.Forbidden($"You may not alert these communes (outside your scope): {string.Join(", ", outside.Take(20))}.", AlertProblems.AlertOutsideScope,
                new { Communes = outside.Take(20).ToList() });
    }

    static ValidationProblem Refused(List<FieldError> errors) => Problems.Invalid(errors, code: AlertProblems.AlertInvalid);

    static ProblemHttpResult AlertNotFound(int id) => Problems.NotFound("alert", id.ToString(), AlertProblems.AlertNotFound);

    static async Task<Results<Ok<PreviewDto>, ValidationProblem, ProblemHttpResult>> Preview(AlertInput body, Composer composer, CoordinationDb db, CurrentUser current,
        IOptions<TwilioOptions> twilio, IOptions<SmsOptions> sms, SmsProviders providers, CancellationToken ct)
    {
        if (NotSender(current) is { } denied) return denied;
        var (alert, errors) = await composer.ComposeAsync(body, ct);
        if (alert is null) return Refused(errors);
        if (await OutOfScopeAsync(current, alert.Communes.Select(c => c.Code), ct) is { } p) return p;
        await db.Database.OpenConnectionAsync(ct);
        var count = await Outbox.CountAsync((NpgsqlConnection)db.Database.GetDbConnection(), alert.Communes.Select(c => c.Code).ToList(), Outbox.TestOnly(alert.Status), alert.Fold, ct,
            providers.GatewayPrefixes);
        var ends = alert.Original is { } o
            ? new EndsDto(o.Id, o.Headline, o.Event, await db.SmsMessages.LongCountAsync(m => m.AlertId == o.Id && m.Status == SmsStatus.Queued, ct))
            : null;
        return TypedResults.Ok(Cost(alert, count, twilio.Value, sms.Value, providers, ends));
    }

    static MessageCost Cost(string text) => SmsText.Count(text) is var c ? new(c.Characters, c.Encoding, c.Segments, c.PerSegment) : null!;

    static PreviewDto Cost(Composed a, Outbox.RecipientCount count, TwilioOptions twilio, SmsOptions sms, SmsProviders providers, EndsDto? ends)
    {
        var full = Cost(a.Body);
        var folded = Cost(a.BodyFolded);
        long Segments(int total, int foldedCount) => (long)(total - foldedCount) * full.Segments + (long)foldedCount * folded.Segments;
        var perRound = Segments(count.Total, count.Folded);
        var mps = twilio.MaxSegmentsPerSecond;
        var routes = new List<RouteDto>();
        if (providers.Gateways.Count > 0)
        {
            // The gateways share their rows, so their SIM rates add up (0 on one: no cap there).
            var perMinute = providers.Gateways.Any(g => g.MessagesPerMinute <= 0) ? (double?)null : providers.Gateways.Sum(g => g.MessagesPerMinute);
            var segments = Segments(count.Gateway, count.GatewayFolded);
            routes.Add(new("gateway", count.Gateway, segments, true, providers.Gateways.Count, perMinute, null,
                perMinute is { } pm ? Math.Round(segments / (pm / 60), 1) : null));
        }
        var viaTwilio = Segments(count.Total - count.Gateway, count.Folded - count.GatewayFolded);
        routes.Add(new("twilio", count.Total - count.Gateway, viaTwilio, twilio.Configured, 0, null, mps > 0 ? mps : null,
            mps > 0 ? Math.Round(viaTwilio / mps, 1) : null));
        // The routes go out side by side: a round takes as long as its slowest route.
        var estimated = routes.Where(r => r.Recipients > 0).Select(r => r.EstimatedSeconds).DefaultIfEmpty(mps > 0 ? 0 : null).Max();
        // Rounds go out at effective, effective + every, … while before the expiry (as ActivateAsync and the scheduler do).
        var rounds = Math.Max(1, a.RepeatEveryMinutes is { } every ? 1 + (int)Math.Floor((a.Expires - a.Effective).TotalMinutes / every - 1e-9) : 1);
        var perPerson = a.Fold ? folded.Segments : full.Segments;
        return new(count.Total, count.Folded, Outbox.TestOnly(a.Status), a.Communes, a.Body, a.BodyFolded, a.Fold, full, folded, perRound, perRound * rounds, mps,
            providers.Gateways.Count > 0 ? estimated : mps > 0 ? Math.Round(perRound / mps, 1) : null, providers.AnyConfigured, a.Severity == "Extreme",
            a.RepeatEveryMinutes, rounds, perPerson > Composer.LongMessageSegments, sms.MaxSegmentsPerMessage, a.MsgType, ends, routes);
    }

    static async Task<Results<Created<AlertDto>, ValidationProblem, ProblemHttpResult>> Create(AlertInput body, Composer composer, CoordinationDb db, CurrentUser current,
        AuditLog audit, IOptions<SmsOptions> sms, SmsProviders providers, ClaimsPrincipal principal, TimeProvider clock, CancellationToken ct)
    {
        if (NotSender(current) is { } denied) return denied;
        var (c, errors) = await composer.ComposeAsync(body, ct);
        if (c is null) return Refused(errors);
        if (await OutOfScopeAsync(current, c.Communes.Select(x => x.Code), ct) is { } p) return p;
        if (c.Original is not null && await OutOfScopeAsync(current, c.Original.Communes.Select(x => x.CommuneCode), ct) is { } po) return po;

        var now = clock.GetUtcNow().UtcDateTime;
        var alert = NewAlert(c, current.Required, principal.FindFirst(CoordinationClaims.DisplayName)?.Value, sms.Value.CapSender, now);
        await db.InTransactionAsync(async () =>
        {
            db.Alerts.Add(alert);
            await db.SaveChangesAsync(ct);
            if (alert.State == AlertState.Active) await ActivateAsync(db, alert, now, ct);
            Audit(audit, AlertAudit.AlertCreated, alert, c.Communes, new { alert.Status, alert.MsgType, alert.Severity, alert.State, alert.Headline, Communes = c.Communes.Count });
        }, ct);
        return TypedResults.Created($"/api/alerts/{alert.Id}", (await LoadAsync(db, alert.Id, providers.AnyConfigured, ct))!);
    }

    /// <summary>The alert a composed input becomes (Extreme: awaiting the second sender's approval).</summary>
    static Alert NewAlert(Composed c, UserScope user, string? displayName, string capSender, DateTime now) => new()
    {
        Identifier = $"VN-COORD-{now:yyyyMMdd}-{Guid.NewGuid():N}"[..34],
        Sender = capSender, SenderName = displayName ?? user.UserName,
        CreatedBy = user.UserName, CreatedById = user.UserId, CreatedAt = now,
        Status = c.Status, MsgType = c.MsgType, ReferencesAlertId = c.Original?.Id,
        Category = c.Category, Event = c.Event, Urgency = c.Urgency, Severity = c.Severity, Certainty = c.Certainty,
        Headline = c.Headline, Description = NullIfEmpty(SearchKey.Nfc(c.Input.Description) ?? ""), Instruction = NullIfEmpty(SearchKey.Nfc(c.Input.Instruction) ?? ""),
        Effective = c.Effective, Expires = c.Expires, TemplateId = c.Template?.Id, TemplateRef = c.Template?.RegistrationRef,
        Body = c.Body, BodyFolded = c.BodyFolded, Fold = c.Fold, Area = c.Area, CircleCentre = c.CircleCentre, CircleRadiusKm = c.CircleRadiusKm,
        RiskLevel = c.Input.RiskLevel, RepeatEveryMinutes = c.RepeatEveryMinutes,
        State = c.Severity == "Extreme" ? AlertState.AwaitingApproval : AlertState.Active,
        Communes = c.Communes.Select(x => new AlertCommune { CommuneCode = x.Code }).ToList(),
    };

    static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    /// <summary>
    /// The alert goes out: an Update or Cancel ends the original (its queued messages are withdrawn); the first round
    /// is fanned out now, or scheduled for the effective time if that is later.
    /// </summary>
    static async Task ActivateAsync(CoordinationDb db, Alert alert, DateTime now, CancellationToken ct)
    {
        if (alert.ReferencesAlertId is { } originalId)
        {
            var original = await db.Alerts.FirstAsync(a => a.Id == originalId, ct);
            if (original.State is AlertState.Active or AlertState.AwaitingApproval)
            {
                original.State = AlertState.Ended;
                original.EndedReason = alert.MsgType == CapMsgType.Cancel ? "cancelled" : "superseded";
                original.EndedAt = now;
                original.NextRoundAt = null;
            }
            await Outbox.WithdrawQueuedAsync(db, originalId, now, ct);
        }
        if (alert.Effective > now.AddMinutes(1))
        {
            alert.NextRoundAt = alert.Effective;
            return;
        }
        await Outbox.AddRoundAsync(db, alert, now, ct);
        alert.NextRoundAt = alert.RepeatEveryMinutes is { } every && now.AddMinutes(every) < alert.Expires ? now.AddMinutes(every) : null;
    }

    static void Audit(AuditLog audit, string action, Alert alert, List<CommuneRef> communes, object after)
    {
        var provinces = communes.Select(c => c.ProvinceCode).Distinct().ToList();
        audit.Add(action, "alert", alert.Id.ToString(), after: after,
            communeCode: communes.Count == 1 ? communes[0].Code : null, provinceCode: communes.Count != 1 && provinces.Count == 1 ? provinces[0] : null);
    }

    /// <summary>
    /// The second sender's decision on an Extreme alert, in one transaction: the alert row locked, its communes in the
    /// decider's scope, still awaiting approval; then <paramref name="decide"/> moves it (or refuses, changing nothing).
    /// </summary>
    static async Task<Results<Ok<AlertDto>, ProblemHttpResult>> DecideAsync(int id, string verb, CoordinationDb db, CurrentUser current, bool configured,
        Func<Alert, List<CommuneRef>, Task<ProblemHttpResult?>> decide, CancellationToken ct)
    {
        if (NotSender(current) is { } denied) return denied;
        return await db.InTransactionAsync(async Task<Results<Ok<AlertDto>, ProblemHttpResult>> () =>
        {
            var alert = await db.Alerts.FromSql($"SELECT * FROM alerts WHERE id = {id} FOR UPDATE").FirstOrDefaultAsync(ct);
            if (alert is null) return AlertNotFound(id);
            var communes = await CommuneRefsAsync(db, alert.Id, ct);
            if (await OutOfScopeAsync(current, communes.Select(c => c.Code), ct) is { } p) return p;
            if (alert.State != AlertState.AwaitingApproval)
                return Problems.Conflict($"alert {id} is {alert.State}: only an alert awaiting approval can be {verb}.", AlertProblems.AlertState, new { State = alert.State });
            if (await decide(alert, communes) is { } refused) return refused;
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok((await LoadAsync(db, id, configured, ct))!);
        }, ct);
    }

    static Task<Results<Ok<AlertDto>, ProblemHttpResult>> Approve(int id, CoordinationDb db, CurrentUser current, AuditLog audit,
        SmsProviders providers, TimeProvider clock, CancellationToken ct) =>
        DecideAsync(id, "approved", db, current, providers.AnyConfigured, async (alert, communes) =>
        {
            if (alert.CreatedById == current.Required.UserId)
                return Problems.Forbidden("An Extreme alert needs the approval of another alert sender, not of its author.", AlertProblems.OwnApproval);
            var now = clock.GetUtcNow().UtcDateTime;
            if (alert.Expires <= now) return Problems.Conflict($"alert {id} expired before it was approved; compose it again.", AlertProblems.AlertExpired);
            alert.State = AlertState.Active;
            alert.ApprovedBy = current.Required.UserName;
            alert.ApprovedAt = now;
            await ActivateAsync(db, alert, now, ct);
            Audit(audit, AlertAudit.AlertApproved, alert, communes, new { alert.State, alert.ApprovedBy });
            return null;
        }, ct);

    static Task<Results<Ok<AlertDto>, ProblemHttpResult>> Reject(int id, RejectInput? body, CoordinationDb db, CurrentUser current, AuditLog audit,
        SmsProviders providers, TimeProvider clock, CancellationToken ct) =>
        DecideAsync(id, "rejected", db, current, providers.AnyConfigured, (alert, communes) =>
        {
            var reason = SearchKey.Nfc(body?.Reason) ?? "";
            alert.State = AlertState.Rejected;
            alert.EndedAt = clock.GetUtcNow().UtcDateTime;
            alert.EndedReason = "rejected: " + reason[..Math.Min(200, reason.Length)];
            Audit(audit, AlertAudit.AlertRejected, alert, communes, new { alert.State, alert.EndedReason });
            return Task.FromResult<ProblemHttpResult?>(null);
        }, ct);

    /// <summary>Alerts to communes the user acts for, newest first.</summary>
    static async Task<Ok<List<AlertDto>>> List(string? state, string? commune, int? limit, CoordinationDb db, CurrentUser current, SmsProviders providers, CancellationToken ct)
    {
        var mine = current.Communes;
        var q = db.Alerts.Where(a => a.Communes.Any(c => mine.Contains(c.CommuneCode)));
        if (state is not null) q = q.Where(a => a.State == state);
        if (commune is not null) q = q.Where(a => a.Communes.Any(c => c.CommuneCode == commune));
        var ids = await q.OrderByDescending(a => a.Id).Take(Math.Clamp(limit ?? 50, 1, 200)).Select(a => a.Id).ToListAsync(ct);
        var list = new List<AlertDto>();
        foreach (var id in ids) list.Add((await LoadAsync(db, id, providers.AnyConfigured, ct))!);
        return TypedResults.Ok(list);
    }

    public static Task<List<CommuneRef>> CommuneRefsAsync(CoordinationDb db, int alertId, CancellationToken ct) =>
        (from ac in db.AlertCommunes join c in db.Communes on ac.CommuneCode equals c.Code where ac.AlertId == alertId orderby c.Code
         select new CommuneRef(c.Code, c.Name, c.ProvinceCode)).ToListAsync(ct);

    public static async Task<AlertDto?> LoadAsync(CoordinationDb db, int id, bool configured, CancellationToken ct)
    {
        var a = await db.Alerts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null) return null;
        var communes = await CommuneRefsAsync(db, id, ct);
        double[][][]? area = a.Area is null ? null : [a.Area.ExteriorRing.Coordinates.Select(c => new[] { c.X, c.Y }).ToArray()];
        var circle = a.CircleCentre is null ? null : new CircleInput(a.CircleCentre.Y, a.CircleCentre.X, a.CircleRadiusKm);
        return new AlertDto(a.Id, a.Identifier, a.Status, a.MsgType, a.ReferencesAlertId, a.State, a.Category, a.Event, a.Urgency, a.Severity, a.Certainty,
            a.Headline, a.Description, a.Instruction, a.Effective, a.Expires, a.Body, a.BodyFolded, a.Fold, a.TemplateId, a.TemplateRef, communes, area, circle,
            a.RepeatEveryMinutes, a.RiskLevel, a.NextRoundAt, a.CreatedBy, a.CreatedAt, a.ApprovedBy, a.ApprovedAt, a.EndedReason, a.EndedAt,
            await ProgressAsync(db, id, configured, ct));
    }

    /// <summary>Counts per state from the (alert, status) index; "queued" includes messages being sent or reconciled.</summary>
    public static async Task<ProgressDto> ProgressAsync(CoordinationDb db, int alertId, bool configured, CancellationToken ct)
    {
        var counts = await db.SmsMessages.Where(m => m.AlertId == alertId).GroupBy(m => m.Status)
            .Select(g => new { Status = g.Key, Count = g.LongCount() }).ToDictionaryAsync(x => x.Status, x => x.Count, ct);
        long N(params string[] s) => s.Sum(x => counts.GetValueOrDefault(x));
        var rounds = await db.AlertRounds.CountAsync(r => r.AlertId == alertId, ct);
        var queued = N(SmsStatus.Queued, SmsStatus.Sending, SmsStatus.Uncertain);
        return new(counts.Values.Sum(), queued, N(SmsStatus.Accepted, SmsStatus.Sent), N(SmsStatus.Delivered), N(SmsStatus.Failed, SmsStatus.Undelivered),
            N(SmsStatus.OptedOut), N(SmsStatus.Cancelled, SmsStatus.Expired), rounds, configured,
            !configured && queued > 0 ? "not sent: SMS gateway not configured" : null);
    }

    /// <summary>The log names recipients' numbers: only for those who act for at least one of the alert's communes.</summary>
    static async Task<Results<Ok<List<SmsLogDto>>, ProblemHttpResult, ValidationProblem>> Messages(int id, string? status, long? afterId, int? limit,
        CoordinationDb db, CurrentUser current, CancellationToken ct)
    {
        if (!await db.Alerts.AnyAsync(a => a.Id == id, ct)) return AlertNotFound(id);
        var mine = current.Communes;
        if (!await db.AlertCommunes.AnyAsync(c => c.AlertId == id && mine.Contains(c.CommuneCode), ct))
            return Problems.Forbidden($"The SMS log names recipients' numbers: it is for those who act for the communes of alert {id}.", AlertProblems.SmsLogOutsideScope,
                new { AlertId = id });
        if (status is not null && !SmsStatus.All.Contains(status))
            return Problems.BadParameter("status", $"status must be one of {string.Join(", ", SmsStatus.All)}.", CommonProblems.FieldUnknown);
        var q = db.SmsMessages.Where(m => m.AlertId == id && m.Id > (afterId ?? 0));
        if (status is not null) q = q.Where(m => m.Status == status);
        return TypedResults.Ok(await Log(q, limit, db).ToListAsync(ct));
    }

    public static IQueryable<SmsLogDto> Log(IQueryable<SmsMessage> q, int? limit, CoordinationDb db) =>
        from m in q.OrderBy(m => m.Id).Take(Math.Clamp(limit ?? 100, 1, 1000))
        join r in db.AlertRounds on m.RoundId equals (int?)r.Id
        select new SmsLogDto(m.Id, m.AlertId!.Value, r.Number, m.Phone, m.Status, m.Folded, m.Segments, m.Attempts, m.TwilioSid, m.ErrorCode, m.ErrorMessage, m.UpdatedAt);
}
