namespace Coordination.Api.MutualAid;

/// <summary>What a pledge move needs to know of the pledge, its line's type and the two communes.</summary>
public sealed record PledgeRow(Pledge P, string ResourceType, string Requester, int RequestId, string RequestStatus, bool Returnable, bool Persons,
    string RequesterName, string DonorName, string NameVi, string NameEn, string UnitVi, string UnitEn)
{
    public NotificationTexts.TypeWords Words => new(NameVi, NameEn, UnitVi, UnitEn);

    /// <summary>The commune whose officials make the move.</summary>
    public string CommuneOf(PledgeSide side) => side == PledgeSide.Donor ? P.DonorCode : Requester;
}

/// <summary>The rules of asking and answering, without the database: field checks and refusals of a move.</summary>
public static class PledgeRules
{
    public const int MaxNote = 500;

    /// <summary>A note as stored: NFC, trimmed, null when empty.</summary>
    public static string? CleanNote(string? note) => SearchKey.Nfc(note)?.Trim() is { Length: > 0 } n ? n : null;

    public static List<FieldError> AskErrors(PledgeRequestInput body, bool donorExists, int lineQuantity)
    {
        var errors = new List<FieldError>();
        if (!donorExists)
            errors.Add(new("donorCode", body.DonorCode is null ? CommonProblems.FieldRequired : CommonProblems.FieldUnknown, "donorCode must be an existing commune."));
        if (body.Quantity is null or <= 0 or > RequestsApi.MaxQuantity)
            errors.Add(new("quantity", body.Quantity is null ? CommonProblems.FieldRequired : CommonProblems.FieldOutOfRange,
                $"quantity must be a whole number from 1 to {RequestsApi.MaxQuantity:N0}."));
        else if (body.Quantity > lineQuantity) errors.Add(ExceedsLine(lineQuantity));
        if (CleanNote(body.Note)?.Length > MaxNote) errors.Add(new("note", CommonProblems.FieldTooLong, "note is at most 500 characters."));
        return errors;
    }

    public static FieldError ExceedsLine(int lineQuantity) =>
        new("quantity", AidProblems.FieldExceedsLine, $"the line asks for {lineQuantity}; a pledge cannot be for more.");

    /// <summary>Why the move cannot be made in the pledge's (and its request's) current state, or null.</summary>
    public static ProblemHttpResult? MoveRefusal(PledgeRow row, PledgeTransition t)
    {
        var (id, move) = (row.P.Id, t.Move.Wire());
        if (!t.Allowed)
            return Problems.Conflict($"Pledge #{id} is {row.P.Status}; it cannot be {move}ed now (only from {string.Join(" or ", t.AllowedFrom.Wire())}).",
                AidProblems.PledgeState, new { PledgeId = id, State = row.P.Status, Move = move, AllowedFrom = t.AllowedFrom.Wire() });
        if (t.Move == PledgeMove.Return && !row.Returnable)
            return Problems.Conflict($"{row.ResourceType} is consumable: record it as consumed, not returned.", AidProblems.Consumable, new { row.ResourceType });
        if (t.Move == PledgeMove.Consume && row.Returnable)
            return Problems.Conflict($"{row.ResourceType} is returnable: it goes back to the donor (return), it is not consumed.", AidProblems.Returnable, new { row.ResourceType });
        if (t.Move == PledgeMove.Accept && MutualAid.RequestStatus.Open != row.RequestStatus)
            return Problems.Conflict($"The request is {row.RequestStatus}: nothing to accept any more.", AidProblems.RequestNotOpen, new { row.RequestId, State = row.RequestStatus });
        return null;
    }

    /// <summary>The fields of a move: the accepted quantity (1..asked), person-turns, the note.</summary>
    public static List<FieldError> MoveErrors(PledgeMove move, int quantity, int asked, int? personTurns, string? note)
    {
        var errors = new List<FieldError>();
        if (move == PledgeMove.Accept && (quantity <= 0 || quantity > asked))
            errors.Add(new("quantity", CommonProblems.FieldOutOfRange, $"accept between 1 and the {asked} asked."));
        if (personTurns is < 0 or > 10_000_000) errors.Add(new("personTurns", CommonProblems.FieldOutOfRange, "personTurns must be 0 or more."));
        if (CleanNote(note)?.Length > MaxNote) errors.Add(new("note", CommonProblems.FieldTooLong, "note is at most 500 characters."));
        return errors;
    }

    /// <summary>The quantity a donor accepts, read from JSON: absent = all that was asked; present, it must be a whole number.</summary>
    public static (int? Quantity, ValidationProblem? Bad) AcceptedQuantity(AcceptInput? body)
    {
        var q = body?.Quantity ?? default;
        if (q.ValueKind == System.Text.Json.JsonValueKind.Undefined) return (null, null);
        if (q.ValueKind == System.Text.Json.JsonValueKind.Number && q.TryGetInt32(out var n)) return (n, null);
        return (null, Problems.BadParameter("quantity", "quantity must be a whole number from 1 to what was asked (leave it out to accept all).", CommonProblems.FieldMalformed));
    }
}
