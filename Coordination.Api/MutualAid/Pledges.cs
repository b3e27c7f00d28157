using Coordination.Api.Hazards;
using Coordination.Api.Identity;
using Coordination.Api.Data;
using Coordination.Api.Boundaries;
using Coordination.Api.Kernel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

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
        group.MapPost("/{id:int}/accept", (int id, AcceptInput? body, [AsParameters] Ctx c) =>
                AcceptedQuantity(body) is var (q, bad) && bad is not null ? Task.FromResult<Results<Ok<PledgeDto>, ValidationProblem, ProblemHttpResult>>(bad)
                    : Move(id, "accept", q, body?.Note, null, c))
            .WithSummary("Accept all that was asked (no quantity) or a part of it (quantity 1..asked).");
        group.MapPost("/{id:int}/decline", (int id, AnswerInput? body, [AsParameters] Ctx c) => Move(id, "decline", null, body?.Note, null, c));
        group.MapPost("/{id:int}/cancel", (int id, [AsParameters] Ctx c) => Move(id, "cancel", null, null, null, c));
        group.MapPost("/{id:int}/dispatch", (int id, [AsParameters] Ctx c) => Move(id, "dispatch", null, null, null, c));
        group.MapPost("/{id:int}/arrive", (int id, ArriveInput? body, [AsParameters] Ctx c) => Move(id, "arrive", null, null, body?.PersonTurns, c));
        group.MapPost("/{id:int}/return", (int id, [AsParameters] Ctx c) => Move(id, "return", null, null, null, c));
        group.MapPost("/{id:int}/consume", (int id, [AsParameters] Ctx c) => Move(id, "consume", null, null, null, c));
        return group;
    }

    /// <summary>The services every transition needs.</summary>
    public sealed record Ctx(CoordinationDb Db, ScopeChecker Scopes, AuditLog Audit, HttpContext Http, TimeProvider Clock, CancellationToken Ct);

    static async Task<Results<Ok<List<PledgeDto>>, ValidationProblem>> List(string? donor, string? requester, int? defenseArea, string? province, string? status,
        CoordinationDb db, CancellationToken ct)
    {
        if (donor is null && requester is null && defenseArea is null && province is null)
            return Problems.BadParameter("donor", "give donor=CODE, requester=CODE, defenseArea=ID or province=CODE.");
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

    static async Task<Results<Created<PledgeDto>, ValidationProblem, ProblemHttpResult>> Ask(PledgeRequestInput body, CoordinationDb db, ScopeChecker scopes,
        AuditLog audit, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        if (body.LineId is null) return Problems.BadParameter("lineId", "lineId (the request line) is required.");
        var line = await (from l in db.AidRequestLines join r in db.AidRequests on l.RequestId equals r.Id where l.Id == body.LineId select new { l, r }).FirstOrDefaultAsync(ct);
        if (line is null) return Problems.NotFound("request line", body.LineId.ToString()!);
        var user = UserScope.From(http.User)!;
        if (!await scopes.CanActForCommuneAsync(user, line.r.CommuneCode, ct))
            return Problems.Forbidden($"Only those who act for commune {line.r.CommuneCode} (the requester) ask donors for its request.");
        var errors = new Dictionary<string, string[]>();
        if (body.DonorCode is null || !Problems.IsCommuneCode(body.DonorCode) || !await db.Communes.AnyAsync(c => c.Code == body.DonorCode, ct))
            errors["donorCode"] = ["donorCode must be an existing commune."];
        if (body.Quantity is null or <= 0 or > RequestsApi.MaxQuantity) errors["quantity"] = [$"quantity must be a whole number from 1 to {RequestsApi.MaxQuantity:N0}."];
        else if (body.Quantity > line.l.Quantity) errors["quantity"] = [$"the line asks for {line.l.Quantity}; a pledge cannot be for more."];
        var note = SearchKey.Nfc(body.Note)?.Trim();
        if (note?.Length > 500) errors["note"] = ["note is at most 500 characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (line.r.Status != RequestStatus.Open)
            return Problems.Conflict($"Request #{line.r.Id} is {line.r.Status}: donors are asked only for open requests.", "request_not_open", new { RequestId = line.r.Id, State = line.r.Status });
        if (body.OverrideExclusion == true && user.Role == Roles.CommuneLeader)
            return Problems.Forbidden("Only a commander, a province operator or an administrator may ask an affected donor.");

        var now = clock.GetUtcNow().UtcDateTime;
        if (body.DonorCode != line.r.CommuneCode && body.OverrideExclusion != true)
        {
            var affected = await db.Database.SqlQueryRaw<string>($"""
                SELECT coalesce(
                    (SELECT 'has its own open request #' || o.id FROM aid_requests o WHERE o.commune_code = @donor AND o.status = 'open' ORDER BY o.id LIMIT 1),
                    'is inside the active flood event ''' || {ActiveFloods.NameCovering("@donor")} || '''',
                    '') AS "Value"
                """, new NpgsqlParameter("donor", body.DonorCode), new NpgsqlParameter("now", now)).SingleAsync(ct);
            if (affected.Length > 0)
                return Problems.Conflict($"Commune {body.DonorCode} {affected}: it is affected itself. A commander may override (overrideExclusion: true).", "donor_affected");
        }
        if (await db.Pledges.AnyAsync(p => p.RequestLineId == line.l.Id && p.DonorCode == body.DonorCode && p.Status == PledgeStatus.Requested, ct))
            return Problems.Conflict($"Commune {body.DonorCode} has already been asked for this line and has not answered yet.", "already_asked");

        var pledge = new Pledge
        {
            RequestLineId = line.l.Id, DonorCode = body.DonorCode!, QuantityRequested = body.Quantity!.Value, Status = PledgeStatus.Requested,
            RequestedBy = user.UserName, OnBehalf = user.Role != Roles.CommuneLeader, ExclusionOverridden = body.OverrideExclusion == true,
            Note = string.IsNullOrEmpty(note) ? null : note, CreatedAt = now,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The line under lock, read again: an amendment that lowered it meanwhile is seen (and waits for us otherwise).
        var lineNow = await db.Database.SqlQueryRaw<int>("SELECT quantity AS \"Value\" FROM aid_request_lines WHERE id = @line FOR UPDATE",
            new NpgsqlParameter("line", line.l.Id)).SingleAsync(ct);
        if (pledge.QuantityRequested > lineNow)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quantity"] = [$"the line asks for {lineNow}; a pledge cannot be for more."] });
        db.Pledges.Add(pledge);
        await db.SaveChangesAsync(ct);
        var names = await db.Communes.Where(c => c.Code == line.r.CommuneCode || c.Code == body.DonorCode).ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        var type = await db.ResourceTypes.FirstAsync(t => t.Code == line.l.ResourceType, ct);
        Notify.Add(db, now, body.DonorCode!, Audience.Commune, "pledge.asked", line.r.Id, pledge.Id,
            $"Xã {names[line.r.CommuneCode]} đề nghị xã {names[body.DonorCode!]} hỗ trợ {pledge.QuantityRequested} {type.UnitVi} {type.NameVi} cho {line.r.Hamlet} (yêu cầu #{line.r.Id}).",
            $"{names[line.r.CommuneCode]} asks {names[body.DonorCode!]} for {Notify.En(pledge.QuantityRequested, type.UnitEn, type.NameEn)} for {line.r.Hamlet} (request #{line.r.Id}).");
        Notify.OnBehalf(db, http.User, now, line.r.CommuneCode, names[line.r.CommuneCode], "pledge.asked", line.r.Id, pledge.Id,
            $"đề nghị xã {names[body.DonorCode!]} hỗ trợ {pledge.QuantityRequested} {type.UnitVi} {type.NameVi} (yêu cầu #{line.r.Id}).",
            $"asked {names[body.DonorCode!]} for {Notify.En(pledge.QuantityRequested, type.UnitEn, type.NameEn)} (request #{line.r.Id}).");
        audit.Add(AidAudit.PledgeAsked, "pledge", pledge.Id.ToString(), null,
            new { pledge.RequestLineId, RequestId = line.r.Id, pledge.DonorCode, pledge.QuantityRequested, pledge.OnBehalf, pledge.ExclusionOverridden },
            communeCode: line.r.CommuneCode);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/pledges/{pledge.Id}", await DtoAsync(db, pledge.Id, ct));
    }

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

    static (int? Quantity, ValidationProblem? Bad) AcceptedQuantity(AcceptInput? body)
    {
        var q = body?.Quantity ?? default;
        if (q.ValueKind == System.Text.Json.JsonValueKind.Undefined) return (null, null);
        if (q.ValueKind == System.Text.Json.JsonValueKind.Number && q.TryGetInt32(out var n)) return (n, null);
        return (null, Problems.BadParameter("quantity", "quantity must be a whole number from 1 to what was asked (leave it out to accept all)."));
    }

    /// <summary>Which side acts, from which state, to which state.</summary>
    static readonly Dictionary<string, (string Side, string[] From, string To)> Moves = new()
    {
        ["accept"] = ("donor", [PledgeStatus.Requested], PledgeStatus.Accepted),
        ["decline"] = ("donor", [PledgeStatus.Requested], PledgeStatus.Declined),
        ["cancel"] = ("requester", [PledgeStatus.Requested, PledgeStatus.Accepted], PledgeStatus.Cancelled),
        ["dispatch"] = ("donor", [PledgeStatus.Accepted], PledgeStatus.Dispatched),
        ["arrive"] = ("requester", [PledgeStatus.Dispatched], PledgeStatus.Arrived),
        ["return"] = ("donor", [PledgeStatus.Arrived], PledgeStatus.Returned),
        ["consume"] = ("requester", [PledgeStatus.Arrived], PledgeStatus.Consumed),
    };

    static async Task<Results<Ok<PledgeDto>, ValidationProblem, ProblemHttpResult>> Move(int id, string move, int? quantity, string? note, int? personTurns, Ctx c)
    {
        var (db, ct) = (c.Db, c.Ct);
        var row = await (from p in db.Pledges join l in db.AidRequestLines on p.RequestLineId equals l.Id join r in db.AidRequests on l.RequestId equals r.Id
                         join t in db.ResourceTypes on l.ResourceType equals t.Code
                         join rc in db.Communes on r.CommuneCode equals rc.Code join dc in db.Communes on p.DonorCode equals dc.Code
                         where p.Id == id select new { p, l.ResourceType, Requester = r.CommuneCode, RequestId = r.Id, RequestStatus = r.Status, t.Returnable, t.Persons,
                             RequesterName = rc.Name, DonorName = dc.Name, t.NameVi, t.NameEn, t.UnitVi, t.UnitEn })
            .AsNoTracking().FirstOrDefaultAsync(ct);
        if (row is null) return Problems.NotFound("pledge", id.ToString());
        var (side, from, to) = Moves[move];
        var actsFor = side == "donor" ? row.p.DonorCode : row.Requester;
        if (!await c.Scopes.CanActForCommuneAsync(UserScope.From(c.Http.User), actsFor, ct))
            return Problems.Forbidden(side == "donor"
                ? $"Only those who act for the donor commune {row.p.DonorCode} may {move} this pledge."
                : $"Only those who act for the requesting commune {row.Requester} may {move} this pledge.");
        if (!from.Contains(row.p.Status))
            return Problems.Conflict($"Pledge #{id} is {row.p.Status}; it cannot be {move}ed now (only from {string.Join(" or ", from)}).",
                "pledge_state", new { PledgeId = id, State = row.p.Status, Move = move });
        if (move == "return" && !row.Returnable) return Problems.Conflict($"{row.ResourceType} is consumable: record it as consumed, not returned.", "consumable");
        if (move == "consume" && row.Returnable) return Problems.Conflict($"{row.ResourceType} is returnable: it goes back to the donor (return), it is not consumed.", "returnable");
        if (move == "accept" && RequestStatus.Open != row.RequestStatus)
            return Problems.Conflict($"The request is {row.RequestStatus}: nothing to accept any more.", "request_not_open", new { row.RequestId, State = row.RequestStatus });
        var errors = new Dictionary<string, string[]>();
        var q = quantity ?? row.p.QuantityRequested;
        if (move == "accept" && (q <= 0 || q > row.p.QuantityRequested)) errors["quantity"] = [$"accept between 1 and the {row.p.QuantityRequested} asked."];
        if (personTurns is < 0 or > 10_000_000) errors["personTurns"] = ["personTurns must be 0 or more."];
        var cleanNote = SearchKey.Nfc(note)?.Trim();
        if (cleanNote?.Length > 500) errors["note"] = ["note is at most 500 characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var now = c.Clock.GetUtcNow().UtcDateTime;
        var user = c.Http.User.Identity!.Name!;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var accepted = row.p.QuantityAccepted ?? 0;
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
            cmd.Parameters.AddWithValue("to", to);
            cmd.Parameters.AddWithValue("move", move);
            cmd.Parameters.AddWithValue("q", q);
            cmd.Parameters.Add(new NpgsqlParameter("note", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)(string.IsNullOrEmpty(cleanNote) ? null : cleanNote) ?? DBNull.Value });
            cmd.Parameters.AddWithValue("user", user);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.Add(new NpgsqlParameter("turns", NpgsqlTypes.NpgsqlDbType.Integer) { Value = move == "arrive" && row.Persons ? personTurns ?? accepted : (object?)personTurns ?? DBNull.Value });
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("from", from);
            if (await cmd.ExecuteNonQueryAsync(ct) == 0) return Problems.Conflict($"Pledge #{id} changed meanwhile; reload it.", "changed");
        }
        // 2. The stock, in the same transaction.
        var (sql, amount) = move switch
        {
            "accept" => ("UPDATE inventory SET reserved = reserved + @n, updated_at = @now, updated_by = @user WHERE commune_code = @donor AND resource_type = @type AND on_hand - reserved >= @n", q),
            "cancel" when row.p.Status == PledgeStatus.Accepted => ("UPDATE inventory SET reserved = reserved - @n, updated_at = @now, updated_by = @user WHERE commune_code = @donor AND resource_type = @type AND reserved >= @n", accepted),
            "dispatch" => ("UPDATE inventory SET on_hand = on_hand - @n, reserved = reserved - @n, updated_at = @now, updated_by = @user WHERE commune_code = @donor AND resource_type = @type AND reserved >= @n", accepted),
            "return" => ("UPDATE inventory SET on_hand = on_hand + @n, updated_at = @now, updated_by = @user WHERE commune_code = @donor AND resource_type = @type", accepted),
            _ => ((string?)null, 0),
        };
        if (sql is not null)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            cmd.Parameters.AddWithValue("n", amount);
            cmd.Parameters.AddWithValue("donor", row.p.DonorCode);
            cmd.Parameters.AddWithValue("type", row.ResourceType);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("user", user);
            if (await cmd.ExecuteNonQueryAsync(ct) == 0)
            {
                await tx.RollbackAsync(ct);
                var available = await db.Inventory.Where(i => i.CommuneCode == row.p.DonorCode && i.ResourceType == row.ResourceType).Select(i => (int?)i.Available).FirstOrDefaultAsync(ct) ?? 0;
                return Problems.Conflict(move == "accept"
                    ? $"Commune {row.p.DonorCode} has only {available} {row.ResourceType} available; accept fewer, or update the inventory."
                    : $"The inventory of {row.p.DonorCode} no longer matches this pledge; reload.",
                    move == "accept" ? "not_enough_stock" : "changed", new { Available = available });
            }
        }
        // The requesting side: what arrived is in its stock while it is there; a return or consumption takes it out
        // (never below what its own pledges have reserved: a manual count in between is not contradicted).
        var requesterSql = move switch
        {
            "arrive" => """
                INSERT INTO inventory (commune_code, resource_type, on_hand, reserved, updated_at, updated_by) VALUES (@requester, @type, @n, 0, @now, @user)
                ON CONFLICT (commune_code, resource_type) DO UPDATE SET on_hand = inventory.on_hand + @n, updated_at = @now, updated_by = @user
                """,
            "return" or "consume" => "UPDATE inventory SET on_hand = GREATEST(reserved, on_hand - @n), updated_at = @now, updated_by = @user WHERE commune_code = @requester AND resource_type = @type",
            _ => null,
        };
        if (requesterSql is not null && row.Requester != row.p.DonorCode)
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
        var n = move == "accept" ? q : accepted;
        var (toCommune, vi, en) = move switch
        {
            "accept" => (row.Requester, $"Xã {row.DonorName} nhận hỗ trợ {n}/{row.p.QuantityRequested} {row.UnitVi} {row.NameVi} (yêu cầu #{row.RequestId}).",
                $"{row.DonorName} accepted {n} of {Notify.En(row.p.QuantityRequested, row.UnitEn, row.NameEn)} (request #{row.RequestId})."),
            "decline" => (row.Requester, $"Xã {row.DonorName} không thể hỗ trợ {row.NameVi} (yêu cầu #{row.RequestId}).",
                $"{row.DonorName} declined {row.NameEn} (request #{row.RequestId})."),
            "dispatch" => (row.Requester, $"Xã {row.DonorName} đã xuất phát: {n} {row.UnitVi} {row.NameVi} đang trên đường (yêu cầu #{row.RequestId}).",
                $"{row.DonorName} dispatched {Notify.En(n, row.UnitEn, row.NameEn)} (request #{row.RequestId})."),
            "arrive" => (row.p.DonorCode, $"{n} {row.UnitVi} {row.NameVi} của xã {row.DonorName} đã đến xã {row.RequesterName}.",
                $"{Notify.En(n, row.UnitEn, row.NameEn)} from {row.DonorName} arrived in {row.RequesterName}."),
            "return" => (row.Requester, $"Xã {row.DonorName} đã nhận lại {n} {row.UnitVi} {row.NameVi}.", $"{row.DonorName} has its {Notify.En(n, row.UnitEn, row.NameEn)} back."),
            "consume" => (row.p.DonorCode, $"Xã {row.RequesterName} ghi nhận đã sử dụng {n} {row.UnitVi} {row.NameVi} (để bồi hoàn).",
                $"{row.RequesterName} recorded {Notify.En(n, row.UnitEn, row.NameEn)} as consumed (for compensation)."),
            _ => (row.p.DonorCode, $"Xã {row.RequesterName} đã rút đề nghị hỗ trợ {row.NameVi} (yêu cầu #{row.RequestId}).",
                $"{row.RequesterName} withdrew its ask for {row.NameEn} (request #{row.RequestId})."),
        };
        Notify.Add(db, now, toCommune, Audience.Commune, "pledge." + move, row.RequestId, id, vi, en);
        if (actsFor != toCommune)
            Notify.OnBehalf(db, c.Http.User, now, actsFor, actsFor == row.Requester ? row.RequesterName : row.DonorName, "pledge." + move, row.RequestId, id, vi, en);
        c.Audit.Add("pledge." + move, "pledge", id.ToString(), new { row.p.Status, row.p.QuantityAccepted }, new { Status = to, QuantityAccepted = move == "accept" ? q : row.p.QuantityAccepted },
            communeCode: actsFor);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(await DtoAsync(db, id, ct));
    }

    /// <summary>When a request closes or is cancelled: unanswered asks are cancelled, accepted ones too (their stock freed).</summary>
    public static async Task ReleaseOutstandingAsync(NpgsqlConnection conn, int requestId, DateTime now, string user, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            WITH gone AS (
                UPDATE pledges p SET status = 'cancelled', closed_at = @now
                FROM aid_request_lines l
                WHERE l.id = p.request_line_id AND l.request_id = @id AND p.status IN ('requested', 'accepted')
                -- an unanswered ask has no accepted quantity: it frees nothing
                RETURNING p.donor_code, l.resource_type, coalesce(p.quantity_accepted, 0) AS freed)
            UPDATE inventory i SET reserved = i.reserved - f.freed, updated_at = @now, updated_by = @user
            FROM (SELECT donor_code, resource_type, sum(freed) AS freed FROM gone GROUP BY 1, 2) f
            WHERE i.commune_code = f.donor_code AND i.resource_type = f.resource_type AND f.freed > 0
            """, conn);
        cmd.Parameters.AddWithValue("id", requestId);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("user", user);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
