namespace Coordination.Api.MutualAid;

/// <summary>A pledge's status; stored and sent as the <see cref="PledgeStatus"/> strings (see <see cref="PledgeMachine.Wire(PledgeState)"/>).</summary>
public enum PledgeState { Requested, Accepted, Declined, Cancelled, Dispatched, Arrived, Returned, Consumed }

/// <summary>What someone does to a pledge; sent in the URL and written in audit actions and notification kinds as "pledge.{wire}".</summary>
public enum PledgeMove { Accept, Decline, Cancel, Dispatch, Arrive, Return, Consume, Escalate }

/// <summary>Who makes a move: those who act for the donor commune, or for the requesting one (or nobody: the system).</summary>
public enum PledgeSide { Donor, Requester, System }

/// <summary>The answer of the machine: the next status, or a refusal naming the statuses the move is allowed from.</summary>
public sealed record PledgeTransition(PledgeState From, PledgeMove Move, PledgeState? To, IReadOnlyList<PledgeState> AllowedFrom)
{
    public bool Allowed => To is not null;
}

/// <summary>
/// The pledge's life in one table. An ask starts <see cref="PledgeState.Requested"/>; requested → accepted (reserves
/// stock) | declined | cancelled (withdrawn); accepted → dispatched (leaves the donor's stock) | cancelled; dispatched →
/// arrived; arrived → returned (back into the donor's stock) or consumed. An unanswered ask escalates once, staying
/// requested. Declined, cancelled, returned and consumed are final. The entity keeps the status as its string
/// (the database and the JSON are unchanged); the table works on the enums.
/// </summary>
public static class PledgeMachine
{
    public const PledgeState Initial = PledgeState.Requested;

    /// <summary>(from, move) → to. Every pair not in the table is refused.</summary>
    public static readonly IReadOnlyDictionary<(PledgeState From, PledgeMove Move), PledgeState> Table = new Dictionary<(PledgeState, PledgeMove), PledgeState>
    {
        [(PledgeState.Requested, PledgeMove.Accept)] = PledgeState.Accepted,
        [(PledgeState.Requested, PledgeMove.Decline)] = PledgeState.Declined,
        [(PledgeState.Requested, PledgeMove.Cancel)] = PledgeState.Cancelled,
        [(PledgeState.Requested, PledgeMove.Escalate)] = PledgeState.Requested,
        [(PledgeState.Accepted, PledgeMove.Cancel)] = PledgeState.Cancelled,
        [(PledgeState.Accepted, PledgeMove.Dispatch)] = PledgeState.Dispatched,
        [(PledgeState.Dispatched, PledgeMove.Arrive)] = PledgeState.Arrived,
        [(PledgeState.Arrived, PledgeMove.Return)] = PledgeState.Returned,
        [(PledgeState.Arrived, PledgeMove.Consume)] = PledgeState.Consumed,
    };

    /// <summary>Which side makes each move.</summary>
    public static PledgeSide SideOf(PledgeMove move) => move switch
    {
        PledgeMove.Accept or PledgeMove.Decline or PledgeMove.Dispatch or PledgeMove.Return => PledgeSide.Donor,
        PledgeMove.Cancel or PledgeMove.Arrive or PledgeMove.Consume => PledgeSide.Requester,
        _ => PledgeSide.System,
    };

    /// <summary>The statuses a move is allowed from, in the order of the enum.</summary>
    public static IReadOnlyList<PledgeState> AllowedFrom(PledgeMove move) =>
        Enum.GetValues<PledgeState>().Where(s => Table.ContainsKey((s, move))).ToList();

    /// <summary>The next status, or a refusal with the statuses the move is allowed from.</summary>
    public static PledgeTransition Next(PledgeState from, PledgeMove move) =>
        new(from, move, Table.TryGetValue((from, move), out var to) ? to : null, AllowedFrom(move));

    /// <summary>The same on the stored string; an unknown status allows nothing.</summary>
    public static PledgeTransition Next(string from, PledgeMove move) =>
        TryParse(from, out var state) ? Next(state, move) : new(default, move, null, AllowedFrom(move));

    /// <summary>A status nothing moves out of.</summary>
    public static bool IsTerminal(PledgeState state) => !Table.Keys.Any(k => k.From == state);

    /// <summary>Statuses in which the donor has committed the quantity (accepted or further along).</summary>
    public static readonly IReadOnlyList<PledgeState> Committed = [PledgeState.Accepted, PledgeState.Dispatched, PledgeState.Arrived, PledgeState.Returned, PledgeState.Consumed];

    /// <summary>Statuses in which a pledge holds its quantity on the line (asked and unanswered, or committed).</summary>
    public static readonly IReadOnlyList<PledgeState> Holding = [PledgeState.Requested, .. Committed];

    public static string Wire(this PledgeState state) => state switch
    {
        PledgeState.Requested => PledgeStatus.Requested,
        PledgeState.Accepted => PledgeStatus.Accepted,
        PledgeState.Declined => PledgeStatus.Declined,
        PledgeState.Cancelled => PledgeStatus.Cancelled,
        PledgeState.Dispatched => PledgeStatus.Dispatched,
        PledgeState.Arrived => PledgeStatus.Arrived,
        PledgeState.Returned => PledgeStatus.Returned,
        PledgeState.Consumed => PledgeStatus.Consumed,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static string[] Wire(this IEnumerable<PledgeState> states) => states.Select(s => s.Wire()).ToArray();

    public static bool TryParse(string? wire, out PledgeState state)
    {
        foreach (var s in Enum.GetValues<PledgeState>())
            if (s.Wire() == wire) { state = s; return true; }
        state = default;
        return false;
    }

    public static string Wire(this PledgeMove move) => move switch
    {
        PledgeMove.Accept => "accept", PledgeMove.Decline => "decline", PledgeMove.Cancel => "cancel", PledgeMove.Dispatch => "dispatch",
        PledgeMove.Arrive => "arrive", PledgeMove.Return => "return", PledgeMove.Consume => "consume", PledgeMove.Escalate => "escalate",
        _ => throw new ArgumentOutOfRangeException(nameof(move), move, null),
    };
}
