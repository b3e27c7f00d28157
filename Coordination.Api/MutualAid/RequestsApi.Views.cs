namespace Coordination.Api.MutualAid;

/// <summary>
/// A line as its requester and the command see it. Pledged = committed by donors (accepted or further); InTransit =
/// on the road now (dispatched, not yet arrived); Arrived = arrived (and possibly returned or used since); Missing =
/// what no donor has committed to yet.
/// </summary>
public sealed record LineStatus(int Id, string ResourceType, string NameVi, string NameEn, string UnitVi, string UnitEn, int Quantity,
    int Pledged, int InTransit, int Arrived, int Asked, int Missing, string PledgedStatus, string InTransitStatus, string ArrivedStatus);
public sealed record PledgeDto(int Id, int LineId, int RequestId, string RequesterCode, string RequesterName, string ResourceType, string DonorCode, string DonorName, int QuantityRequested, int? QuantityAccepted,
    string Status, bool OnBehalf, bool ExclusionOverridden, string? Note, string RequestedBy, string? AnsweredBy, int? PersonTurns,
    DateTime CreatedAt, DateTime? AnsweredAt, DateTime? DispatchedAt, DateTime? ArrivedAt, DateTime? ClosedAt, DateTime? EscalatedAt)
{
    /// <summary>The people behind requestedBy / answeredBy as they are known (display names; the user names stay for the record).</summary>
    public string? RequestedByName { get; init; }
    public string? AnsweredByName { get; init; }
}
public sealed record RequestDto(int Id, string CommuneCode, string CommuneName, string ProvinceCode, double Lon, double Lat, string Hamlet, string Hazard,
    string? Description, string Urgency, DateTime? NeededBy, string Status, int? PossibleDuplicateOf, DateTime CreatedAt, string CreatedBy,
    DateTime? OpenedAt, DateTime? ClosedAt, DateTime? EscalatedAt, string? EscalatedBy, string Summary, IReadOnlyList<LineStatus> Lines, IReadOnlyList<PledgeDto> Pledges)
{
    public string? EscalatedByName { get; init; }
    /// <summary>The registry's hamlet the request was filed for, when one was picked.</summary>
    public int? HamletId { get; init; }
}

/// <summary>User name → display name, for the people a list names.</summary>
public static class PeopleNames
{
    public static async Task<Dictionary<string, string>> OfAsync(CoordinationDb db, IEnumerable<string?> userNames, CancellationToken ct)
    {
        var wanted = userNames.OfType<string>().Distinct().ToList();
        if (wanted.Count == 0) return [];
        return await db.Users.Where(u => wanted.Contains(u.UserName!)).ToDictionaryAsync(u => u.UserName!, u => u.DisplayName, ct);
    }

    public static List<PledgeDto> Named(this List<PledgeDto> list, Dictionary<string, string> names) =>
        list.Select(p => p with { RequestedByName = names.GetValueOrDefault(p.RequestedBy), AnsweredByName = p.AnsweredBy is null ? null : names.GetValueOrDefault(p.AnsweredBy) }).ToList();
}

/// <summary>The request as read: lines with their derived statuses, pledges with the people's names (the handlers are in RequestsApi.cs).</summary>
public static partial class RequestsApi
{
    static string Level(int done, int quantity) => done <= 0 ? "none" : done >= quantity ? "complete" : "partial";

    public static async Task<RequestDto?> LoadAsync(CoordinationDb db, int id, CancellationToken ct) =>
        (await LoadManyAsync(db, [id], ct)).FirstOrDefault();

    /// <summary>
    /// Requests with their lines, pledges and derived statuses, in the order of <paramref name="ids"/> (unknown ids
    /// left out): five queries whatever the number of requests (a province's list used to cost four per request).
    /// </summary>
    public static async Task<List<RequestDto>> LoadManyAsync(CoordinationDb db, IReadOnlyList<int> ids, CancellationToken ct)
    {
        var requests = await db.AidRequests.AsNoTracking().Include(x => x.Lines).Where(x => ids.Contains(x.Id)).ToDictionaryAsync(x => x.Id, ct);
        if (requests.Count == 0) return [];
        var codes = requests.Values.Select(r => r.CommuneCode).Distinct().ToList();
        var communes = await db.Communes.Where(c => codes.Contains(c.Code)).Select(c => new { c.Code, c.Name, c.ProvinceCode }).ToDictionaryAsync(c => c.Code, ct);
        var found = requests.Keys.ToList();
        var rows = await (from p in db.Pledges.AsNoTracking()
                          join l in db.AidRequestLines on p.RequestLineId equals l.Id
                          join c in db.Communes on p.DonorCode equals c.Code
                          where found.Contains(l.RequestId)
                          orderby p.Id
                          select new { l.RequestId, Pledge = new PledgeDto(p.Id, p.RequestLineId, l.RequestId, "", "", l.ResourceType, p.DonorCode, c.Name, p.QuantityRequested,
                              p.QuantityAccepted, p.Status, p.OnBehalf, p.ExclusionOverridden, p.Note, p.RequestedBy, p.AnsweredBy, p.PersonTurns,
                              p.CreatedAt, p.AnsweredAt, p.DispatchedAt, p.ArrivedAt, p.ClosedAt, p.EscalatedAt) }).ToListAsync(ct);
        var people = await PeopleNames.OfAsync(db,
            rows.SelectMany(x => new[] { x.Pledge.RequestedBy, x.Pledge.AnsweredBy }).Concat(requests.Values.Select(r => r.EscalatedBy)), ct);
        var pledgesOf = rows.GroupBy(x => x.RequestId).ToDictionary(g => g.Key, g =>
        {
            var r = requests[g.Key];
            return g.Select(x => x.Pledge with { RequesterCode = r.CommuneCode, RequesterName = communes[r.CommuneCode].Name }).ToList().Named(people);
        });
        var types = await db.ResourceTypes.AsNoTracking().ToDictionaryAsync(t => t.Code, ct);
        return ids.Where(requests.ContainsKey).Select(id =>
        {
            var r = requests[id];
            var commune = communes[r.CommuneCode];
            var pledges = pledgesOf.GetValueOrDefault(id) ?? [];
            var lines = r.Lines.OrderBy(l => l.Id).Select(l => Line(l, pledges, types[l.ResourceType])).ToList();
            return new RequestDto(r.Id, r.CommuneCode, commune.Name, commune.ProvinceCode, r.Location.X, r.Location.Y, r.Hamlet, r.Hazard, r.Description,
                r.Urgency, r.NeededBy, r.Status, r.PossibleDuplicateOf, r.CreatedAt, r.CreatedBy, r.OpenedAt, r.ClosedAt, r.EscalatedAt, r.EscalatedBy,
                Summary(r, lines), lines, pledges)
            {
                EscalatedByName = r.EscalatedBy is null ? null : people.GetValueOrDefault(r.EscalatedBy),
                HamletId = r.HamletId,
            };
        }).ToList();
    }

    static readonly string[] PledgedStates = PledgeMachine.Committed.Wire();
    static readonly string[] MovingStates = [PledgeStatus.Dispatched];   // what has arrived is no longer on the way
    static readonly string[] ArrivedStates = [PledgeStatus.Arrived, PledgeStatus.Returned, PledgeStatus.Consumed];

    static LineStatus Line(AidRequestLine l, List<PledgeDto> pledges, ResourceType t)
    {
        var mine = pledges.Where(p => p.LineId == l.Id).ToList();
        int Sum(string[] states) => mine.Where(p => states.Contains(p.Status)).Sum(p => p.QuantityAccepted ?? 0);
        int pledged = Sum(PledgedStates), moving = Sum(MovingStates), arrived = Sum(ArrivedStates);
        var asked = mine.Where(p => p.Status == PledgeStatus.Requested).Sum(p => p.QuantityRequested);
        return new LineStatus(l.Id, l.ResourceType, t.NameVi, t.NameEn, t.UnitVi, t.UnitEn, l.Quantity, pledged, moving, arrived, asked,
            Math.Max(0, l.Quantity - pledged), Level(pledged, l.Quantity), Level(moving, l.Quantity), Level(arrived, l.Quantity));
    }

    /// <summary>
    /// The request's summary is derived from its lines and names the furthest stage reached: once help has arrived
    /// that is what the requester needs to hear ("partly arrived"; the lines say what is still missing), then what is
    /// on the road, then what is promised.
    /// </summary>
    static string Summary(AidRequest r, List<LineStatus> lines)
    {
        if (r.Status != RequestStatus.Open) return r.Status;
        if (lines.All(l => l.ArrivedStatus == "complete")) return "arrived";
        if (lines.Any(l => l.Arrived > 0)) return "partially_arrived";
        if (lines.Any(l => l.InTransit > 0))
            return lines.All(l => l.InTransit + l.Arrived >= l.Quantity) ? "in_transit" : "partially_in_transit";
        if (lines.All(l => l.PledgedStatus == "complete")) return "pledged";
        if (lines.Any(l => l.PledgedStatus != "none")) return "partially_pledged";
        return lines.Any(l => l.Asked > 0) ? "asked" : "open";
    }
}
