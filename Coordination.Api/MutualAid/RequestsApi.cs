using Coordination.Api.Identity;
using Coordination.Api.Boundaries;
using Coordination.Api.Hazards;

namespace Coordination.Api.MutualAid;

public sealed class AidOptions
{
    /// <summary>A second open request of a commune for the same hazard within this window is a possible duplicate.</summary>
    public int DuplicateWindowMinutes { get; set; } = 360;
    /// <summary>An ask left unanswered this long escalates to the requester and its command, with the next suggestion.</summary>
    public int EscalateAfterMinutes { get; set; } = 60;
    public int EscalationScanSeconds { get; set; } = 30;
}

public sealed record RequestLineInput(string? ResourceType, int? Quantity);
public sealed record CreateRequest(string? CommuneCode, double? Lon, double? Lat, string? Hamlet, string? Hazard, string? Description,
    string? Urgency, DateTimeOffset? NeededBy, List<RequestLineInput>? Lines, bool? Draft, bool? ConfirmDuplicate, int? HamletId = null);

public static partial class RequestsApi
{
    static readonly GeometryFactory Wgs84 = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);
    public static readonly string[] Hazards = [.. HazardKind.All, "storm", "other"];
    public const int MaxQuantity = 1_000_000;

    /// <summary>
    /// Aid requests. Everything here needs a signed-in user (operational data, not public): any official may read
    /// requests (mutual aid crosses scopes); filing and changing a request is for those who act for its commune.
    /// </summary>
    public static RouteGroupBuilder MapAidRequests(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/aid-requests").WithTags("Mutual aid").RequireAuthorization(Policies.Authenticated);
        group.MapGet("/", List).WithSummary("Requests, newest first; filter by commune, province, defenseArea, status.");
        group.MapGet("/{id:int}", async Task<Results<Ok<RequestDto>, ProblemHttpResult>> (int id, CoordinationDb db, CancellationToken ct) =>
            await LoadAsync(db, id, ct) is { } r ? TypedResults.Ok(r) : Problems.NotFound("aid request", id.ToString(), AidProblems.RequestNotFound));
        group.MapPost("/", Create).WithSummary("File a request (open at once, or draft: true). A second open request for the same hazard within the window needs confirmDuplicate: true.");
        group.MapPost("/{id:int}/open", (int id, [AsParameters] AidContext c) => Transition(id, RequestStatus.Open, c));
        group.MapPost("/{id:int}/close", (int id, [AsParameters] AidContext c) => Transition(id, RequestStatus.Closed, c));
        group.MapPost("/{id:int}/cancel", (int id, [AsParameters] AidContext c) => Transition(id, RequestStatus.Cancelled, c));
        group.MapPost("/{id:int}/lines", AddLine)
            .WithSummary("Amend an open (or draft) request: add a line for a type it does not ask for yet.");
        group.MapPut("/{id:int}/lines/{lineId:int}", ChangeLine)
            .WithSummary("Amend an open (or draft) request: raise or lower a line's quantity (never below what donors have committed or been asked for).");
        group.MapPost("/{id:int}/escalate", Escalate)
            .WithSummary("The command passes an open request up to the province (commanders, operators, administrators acting for the commune).");
        group.MapGet("/{id:int}/matches", Matches)
            .WithSummary("Suggested donors per line in 4-on-the-spot order, each with its reason; includeAffected=true (commanders, operators, administrators) lists affected donors too.");
        return group;
    }

    static async Task<Results<Ok<List<RequestDto>>, ValidationProblem>> List(string? commune, string? province, int? defenseArea, string? status,
        CoordinationDb db, CancellationToken ct)
    {
        if (commune is not null && !Problems.IsCommuneCode(commune)) return Problems.BadParameter("commune", "commune must be an official commune code.", CommonProblems.FieldMalformed);
        if (province is not null && !Problems.IsProvinceCode(province)) return Problems.BadParameter("province", "province must be a 2-digit code.", CommonProblems.FieldMalformed);
        string[] statuses = [RequestStatus.Draft, RequestStatus.Open, RequestStatus.Closed, RequestStatus.Cancelled];
        if (status is not null && !statuses.Contains(status)) return Problems.BadParameter("status", $"status must be one of {string.Join(", ", statuses)}.", CommonProblems.FieldUnknown);
        var q = db.AidRequests.AsQueryable();
        if (commune is not null) q = q.Where(r => r.CommuneCode == commune);
        if (province is not null) q = q.Where(r => db.Communes.Any(c => c.Code == r.CommuneCode && c.ProvinceCode == province));
        if (defenseArea is not null) q = q.Where(r => db.DefenseAreaCommunes.Any(m => m.DefenseAreaId == defenseArea && m.CommuneCode == r.CommuneCode));
        if (status is not null) q = q.Where(r => r.Status == status);
        var ids = await q.OrderByDescending(r => r.Id).Select(r => r.Id).Take(500).ToListAsync(ct);
        return TypedResults.Ok(await LoadManyAsync(db, ids, ct));
    }

    internal static Task<Results<Created<RequestDto>, ValidationProblem, ProblemHttpResult>> Create(CreateRequest body, [AsParameters] AidContext c, IOptions<AidOptions> options) =>
        FileAsync(body, c, options.Value);

    /// <summary>
    /// Files a request: every rule of filing (scope, hamlet, point in the commune, fields, possible duplicate), the
    /// request, its notification and audit in one transaction. <paramref name="alsoInTransaction"/> runs in that
    /// transaction after the request is saved (a help report converted into it); a refusal it answers rolls all back.
    /// </summary>
    internal static async Task<Results<Created<RequestDto>, ValidationProblem, ProblemHttpResult>> FileAsync(CreateRequest body, AidContext c, AidOptions options,
        Func<AidRequest, Task<ProblemHttpResult?>>? alsoInTransaction = null)
    {
        var (db, ct, now) = (c.Db, c.Ct, c.Now);
        if (body.CommuneCode is null || !Problems.IsCommuneCode(body.CommuneCode) || !await db.Communes.AnyAsync(x => x.Code == body.CommuneCode, ct))
            return Problems.BadParameter("communeCode", "communeCode must be an existing commune.", body.CommuneCode is null ? CommonProblems.FieldRequired : CommonProblems.FieldUnknown);
        if (!await c.Current.ActsForAsync(body.CommuneCode, ct))
            return Problems.Forbidden($"You do not act for commune {body.CommuneCode}.", CommonProblems.Forbidden, new { body.CommuneCode });
        if (body.HamletId is { } hamletId)
        {
            // A hamlet of the registry: the request point and name follow it unless the leader placed or named it otherwise.
            var hamlet = await db.Hamlets.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hamletId, ct);
            if (hamlet is null || hamlet.CommuneCode != body.CommuneCode)
                return Problems.BadParameter("hamletId", $"hamlet #{hamletId} is not a hamlet of commune {body.CommuneCode}.", CommonProblems.FieldUnknown);
            body = body with
            {
                Hamlet = string.IsNullOrWhiteSpace(body.Hamlet) ? hamlet.Name : body.Hamlet,
                Lon = body.Lon ?? hamlet.Location.X, Lat = body.Lat ?? hamlet.Location.Y,
            };
        }
        var inside = RequestRules.HasLocation(body) && await CommuneGeometry.ContainsAsync(db, body.CommuneCode, body.Lon!.Value, body.Lat!.Value, ct);
        var known = await db.ResourceTypes.AsNoTracking().ToDictionaryAsync(t => t.Code, ct);
        if (RequestRules.CreateErrors(body, now, inside, known) is { Count: > 0 } errors) return Problems.Invalid(errors);

        var draft = body.Draft == true;
        int? duplicateOf = null;
        if (!draft)
        {
            var since = now.AddMinutes(-options.DuplicateWindowMinutes);
            duplicateOf = await db.AidRequests.Where(r => r.CommuneCode == body.CommuneCode && r.Hazard == body.Hazard && r.Status == RequestStatus.Open && r.OpenedAt >= since)
                .OrderByDescending(r => r.Id).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
            if (duplicateOf is not null && body.ConfirmDuplicate != true)
                return Problems.Conflict($"Commune {body.CommuneCode} already has open request #{duplicateOf} for {body.Hazard} filed in the last {options.DuplicateWindowMinutes / 60.0:0.#} h. Add lines to it, or send confirmDuplicate: true to file a separate request (it will be flagged).",
                    AidProblems.PossibleDuplicate, new { DuplicateOf = duplicateOf });
        }
        var description = RequestRules.Clean(body.Description);
        var lines = body.Lines!;
        var request = new AidRequest
        {
            CommuneCode = body.CommuneCode, Location = Wgs84.CreatePoint(new Coordinate(body.Lon!.Value, body.Lat!.Value)), Hamlet = RequestRules.Clean(body.Hamlet)!, HamletId = body.HamletId,
            Hazard = body.Hazard!, Description = string.IsNullOrEmpty(description) ? null : description, Urgency = body.Urgency!,
            NeededBy = body.NeededBy?.UtcDateTime, Status = draft ? RequestStatus.Draft : RequestStatus.Open, PossibleDuplicateOf = duplicateOf,
            CreatedAt = now, CreatedBy = c.Current.Required.UserName, OpenedAt = draft ? null : now,
            Lines = lines.Select(l => new AidRequestLine { ResourceType = l.ResourceType!, Quantity = l.Quantity!.Value }).ToList(),
        };
        var refused = await db.InTransactionAsync(async () =>
        {
            db.AidRequests.Add(request);
            await db.SaveChangesAsync(ct);
            if (!draft) NotifyCommandOfNew(db, request, now, await CommuneNameAsync(db, request.CommuneCode, ct));
            c.Audit.Add(AidAudit.AidRequestFiled, "aid_request", request.Id.ToString(), null,
                new { request.Status, request.Hamlet, request.Hazard, request.Urgency, Lines = lines, request.PossibleDuplicateOf },
                communeCode: request.CommuneCode);
            return alsoInTransaction is null ? null : await alsoInTransaction(request);
        }, ct);
        if (refused is not null) return refused;
        return TypedResults.Created($"/api/aid-requests/{request.Id}", (await LoadAsync(db, request.Id, ct))!);
    }


    static Task<string> CommuneNameAsync(CoordinationDb db, string code, CancellationToken ct) =>
        db.Communes.Where(c => c.Code == code).Select(c => c.Name).FirstAsync(ct);

    /// <summary>The command above the commune learns of every request as it opens.</summary>
    static void NotifyCommandOfNew(CoordinationDb db, AidRequest r, DateTime now, string communeName) =>
        Notify.Add(db, now, r.CommuneCode, Audience.Command, "request.opened", r.Id, null, NotificationTexts.RequestOpened(communeName, r));

    /// <summary>The request, and whether the user acts for its commune (404 and 403 as problems).</summary>
    static async Task<(AidRequest? Request, ProblemHttpResult? Refusal)> InScopeAsync(IQueryable<AidRequest> requests, int id, AidContext c)
    {
        var request = await requests.FirstOrDefaultAsync(r => r.Id == id, c.Ct);
        if (request is null) return (null, Problems.NotFound("aid request", id.ToString(), AidProblems.RequestNotFound));
        if (!await c.Current.ActsForAsync(request.CommuneCode, c.Ct))
            return (request, Problems.Forbidden($"You do not act for commune {request.CommuneCode}.", CommonProblems.Forbidden, new { request.CommuneCode }));
        return (request, null);
    }

    static ProblemHttpResult StateConflict(AidRequest r, string detail) =>
        Problems.Conflict(detail, AidProblems.RequestState, new { RequestId = r.Id, State = r.Status });

    static async Task<Results<Ok<RequestDto>, ProblemHttpResult>> Transition(int id, string to, AidContext c)
    {
        var (db, ct) = (c.Db, c.Ct);
        var (request, refusal) = await InScopeAsync(db.AidRequests, id, c);
        if (refusal is not null) return refusal;
        if (!RequestRules.CanBecome(request!.Status, to)) return StateConflict(request, $"Request #{id} is {request.Status}; it cannot become {to}.");
        var now = c.Now;
        var before = request.Status;
        var conflict = await db.InTransactionAsync<ProblemHttpResult?>(async () =>
        {
            // Conditional on the state read above, so two people acting at once cannot both move it.
            var moved = await db.AidRequests.Where(r => r.Id == id && r.Status == before).ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, to)
                .SetProperty(r => r.OpenedAt, r => to == RequestStatus.Open ? now : r.OpenedAt)
                .SetProperty(r => r.ClosedAt, r => to == RequestStatus.Open ? r.ClosedAt : now), ct);
            if (moved == 0) return Problems.Conflict($"Request #{id} changed meanwhile; reload it.", AidProblems.Changed);
            var communeName = await CommuneNameAsync(db, request.CommuneCode, ct);
            if (to == RequestStatus.Open) NotifyCommandOfNew(db, request, now, communeName);
            Notify.OnBehalf(db, c.Actor, now, request.CommuneCode, communeName, $"request.{to}", id, null, NotificationTexts.RequestStatusChanged(to, id, request.Hamlet));
            // Outstanding asks are withdrawn and their reservations given back; what is already on the road stays tracked.
            if (to is RequestStatus.Closed or RequestStatus.Cancelled)
                await Pledges.ReleaseOutstandingAsync((NpgsqlConnection)db.Database.GetDbConnection(), id, now, c.Current.Required.UserName, ct);
            c.Audit.Add(AidAudit.AidRequestStatus, "aid_request", id.ToString(), new { Status = before }, new { Status = to }, communeCode: request.CommuneCode);
            return null;
        }, ct);
        if (conflict is not null) return conflict;
        return TypedResults.Ok((await LoadAsync(db, id, ct))!);
    }

    public sealed record LineQuantityInput(int? Quantity);

    static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> AddLine(int id, RequestLineInput body, [AsParameters] AidContext c)
    {
        var (db, ct) = (c.Db, c.Ct);
        var (request, refusal) = await InScopeAsync(db.AidRequests.Include(r => r.Lines), id, c);
        if (refusal is not null) return refusal;
        var type = body.ResourceType is null ? null : await db.ResourceTypes.AsNoTracking().FirstOrDefaultAsync(t => t.Code == body.ResourceType, ct);
        var errors = new List<FieldError>();
        if (type is null) errors.Add(new("resourceType", body.ResourceType is null ? CommonProblems.FieldRequired : CommonProblems.FieldUnknown, $"unknown resource type '{body.ResourceType}'."));
        if (RequestRules.LineQuantityError("quantity", body.Quantity, type) is { } e) errors.Add(e);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (!RequestRules.IsAmendable(request!.Status)) return StateConflict(request, $"Request #{id} is {request.Status}: only an open or draft request is amended.");
        if (request.Lines.Count >= RequestRules.MaxLines) return Problems.BadParameter("lines", "at most 50 lines.", CommonProblems.FieldOutOfRange, new { Max = RequestRules.MaxLines });
        if (request.Lines.FirstOrDefault(l => l.ResourceType == type!.Code) is { } existing)
            return Problems.Conflict($"Request #{id} already asks for {type!.Code} (line {existing.Id}): change that line's quantity instead.", AidProblems.LineExists, new { LineId = existing.Id });
        var now = c.Now;
        var line = new AidRequestLine { RequestId = id, ResourceType = type!.Code, Quantity = body.Quantity!.Value };
        var conflict = await db.InTransactionAsync<ProblemHttpResult?>(async () =>
        {
            db.AidRequestLines.Add(line);
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                return Problems.Conflict($"Request #{id} already asks for {type.Code}: change that line's quantity instead.", AidProblems.LineExists);
            }
            await NotifyAmendedAsync(db, c.Actor, request, now, NotificationTexts.LineAdded(line.Quantity, NotificationTexts.TypeWords.Of(type)), ct);
            c.Audit.Add(AidAudit.AidRequestAmended, "aid_request", id.ToString(), null, new { LineId = line.Id, line.ResourceType, line.Quantity }, communeCode: request.CommuneCode);
            return null;
        }, ct);
        if (conflict is not null) return conflict;
        return TypedResults.Ok((await LoadAsync(db, id, ct))!);
    }

    static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> ChangeLine(int id, int lineId, LineQuantityInput body, [AsParameters] AidContext c)
    {
        var (db, ct) = (c.Db, c.Ct);
        var request = await db.AidRequests.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (request is null) return Problems.NotFound("aid request", id.ToString(), AidProblems.RequestNotFound);
        var line = await db.AidRequestLines.AsNoTracking().FirstOrDefaultAsync(l => l.Id == lineId && l.RequestId == id, ct);
        if (line is null) return Problems.NotFound("request line", $"{id}/{lineId}", AidProblems.LineNotFound);
        if (!await c.Current.ActsForAsync(request.CommuneCode, ct))
            return Problems.Forbidden($"You do not act for commune {request.CommuneCode}.", CommonProblems.Forbidden, new { request.CommuneCode });
        var type = await db.ResourceTypes.AsNoTracking().FirstAsync(t => t.Code == line.ResourceType, ct);
        if (RequestRules.LineQuantityError("quantity", body.Quantity, type) is { } e) return Problems.Invalid([e]);
        if (!RequestRules.IsAmendable(request.Status)) return StateConflict(request, $"Request #{id} is {request.Status}: only an open or draft request is amended.");
        var q = body.Quantity!.Value;
        if (q == line.Quantity) return TypedResults.Ok((await LoadAsync(db, id, ct))!);
        var now = c.Now;
        var conflict = await db.InTransactionAsync<ProblemHttpResult?>(async () =>
        {
            // What donors hold on the line now (committed, or asked and not yet answered), read under a lock on the line
            // so an ask cannot slip in between: a line is never lowered below what somebody was asked for or promised.
            await db.Database.ExecuteSqlRawAsync("SELECT 1 FROM aid_request_lines WHERE id = @line FOR UPDATE", [new NpgsqlParameter("line", lineId)], ct);
            var held = await db.Database.SqlQueryRaw<int>("""
                SELECT coalesce(sum(coalesce(p.quantity_accepted, p.quantity_requested)), 0)::int AS "Value" FROM pledges p
                WHERE p.request_line_id = @line AND p.status = ANY(@holding)
                """, new NpgsqlParameter("line", lineId), new NpgsqlParameter("holding", PledgeMachine.Holding.Wire())).SingleAsync(ct);
            if (q < held)
                return Problems.Conflict($"Donors have been asked for or have committed {held} {type.UnitEn} on this line: it cannot go below that (withdraw an ask first).",
                    AidProblems.BelowPledged, new { Held = held });
            var changed = await db.AidRequestLines.Where(l => l.Id == lineId && l.Quantity == line.Quantity).ExecuteUpdateAsync(u => u.SetProperty(l => l.Quantity, q), ct);
            if (changed == 0) return Problems.Conflict($"Line {lineId} changed meanwhile; reload it.", AidProblems.Changed);
            await NotifyAmendedAsync(db, c.Actor, request, now, NotificationTexts.LineChanged(line.Quantity, q, NotificationTexts.TypeWords.Of(type)), ct);
            c.Audit.Add(AidAudit.AidRequestAmended, "aid_request", id.ToString(), new { LineId = lineId, line.Quantity }, new { LineId = lineId, Quantity = q },
                communeCode: request.CommuneCode);
            return null;
        }, ct);
        if (conflict is not null) return conflict;
        return TypedResults.Ok((await LoadAsync(db, id, ct))!);
    }

    /// <summary>An amended open request is news for the command above it (and for the commune when the command did it).</summary>
    static async Task NotifyAmendedAsync(CoordinationDb db, Notify.Actor actor, AidRequest r, DateTime now, NotificationText what, CancellationToken ct)
    {
        if (r.Status != RequestStatus.Open) return;   // a draft is nobody else's business yet
        var name = await CommuneNameAsync(db, r.CommuneCode, ct);
        Notify.Add(db, now, r.CommuneCode, Audience.Command, "request.amended", r.Id, null, NotificationTexts.RequestAmended(name, r, what));
        Notify.OnBehalf(db, actor, now, r.CommuneCode, name, "request.amended", r.Id, null, NotificationTexts.RequestAmendedForCommune(r.Id, what));
    }

    static async Task<Results<Ok<RequestDto>, ProblemHttpResult>> Escalate(int id, [AsParameters] AidContext c)
    {
        var (db, ct) = (c.Db, c.Ct);
        var request = await db.AidRequests.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (request is null) return Problems.NotFound("aid request", id.ToString(), AidProblems.RequestNotFound);
        var user = c.Current.Required;
        if (user.Role == Roles.CommuneLeader)
            return Problems.Forbidden("Escalating to the province is the defense-area command's call (a commander, the province operator or an administrator).", AidProblems.EscalateCommandOnly);
        if (!await c.Current.ActsForAsync(request.CommuneCode, ct))
            return Problems.Forbidden($"You do not act for commune {request.CommuneCode}.", CommonProblems.Forbidden, new { request.CommuneCode });
        if (request.Status != RequestStatus.Open) return StateConflict(request, $"Request #{id} is {request.Status}.");
        if (request.EscalatedAt is not null)
            return Problems.Conflict($"Request #{id} was escalated already by {request.EscalatedBy}.", AidProblems.AlreadyEscalated, new { request.EscalatedBy });
        var now = c.Now;
        request.EscalatedAt = now;
        request.EscalatedBy = user.UserName;
        var name = await CommuneNameAsync(db, request.CommuneCode, ct);
        Notify.Add(db, now, request.CommuneCode, Audience.Command, "request.escalated", id, null, NotificationTexts.RequestEscalatedToCommand(id, name, request.Hamlet));
        Notify.Add(db, now, request.CommuneCode, Audience.Commune, "request.escalated", id, null, NotificationTexts.RequestEscalatedToCommune(id));
        c.Audit.Add(AidAudit.AidRequestEscalated, "aid_request", id.ToString(), null, new { request.EscalatedAt, request.EscalatedBy }, communeCode: request.CommuneCode);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await LoadAsync(db, id, ct))!);
    }

    static async Task<Results<Ok<List<LineMatch>>, ProblemHttpResult>> Matches(int id, bool? includeAffected, CoordinationDb db, CurrentUser current,
        TimeProvider clock, CancellationToken ct)
    {
        var request = await db.AidRequests.AsNoTracking().Include(r => r.Lines).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (request is null) return Problems.NotFound("aid request", id.ToString(), AidProblems.RequestNotFound);
        if (includeAffected == true && current.Required.Role == Roles.CommuneLeader)
            return Problems.Forbidden("Only a commander, a province operator or an administrator may override the exclusion of affected donors.", AidProblems.ExclusionCommandOnly);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var conn = (NpgsqlConnection)db.Database.GetDbConnection();
            var result = new List<LineMatch>();
            foreach (var line in request.Lines.OrderBy(l => l.Id))
                result.Add((await Matching.MatchLineAsync(conn, id, line.Id, clock.GetUtcNow().UtcDateTime, includeAffected == true, ct))!);
            return TypedResults.Ok(result);
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }
}
