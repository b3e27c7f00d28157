namespace Coordination.Api.MutualAid;

/// <summary>
/// The problem codes of mutual aid (the web words each one in Vietnamese and English, aid/problems.*.json).
/// </summary>
[ProblemCodes]
public static class AidProblems
{
    // 409

    /// <summary>The pledge is not in a status the move is allowed from; <c>pledgeId</c>, <c>state</c>, <c>move</c>, <c>allowedFrom</c>.</summary>
    public const string PledgeState = "aid.pledge.state";
    /// <summary>The request is not in a status the change is allowed from; <c>requestId</c>, <c>state</c>.</summary>
    public const string RequestState = "aid.request.state";
    /// <summary>Donors are asked (and asks accepted) only while the request is open; <c>requestId</c>, <c>state</c>.</summary>
    public const string RequestNotOpen = "aid.request.not_open";
    /// <summary>The donor has less available than it would accept; <c>available</c>.</summary>
    public const string NotEnoughStock = "aid.pledge.stock_insufficient";
    /// <summary>On hand cannot go below what accepted pledges reserve; <c>reserved</c>.</summary>
    public const string BelowReserved = "aid.inventory.below_reserved";
    /// <summary>A line cannot go below what donors were asked for or committed; <c>held</c>.</summary>
    public const string BelowPledged = "aid.inventory.below_pledged";
    /// <summary>The commune has a recent open request for the same hazard (send confirmDuplicate); <c>duplicateOf</c>.</summary>
    public const string PossibleDuplicate = "aid.request.possible_duplicate";
    /// <summary>The request already has a line of that type; <c>lineId</c> (when known).</summary>
    public const string LineExists = "aid.line.exists";
    /// <summary>The donor is affected itself (own open request or inside an active flood); <c>donorCode</c>.</summary>
    public const string DonorAffected = "aid.pledge.donor_affected";
    /// <summary>The donor was already asked for this line and has not answered; <c>donorCode</c>.</summary>
    public const string AlreadyAsked = "aid.pledge.already_asked";
    /// <summary>The request was escalated to the province already; <c>escalatedBy</c>.</summary>
    public const string AlreadyEscalated = "aid.request.already_escalated";
    /// <summary>That side of the agreement has signed already.</summary>
    public const string AlreadySigned = "aid.agreement.already_signed";
    /// <summary>A consumable type is recorded as consumed, not returned; <c>resourceType</c>.</summary>
    public const string Consumable = "aid.pledge.consumable";
    /// <summary>A returnable type goes back to the donor, it is not consumed; <c>resourceType</c>.</summary>
    public const string Returnable = "aid.pledge.returnable";
    /// <summary>Somebody changed it meanwhile; reload.</summary>
    public const string Changed = "aid.changed";

    // 404

    /// <summary>No such aid request; <c>entity</c>, <c>key</c>.</summary>
    public const string RequestNotFound = "aid.request.not_found";
    /// <summary>No such request line; <c>entity</c>, <c>key</c>.</summary>
    public const string LineNotFound = "aid.line.not_found";
    /// <summary>No such pledge; <c>entity</c>, <c>key</c>.</summary>
    public const string PledgeNotFound = "aid.pledge.not_found";
    /// <summary>No such agreement; <c>entity</c>, <c>key</c>.</summary>
    public const string AgreementNotFound = "aid.agreement.not_found";
    /// <summary>No such commune (its inventory was asked for); <c>entity</c>, <c>key</c>.</summary>
    public const string CommuneNotFound = "aid.commune.not_found";

    // 403

    /// <summary>Only those who act for the donor commune make this move; <c>donorCode</c>, <c>move</c>.</summary>
    public const string DonorSideOnly = "aid.pledge.donor_side_only";
    /// <summary>Only those who act for the requesting commune make this move (or ask donors); <c>requesterCode</c>, <c>move</c>.</summary>
    public const string RequesterSideOnly = "aid.pledge.requester_side_only";
    /// <summary>Asking (or listing) affected donors is for a commander, a province operator or an administrator.</summary>
    public const string ExclusionCommandOnly = "aid.exclusion.command_only";
    /// <summary>Escalating a request to the province is for the command above the commune (not its leader).</summary>
    public const string EscalateCommandOnly = "aid.request.escalate_command_only";
    /// <summary>Resource types are reference data: administrators add them.</summary>
    public const string ResourceTypeAdminOnly = "aid.resource_type.admin_only";
    /// <summary>The user does not act for the side of the agreement they would sign; <c>communeCode</c>.</summary>
    public const string NotYourSide = "aid.agreement.not_your_side";

    // Field codes (in fieldCodes).

    /// <summary>The place is not inside the requesting commune.</summary>
    public const string FieldOutsideCommune = "aid.field.outside_commune";
    /// <summary>One line per resource type (or per lender and type).</summary>
    public const string FieldDuplicateLine = "aid.field.duplicate_line";
    /// <summary>A pledge is for more than the line asks.</summary>
    public const string FieldExceedsLine = "aid.field.exceeds_line";
    /// <summary>The resource type code exists already.</summary>
    public const string FieldTaken = "aid.field.taken";
}
