using Coordination.Api.MutualAid;

namespace Coordination.Tests.Aid;

/// <summary>The pledge's transition table on its own: no database, no HTTP.</summary>
public class PledgeMachineTests
{
    /// <summary>Every move the table allows, written out once more by hand: (from, move, to).</summary>
    public static readonly TheoryData<PledgeState, PledgeMove, PledgeState> Allowed = new()
    {
        { PledgeState.Requested, PledgeMove.Accept, PledgeState.Accepted },
        { PledgeState.Requested, PledgeMove.Decline, PledgeState.Declined },
        { PledgeState.Requested, PledgeMove.Cancel, PledgeState.Cancelled },
        { PledgeState.Requested, PledgeMove.Escalate, PledgeState.Requested },
        { PledgeState.Accepted, PledgeMove.Cancel, PledgeState.Cancelled },
        { PledgeState.Accepted, PledgeMove.Dispatch, PledgeState.Dispatched },
        { PledgeState.Dispatched, PledgeMove.Arrive, PledgeState.Arrived },
        { PledgeState.Arrived, PledgeMove.Return, PledgeState.Returned },
        { PledgeState.Arrived, PledgeMove.Consume, PledgeState.Consumed },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void An_allowed_move_answers_the_next_status(PledgeState from, PledgeMove move, PledgeState to)
    {
        var t = PledgeMachine.Next(from, move);
        Assert.True(t.Allowed);
        Assert.Equal(to, t.To);
        Assert.Contains(from, t.AllowedFrom);
        // The same through the stored string.
        Assert.Equal(to, PledgeMachine.Next(from.Wire(), move).To);
    }

    public static TheoryData<PledgeState, PledgeMove> Refused()
    {
        var allowed = Allowed.Select(row => ((PledgeState)row[0], (PledgeMove)row[1])).ToHashSet();
        var data = new TheoryData<PledgeState, PledgeMove>();
        foreach (var s in Enum.GetValues<PledgeState>())
            foreach (var m in Enum.GetValues<PledgeMove>())
                if (!allowed.Contains((s, m))) data.Add(s, m);
        return data;
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Any_other_move_is_refused_naming_the_statuses_it_is_allowed_from(PledgeState from, PledgeMove move)
    {
        var t = PledgeMachine.Next(from, move);
        Assert.False(t.Allowed);
        Assert.Null(t.To);
        Assert.DoesNotContain(from, t.AllowedFrom);
        var expected = Allowed.Where(row => (PledgeMove)row[1] == move).Select(row => (PledgeState)row[0]).ToList();
        Assert.Equal(expected, t.AllowedFrom);
    }

    [Fact]
    public void The_table_holds_exactly_the_allowed_moves()
    {
        Assert.Equal(Allowed.Count, PledgeMachine.Table.Count);
        foreach (var row in Allowed) Assert.Equal((PledgeState)row[2], PledgeMachine.Table[((PledgeState)row[0], (PledgeMove)row[1])]);
    }

    [Theory]
    [InlineData(PledgeState.Declined, true)]
    [InlineData(PledgeState.Cancelled, true)]
    [InlineData(PledgeState.Returned, true)]
    [InlineData(PledgeState.Consumed, true)]
    [InlineData(PledgeState.Requested, false)]
    [InlineData(PledgeState.Accepted, false)]
    [InlineData(PledgeState.Dispatched, false)]
    [InlineData(PledgeState.Arrived, false)]
    public void Declined_cancelled_returned_and_consumed_are_final(PledgeState state, bool terminal)
    {
        Assert.Equal(terminal, PledgeMachine.IsTerminal(state));
        if (terminal) Assert.All(Enum.GetValues<PledgeMove>(), m => Assert.False(PledgeMachine.Next(state, m).Allowed));
    }

    [Fact]
    public void Statuses_and_moves_keep_their_stored_and_wire_strings()
    {
        Assert.Equal(["requested", "accepted", "declined", "cancelled", "dispatched", "arrived", "returned", "consumed"],
            Enum.GetValues<PledgeState>().Select(s => s.Wire()));
        Assert.Equal([PledgeStatus.Requested, PledgeStatus.Accepted, PledgeStatus.Declined, PledgeStatus.Cancelled, PledgeStatus.Dispatched,
            PledgeStatus.Arrived, PledgeStatus.Returned, PledgeStatus.Consumed], Enum.GetValues<PledgeState>().Select(s => s.Wire()));
        Assert.Equal(["accept", "decline", "cancel", "dispatch", "arrive", "return", "consume", "escalate"], Enum.GetValues<PledgeMove>().Select(m => m.Wire()));
        foreach (var s in Enum.GetValues<PledgeState>())
        {
            Assert.True(PledgeMachine.TryParse(s.Wire(), out var back));
            Assert.Equal(s, back);
        }
        Assert.False(PledgeMachine.TryParse("lost", out _));
        Assert.False(PledgeMachine.Next("lost", PledgeMove.Accept).Allowed);
        Assert.Equal(PledgeState.Requested, PledgeMachine.Initial);
    }

    [Fact]
    public void The_donor_answers_dispatches_and_takes_back_the_requester_withdraws_and_receives()
    {
        Assert.All(new[] { PledgeMove.Accept, PledgeMove.Decline, PledgeMove.Dispatch, PledgeMove.Return }, m => Assert.Equal(PledgeSide.Donor, PledgeMachine.SideOf(m)));
        Assert.All(new[] { PledgeMove.Cancel, PledgeMove.Arrive, PledgeMove.Consume }, m => Assert.Equal(PledgeSide.Requester, PledgeMachine.SideOf(m)));
        Assert.Equal(PledgeSide.System, PledgeMachine.SideOf(PledgeMove.Escalate));
    }

    [Fact]
    public void A_refused_move_keeps_the_wording_of_the_pledge_state_problem()
    {
        var row = new PledgeRow(new Pledge { Id = 7, DonorCode = "17248", Status = "declined", RequestedBy = "x" }, "boat", "17254", 3, RequestStatus.Open,
            true, false, "Con Cuông", "Châu Khê", "Thuyền", "Boat", "chiếc", "boats");
        var problem = PledgeRules.MoveRefusal(row, PledgeMachine.Next(row.P.Status, PledgeMove.Cancel));
        Assert.NotNull(problem);
        Assert.Equal(409, problem.StatusCode);
        Assert.Equal("Pledge #7 is declined; it cannot be canceled now (only from requested or accepted).", problem.ProblemDetails.Detail);
        Assert.Equal(AidProblems.PledgeState, problem.ProblemDetails.Extensions["code"]);
        Assert.Equal("declined", problem.ProblemDetails.Extensions["state"]);
        Assert.Equal(["requested", "accepted"], (string[])problem.ProblemDetails.Extensions["allowedFrom"]!);
    }
}
