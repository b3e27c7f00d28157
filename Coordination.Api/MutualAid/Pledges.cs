using Coordination.Api.Hazards;
using Coordination.Api.Identity;
using Coordination.Api.Boundaries;
using Microsoft.AspNetCore.Mvc;

namespace Coordination.Api.MutualAid;

public sealed record PledgeRequestInput(int? LineId, string? DonorCode, int? Quantity, string? Note, bool? OverrideExclusion);
public sealed record AnswerInput(int? Quantity, string? Note);
/// <summary>
/// The donor's answer. Quantity is read as JSON so that a quantity that is present but empty, zero, fractional or
/// text is refused — only an absent quantity means "all that was asked" (a bad entry must never become "all").
/// </summary>
public sealed record AcceptInput(System.Text.Json.JsonElement Quantity, string? Note);
public sealed record ArriveInput(int? PersonTurns);

/// <summary>
/// Pledges: asked by the requesting side (its leaders, or a commander/operator acting for it — any commune may be
/// asked, across a province border too), answered only by those who act for the donor. Each transition is one
/// conditional UPDATE on the expected state (a second click or a race gets 409), and stock moves in the same
/// transaction: accept reserves (only if available — one statement, so 100 concurrent accepts cannot
/// over-commit), dispatch takes the stock out, arrival puts it in the requester's stock, return moves it back to
/// the donor, consumption takes it out of the requester's, cancel/decline before dispatch frees it.
/// </summary>
public static class Pledges
{
    public static RouteGroupBuilder MapPledges(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/pledges").WithTags("Mutual aid").RequireAuthorization(Policies.Authenticated);
        group.MapGet("/", List).WithSummary("Pledges addressed to a donor (donor=CODE), asked by a requester (requester=CODE), or touching a defense area / province (either side); status filter.");
        group.MapPost("/", Ask).WithSummary("Ask a donor for (part of) a request line.");
        group.MapPost("/{id:int}/accept", (int id, AcceptInput? body, [AsParameters] AidContext c) =>
                PledgeRules.AcceptedQuantity(body) is var (q, bad) && bad is not null ? Task.FromResult<Results<Ok<PledgeDto>, ValidationProblem, ProblemHttpResult>>(bad)
                    : Move(id, PledgeMove.Accept, q, body?.Note, null, c))
            .WithSummary("Accept all that was asked (no quantity) or a part of it (quantity 1..asked).");
        group.MapPost("/{id:int}/decline", (int id, AnswerInput? body, [AsParameters] AidContext c) => Move(id, PledgeMove.Decline, null, body?.Note, null, c));
        group.MapPost("/{id:int}/cancel", (int id, [AsParameters] AidContext c) => Move(id, PledgeMove.Cancel, null, null, null, c));
        group.MapPost("/{id:int}/dispatch", (int id, [AsParameters] AidContext c) => Move(id, PledgeMove.Dispatch, null, null, null, c));
        group.MapPost("/{id:int}/arrive", (int id, ArriveInput? body, [AsParameters] AidContext c) => Move(id, PledgeMove.Arrive, null, null, body?.PersonTurns, c));
        group.MapPost("/{id:int}/return", (int id, [AsParameters] AidContext c) => Move(id, PledgeMove.Return, null, null, null, c));
        group.MapPost("/{id:int}/consume", (int id, [AsParameters] AidContext c) => Move(id, PledgeMove.Consume, null, null, null, c));
        return group;
    }

    static async Task<Results<Ok<List<PledgeDto>>, ValidationProblem>> List(string? donor, string? requester, int? defenseArea, string? province, string? status,
        CoordinationDb db, CancellationToken ct)
    {
        if (donor is null && requester is null && defenseArea is null && province is null)
            return Problems.BadParameter("donor", "give donor=CODE, requester=CODE, defenseArea=ID or province=CODE.", CommonProblems.FieldRequired);
        var q = from p in db.Pledges
                join l in db.AidRequestLines on p.RequestLineId equals l.Id
                join r in db.AidRequests on l.RequestId equals r.Id
                join c in db.Communes on p.DonorCode equals c.Code
                join rc in db.Communes on r.CommuneCode equals rc.Code
                select new { p, l, r, c, rc };
        if (donor is not null) q = q.Where(x => x.p.DonorCode == donor);
        if (requester is not null) q = q.Where(x => x.r.CommuneCode == requester);
        if (status is not null) q = q.Where(x => x.p.Status == status);
        // The command's view: asks to or from the communes of its area / province.
        if (defenseArea is not null)
            q = q.Where(x => db.DefenseAreaCommunes.Any(m => m.DefenseAreaId == defenseArea && (m.CommuneCode == x.p.DonorCode || m.CommuneCode == x.r.CommuneCode)));
        if (province is not null) q = q.Where(x => x.c.ProvinceCode == province || x.rc.ProvinceCode == province);
        var list = await q.OrderByDescending(x => x.p.Id).Take(500).Select(x => new PledgeDto(x.p.Id, x.p.RequestLineId, x.r.Id, x.r.CommuneCode, x.rc.Name, x.l.ResourceType, x.p.DonorCode,
            x.c.Name, x.p.QuantityRequested, x.p.QuantityAccepted, x.p.Status, x.p.OnBehalf, x.p.ExclusionOverridden, x.p.Note, x.p.RequestedBy,
            x.p.AnsweredBy, x.p.PersonTurns, x.p.CreatedAt, x.p.AnsweredAt, x.p.DispatchedAt, x.p.ArrivedAt, x.p.ClosedAt, x.p.EscalatedAt)).ToListAsync(ct);
        return TypedResults.Ok(list.Named(await PeopleNames.OfAsync(db, list.SelectMany(p => new[] { p.RequestedBy, p.AnsweredBy }), ct)));
    }

    internal static async Task<Results<Created<PledgeDto>, ValidationProblem, ProblemHttpResult>> Ask(PledgeRequestInput body, [AsParameters] AidContext c)
    {
        var (db, ct) = (c.Db, c.Ct);
        if (body.LineId is null) return Problems.BadParameter("lineId", "lineId (the request line) is required.", CommonProblems.FieldRequired);
        var line = await (from l in db.AidRequestLines join r in db.AidRequests on l.RequestId equals r.Id where l.Id == body.LineId select new { l, r }).FirstOrDefaultAsync(ct);
        if (line is null) return Problems.NotFound("request line", body.LineId.ToString()!, AidProblems.LineNotFound);
        var user = c.Current.Required;
        if (!await c.Current.ActsForAsync(line.r.CommuneCode, ct))
            return Problems.Forbidden($"Only those who act for commune {line.r.CommuneCode} (the requester) ask donors for its request.",
                AidProblems.RequesterSideOnly, new { RequesterCode = line.r.CommuneCode, Move = "ask" });
        var donorExists = body.DonorCode is not null && Problems.IsCommuneCode(body.DonorCode) && await db.Communes.AnyAsync(x => x.Code == body.DonorCode, ct);
        if (PledgeRules.AskErrors(body, donorExists, line.l.Quantity) is { Count: > 0 } errors) return Problems.Invalid(errors);
        if (line.r.Status != RequestStatus.Open)
            return Problems.Conflict($"Request #{line.r.Id} is {line.r.Status}: donors are asked only for open requests.", AidProblems.RequestNotOpen, new { RequestId = line.r.Id, State = line.r.Status });
        if (body.OverrideExclusion == true && user.Role == Roles.CommuneLeader)
            return Problems.Forbidden("Only a commander, a province operator or an administrator may ask an affected donor.", AidProblems.ExclusionCommandOnly);

        var now = c.Clock.GetUtcNow().UtcDateTime;
        if (body.DonorCode != line.r.CommuneCode && body.OverrideExclusion != true && await AffectedAsync(db, body.DonorCode!, now, ct) is { Length: > 0 } affected)
            return Problems.Conflict($"Commune {body.DonorCode} {affected}: it is affected itself. A commander may override (overrideExclusion: true).",
                AidProblems.DonorAffected, new { body.DonorCode });
        if (await db.Pledges.AnyAsync(p => p.RequestLineId == line.l.Id && p.DonorCode == body.DonorCode && p.Status == PledgeStatus.Requested, ct))
            return Problems.Conflict($"Commune {body.DonorCode} has already been asked for this line and has not answered yet.", AidProblems.AlreadyAsked, new { body.DonorCode });

        var pledge = new Pledge
        {
            RequestLineId = line.l.Id, DonorCode = body.DonorCode!, QuantityRequested = body.Quantity!.Value, Status = PledgeMachine.Initial.Wire(),
            RequestedBy = user.UserName, OnBehalf = user.Role != Roles.CommuneLeader, ExclusionOverridden = body.OverrideExclusion == true,
            Note = PledgeRules.CleanNote(body.Note), CreatedAt = now,
        };
        var refused = await db.InTransactionAsync<ValidationProblem?>(async () =>
        {
            // The line under lock, read again: an amendment that lowered it meanwhile is seen (and waits for us otherwise).
            var lineNow = await db.Database.SqlQueryRaw<int>("SELECT quantity AS \"Value\" FROM aid_request_lines WHERE id = @line FOR UPDATE",
                new NpgsqlParameter("line", line.l.Id)).SingleAsync(ct);
            if (pledge.QuantityRequested > lineNow) return Problems.Invalid([PledgeRules.ExceedsLine(lineNow)]);
            db.Pledges.Add(pledge);
            await db.SaveChangesAsync(ct);
            var names = await db.Communes.Where(x => x.Code == line.r.CommuneCode || x.Code == body.DonorCode).ToDictionaryAsync(x => x.Code, x => x.Name, ct);
            var type = NotificationTexts.TypeWords.Of(await db.ResourceTypes.FirstAsync(t => t.Code == line.l.ResourceType, ct));
            Notify.Add(db, now, pledge.DonorCode, Audience.Commune, "pledge.asked", line.r.Id, pledge.Id,
                NotificationTexts.PledgeAsked(names[line.r.CommuneCode], names[pledge.DonorCode], pledge.QuantityRequested, type, line.r.Hamlet, line.r.Id));
            Notify.OnBehalf(db, c.Actor, now, line.r.CommuneCode, names[line.r.CommuneCode], "pledge.asked", line.r.Id, pledge.Id,
                NotificationTexts.PledgeAskedForCommune(names[pledge.DonorCode], pledge.QuantityRequested, type, line.r.Id));
            c.Audit.Add(AidAudit.PledgeAsked, "pledge", pledge.Id.ToString(), null,
                new { pledge.RequestLineId, RequestId = line.r.Id, pledge.DonorCode, pledge.QuantityRequested, pledge.OnBehalf, pledge.ExclusionOverridden },
                communeCode: line.r.CommuneCode);
            return null;
        }, ct);
        if (refused is not null) return refused;
        return TypedResults.Created($"/api/pledges/{pledge.Id}", await DtoAsync(db, pledge.Id, ct));
    }

    /// <summary>Why a donor is affected itself (its own open request, or inside an active flood event), or "" when it is not.</summary>
    static Task<string> AffectedAsync(CoordinationDb db, string donor, DateTime now, CancellationToken ct) =>
#pragma warning disable EF1002 // the interpolated part is ActiveFloods' constant SQL; the donor and the time are parameters
        db.Database.SqlQueryRaw<string>($"""
            SELECT coalesce(
                (SELECT 'has its own open request #' || o.id FROM aid_requests o WHERE o.commune_code = @donor AND o.status = 'open' ORDER BY o.id LIMIT 1),
                'is inside the active flood event ''' || {ActiveFloods.NameCovering("@donor")} || '''',
                '') AS "Value"
            """, new NpgsqlParameter("donor", donor), new NpgsqlParameter("now", now)).SingleAsync(ct);
#pragma warning restore EF1002

    static async Task<PledgeDto> DtoAsync(CoordinationDb db, int id, CancellationToken ct)
    {
        var dto = await (from p in db.Pledges join l in db.AidRequestLines on p.RequestLineId equals l.Id join c in db.Communes on p.DonorCode equals c.Code
         join r in db.AidRequests on l.RequestId equals r.Id join rc in db.Communes on r.CommuneCode equals rc.Code
         where p.Id == id
         select new PledgeDto(p.Id, p.RequestLineId, r.Id, r.CommuneCode, rc.Name, l.ResourceType, p.DonorCode, c.Name, p.QuantityRequested, p.QuantityAccepted, p.Status, p.OnBehalf,
             p.ExclusionOverridden, p.Note, p.RequestedBy, p.AnsweredBy, p.PersonTurns, p.CreatedAt, p.AnsweredAt, p.DispatchedAt, p.ArrivedAt, p.ClosedAt, p.EscalatedAt))
        .AsNoTracking().FirstAsync(ct);
        return new List<PledgeDto> { dto }.Named(await PeopleNames.OfAsync(db, [dto.RequestedBy, dto.AnsweredBy], ct))[0];
    }

    static Task<PledgeRow?> RowAsync(CoordinationDb db, int id, CancellationToken ct) =>
        (from p in db.Pledges join l in db.AidRequestLines on p.RequestLineId equals l.Id join r in db.AidRequests on l.RequestId equals r.Id
         join t in db.ResourceTypes on l.ResourceType equals t.Code
         join rc in db.Communes on r.CommuneCode equals rc.Code join dc in db.Communes on p.DonorCode equals dc.Code
         where p.Id == id
         select new PledgeRow(p, l.ResourceType, r.CommuneCode, r.Id, r.Status, t.Returnable, t.Persons, rc.Name, dc.Name, t.NameVi, t.NameEn, t.UnitVi, t.UnitEn))
        .AsNoTracking().FirstOrDefaultAsync(ct);

    internal static async Task<Results<Ok<PledgeDto>, ValidationProblem, ProblemHttpResult>> Move(int id, PledgeMove move, int? quantity, string? note, int? personTurns, AidContext c)
    {
        var (db, ct) = (c.Db, c.Ct);
        if (await RowAsync(db, id, ct) is not { } row) return Problems.NotFound("pledge", id.ToString(), AidProblems.PledgeNotFound);
        var side = PledgeMachine.SideOf(move);
        if (!await c.Current.ActsForAsync(row.CommuneOf(side), ct))
            return side == PledgeSide.Donor
                ? Problems.Forbidden($"Only those who act for the donor commune {row.P.DonorCode} may {move.Wire()} this pledge.", AidProblems.DonorSideOnly, new { row.P.DonorCode, Move = move.Wire() })
                : Problems.Forbidden($"Only those who act for the requesting commune {row.Requester} may {move.Wire()} this pledge.", AidProblems.RequesterSideOnly, new { RequesterCode = row.Requester, Move = move.Wire() });
        var transition = PledgeMachine.Next(row.P.Status, move);
        if (PledgeRules.MoveRefusal(row, transition) is { } refusal) return refusal;
        var q = quantity ?? row.P.QuantityRequested;
        if (PledgeRules.MoveErrors(move, q, row.P.QuantityRequested, personTurns, note) is { Count: > 0 } errors) return Problems.Invalid(errors);

        var now = c.Clock.GetUtcNow().UtcDateTime;
        var conflict = await db.InTransactionAsync(() => ApplyAsync(row, transition, q, PledgeRules.CleanNote(note), personTurns, now, c), ct);
        if (conflict is not null) return conflict;
        return TypedResults.Ok(await DtoAsync(db, id, ct));
    }

    /// <summary>
    /// The move in one transaction: the state change only from the state seen, the stock of both sides, the other
    /// side's notification and the audit row; a conflict (a race, not enough stock) rolls it all back.
    /// </summary>
    static async Task<ProblemHttpResult?> ApplyAsync(PledgeRow row, PledgeTransition t, int q, string? note, int? personTurns, DateTime now, AidContext c)
    {
        var (db, ct) = (c.Db, c.Ct);
        var (id, move, user) = (row.P.Id, t.Move.Wire(), c.Current.Required.UserName);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var accepted = row.P.QuantityAccepted ?? 0;
        // 1. The state change, only from the state we saw.
        await using (var cmd = new NpgsqlCommand("""
            UPDATE pledges SET status = @to,
                quantity_accepted = CASE WHEN @move = 'accept' THEN @q ELSE quantity_accepted END,
                note = coalesce(@note, note),
                answered_by = CASE WHEN @move IN ('accept', 'decline') THEN @user ELSE answered_by END,
                answered_at = CASE WHEN @move IN ('accept', 'decline') THEN @now ELSE answered_at END,
                dispatched_at = CASE WHEN @move = 'dispatch' THEN @now ELSE dispatched_at END,
                arrived_at = CASE WHEN @move = 'arrive' THEN @now ELSE arrived_at END,
                person_turns = CASE WHEN @move = 'arrive' THEN @turns ELSE person_turns END,
                closed_at = CASE WHEN @move IN ('decline', 'cancel', 'return', 'consume') THEN @now ELSE closed_at END
            WHERE id = @id AND status = ANY(@from)
            """, conn))
        {
            cmd.Parameters.AddWithValue("to", t.To!.Value.Wire());
            cmd.Parameters.AddWithValue("move", move);
            cmd.Parameters.AddWithValue("q", q);
            cmd.Parameters.Add(new NpgsqlParameter("note", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)note ?? DBNull.Value });
            cmd.Parameters.AddWithValue("user", user);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.Add(new NpgsqlParameter("turns", NpgsqlTypes.NpgsqlDbType.Integer) { Value = t.Move == PledgeMove.Arrive && row.Persons ? personTurns ?? accepted : (object?)personTurns ?? DBNull.Value });
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("from", t.AllowedFrom.Wire());
            if (await cmd.ExecuteNonQueryAsync(ct) == 0) return Problems.Conflict($"Pledge #{id} changed meanwhile; reload it.", AidProblems.Changed);
        }
        // 2. The stock, in the same transaction.
        var (sql, amount) = t.Move switch
        {
            PledgeMove.Accept => ("UPDATE inventory SET reserved = reserved + @n, updated_at = @now, updated_by = @user WHERE commune_code = @donor AND resource_type = @type AND on_hand - reserved >= @n", q),
            PledgeMove.Cancel when t.From == PledgeState.Accepted => ("UPDATE inventory SET reserved = reserved - @n, updated_at = @now, updated_by = @user WHERE commune_code = @donor AND resource_type = @type AND reserved >= @n", accepted),
            PledgeMove.Dispatch => ("UPDATE inventory SET on_hand = on_hand - @n, reserved = reserved - @n, updated_at = @now, updated_by = @user WHERE commune_code = @donor AND resource_type = @type AND reserved >= @n", accepted),
            PledgeMove.Return => ("UPDATE inventory SET on_hand = on_hand + @n, updated_at = @now, updated_by = @user WHERE commune_code = @donor AND resource_type = @type", accepted),
            _ => ((string?)null, 0),
        };
        if (sql is not null)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            cmd.Parameters.AddWithValue("n", amount);
            cmd.Parameters.AddWithValue("donor", row.P.DonorCode);
            cmd.Parameters.AddWithValue("type", row.ResourceType);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("user", user);
            if (await cmd.ExecuteNonQueryAsync(ct) == 0)
            {
                // No stock was changed by this move, so what is available now is what the others left.
                var available = await db.Inventory.Where(i => i.CommuneCode == row.P.DonorCode && i.ResourceType == row.ResourceType).Select(i => (int?)i.Available).FirstOrDefaultAsync(ct) ?? 0;
                return t.Move == PledgeMove.Accept
                    ? Problems.Conflict($"Commune {row.P.DonorCode} has only {available} {row.ResourceType} available; accept fewer, or update the inventory.", AidProblems.NotEnoughStock, new { Available = available })
                    : Problems.Conflict($"The inventory of {row.P.DonorCode} no longer matches this pledge; reload.", AidProblems.Changed, new { Available = available });
            }
        }
        // The requesting side: what arrived is in its stock while it is there; a return or consumption takes it out
        // (never below what its own pledges have reserved: a manual count in between is not contradicted).
        var requesterSql = t.Move switch
        {
            PledgeMove.Arrive => """
                INSERT INTO inventory (commune_code, resource_type, on_hand, reserved, updated_at, updated_by) VALUES (@requester, @type, @n, 0, @now, @user)
                ON CONFLICT (commune_code, resource_type) DO UPDATE SET on_hand = inventory.on_hand + @n, updated_at = @now, updated_by = @user
                """,
            PledgeMove.Return or PledgeMove.Consume => "UPDATE inventory SET on_hand = GREATEST(reserved, on_hand - @n), updated_at = @now, updated_by = @user WHERE commune_code = @requester AND resource_type = @type",
            _ => null,
        };
        if (requesterSql is not null && row.Requester != row.P.DonorCode)
        {
            await using var cmd = new NpgsqlCommand(requesterSql, conn);
            cmd.Parameters.AddWithValue("n", accepted);
            cmd.Parameters.AddWithValue("requester", row.Requester);
            cmd.Parameters.AddWithValue("type", row.ResourceType);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("user", user);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        // The other side hears of it at once (same transaction as the change).
        var side = PledgeMachine.SideOf(t.Move);
        var (actsFor, toCommune) = (row.CommuneOf(side), row.CommuneOf(side == PledgeSide.Donor ? PledgeSide.Requester : PledgeSide.Donor));
        var text = NotificationTexts.PledgeMoved(t.Move, t.Move == PledgeMove.Accept ? q : accepted, row.P.QuantityRequested, row.Words, row.RequesterName, row.DonorName, row.RequestId);
        Notify.Add(db, now, toCommune, Audience.Commune, "pledge." + move, row.RequestId, id, text);
        if (actsFor != toCommune)
            Notify.OnBehalf(db, c.Actor, now, actsFor, actsFor == row.Requester ? row.RequesterName : row.DonorName, "pledge." + move, row.RequestId, id, text);
        c.Audit.Add("pledge." + move, "pledge", id.ToString(), new { row.P.Status, row.P.QuantityAccepted },
            new { Status = t.To!.Value.Wire(), QuantityAccepted = t.Move == PledgeMove.Accept ? q : row.P.QuantityAccepted }, communeCode: actsFor);
        return null;
    }

    /// <summary>When a request closes or is cancelled: unanswered asks are cancelled, accepted ones too (their stock freed).</summary>
    public static async Task ReleaseOutstandingAsync(NpgsqlConnection conn, int requestId, DateTime now, string user, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            WITH gone AS (
                UPDATE pledges p SET status = @cancelled, closed_at = @now
                FROM aid_request_lines l
                WHERE l.id = p.request_line_id AND l.request_id = @id AND p.status = ANY(@from)
                -- an unanswered ask has no accepted quantity: it frees nothing
                RETURNING p.donor_code, l.resource_type, coalesce(p.quantity_accepted, 0) AS freed)
            UPDATE inventory i SET reserved = i.reserved - f.freed, updated_at = @now, updated_by = @user
            FROM (SELECT donor_code, resource_type, sum(freed) AS freed FROM gone GROUP BY 1, 2) f
            WHERE i.commune_code = f.donor_code AND i.resource_type = f.resource_type AND f.freed > 0
            """, conn);
        cmd.Parameters.AddWithValue("id", requestId);
        // The same as withdrawing each (a cancel from wherever it is allowed).
        cmd.Parameters.AddWithValue("cancelled", PledgeState.Cancelled.Wire());
        cmd.Parameters.AddWithValue("from", PledgeMachine.AllowedFrom(PledgeMove.Cancel).Wire());
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("user", user);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
