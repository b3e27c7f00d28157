namespace Coordination.Api.MutualAid;

/// <summary>The four pillars of "4 tại chỗ": command, forces, means &amp; materials, logistics.</summary>
public static class Pillar
{
    public const string Command = "command", Forces = "forces", Means = "means", Logistics = "logistics";
    public static readonly string[] All = [Command, Forces, Means, Logistics];
}

/// <summary>A type of resource: its pillar, unit, and whether it comes back (boats, people) or is used up (food, sandbags).</summary>
public sealed class ResourceType
{
    public required string Code { get; set; }          // "boat", "militia", "drinking_water"
    public required string Pillar { get; set; }
    public required string NameVi { get; set; }
    public required string NameEn { get; set; }
    public required string UnitVi { get; set; }
    public required string UnitEn { get; set; }
    public bool Returnable { get; set; }
    /// <summary>Counted in persons: what arrives is recorded as person-turns for the after-action report.</summary>
    public bool Persons { get; set; }
    /// <summary>
    /// The most one request line may ask for: a plausibility limit against typing slips (1,000,000 boats), set per
    /// type in the catalogue from what a commune-level operation can use; null = the general maximum.
    /// </summary>
    public int? MaxPerLine { get; set; }
}

/// <summary>
/// A commune's stock of one type. Available = on hand − reserved, never negative (a CHECK constraint; reservations
/// are made by a single conditional UPDATE, so concurrent accepts cannot over-commit).
/// </summary>
public sealed class InventoryItem
{
    public required string CommuneCode { get; set; }
    public required string ResourceType { get; set; }
    public int OnHand { get; set; }
    public int Reserved { get; set; }
    public int Available { get; private set; }           // generated: on_hand − reserved
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

public static class Urgency
{
    public const string LifeThreatening = "life_threatening", Urgent = "urgent", Needed = "needed";
    public static readonly string[] All = [LifeThreatening, Urgent, Needed];
}

public static class RequestStatus
{
    public const string Draft = "draft", Open = "open", Closed = "closed", Cancelled = "cancelled";
}

/// <summary>A commune's request for help at a point (and hamlet) of its territory.</summary>
public sealed class AidRequest
{
    public int Id { get; set; }
    public required string CommuneCode { get; set; }
    public required Point Location { get; set; }        // EPSG:4326, inside the commune
    public required string Hamlet { get; set; }         // thôn / bản / tổ dân phố, as text (kept when the registry's hamlet goes)
    /// <summary>The registry's hamlet when it was picked (the point and name followed it); null for free text.</summary>
    public int? HamletId { get; set; }
    public required string Hazard { get; set; }         // HazardKind (flood, flash_flood, landslide) or "storm", "other"
    public string? Description { get; set; }
    public required string Urgency { get; set; }
    public DateTime? NeededBy { get; set; }
    public required string Status { get; set; }
    /// <summary>Set when filed while another open request of the commune for the same hazard was recent: flagged, not merged.</summary>
    public int? PossibleDuplicateOf { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime? OpenedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    /// <summary>Set when the command passes the request up to the province (neighbours and the area are not enough).</summary>
    public DateTime? EscalatedAt { get; set; }
    public string? EscalatedBy { get; set; }
    public List<AidRequestLine> Lines { get; set; } = [];
}

/// <summary>One line of a request: a type and a quantity. Pledged / in transit / arrived are derived from its pledges.</summary>
public sealed class AidRequestLine
{
    public int Id { get; set; }
    public int RequestId { get; set; }
    public required string ResourceType { get; set; }
    public int Quantity { get; set; }
}

public static class PledgeStatus
{
    public const string Requested = "requested", Accepted = "accepted", Declined = "declined", Cancelled = "cancelled",
        Dispatched = "dispatched", Arrived = "arrived", Returned = "returned", Consumed = "consumed";
}

/// <summary>
/// A donor's commitment to a request line. requested → accepted (reserves stock) | declined | cancelled;
/// accepted → dispatched (leaves the donor's stock) → arrived → returned (back into the donor's stock) or consumed.
/// </summary>
public sealed class Pledge
{
    public int Id { get; set; }
    public int RequestLineId { get; set; }
    public required string DonorCode { get; set; }
    public int QuantityRequested { get; set; }
    public int? QuantityAccepted { get; set; }
    public required string Status { get; set; }
    public required string RequestedBy { get; set; }
    public bool OnBehalf { get; set; }                  // sent by a commander for the requesting commune
    public bool ExclusionOverridden { get; set; }       // a commander asked an affected donor anyway
    public string? Note { get; set; }
    public string? AnsweredBy { get; set; }
    public int? PersonTurns { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? AnsweredAt { get; set; }
    public DateTime? DispatchedAt { get; set; }
    public DateTime? ArrivedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public DateTime? EscalatedAt { get; set; }
}

/// <summary>A standing mutual-aid agreement between two communes (quy chế phối hợp); active when both have signed.</summary>
public sealed class Agreement
{
    public int Id { get; set; }
    public required string CommuneA { get; set; }       // CommuneA &lt; CommuneB
    public required string CommuneB { get; set; }
    public DateOnly ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public string? ContactA { get; set; }
    public string? ContactB { get; set; }
    public string? SignedABy { get; set; }
    public DateTime? SignedAAt { get; set; }
    public string? SignedBBy { get; set; }
    public DateTime? SignedBAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public List<AgreementLine> Lines { get; set; } = [];
}

/// <summary>What one side will lend under an agreement, up to a quantity.</summary>
public sealed class AgreementLine
{
    public int AgreementId { get; set; }
    public required string LenderCode { get; set; }
    public required string ResourceType { get; set; }
    public int MaxQuantity { get; set; }
}

public static class Audience
{
    /// <summary>Those who act for the commune: its leaders, and the commander, operator and administrators above them.</summary>
    public const string Commune = "commune";
    /// <summary>Only the command above the commune: its defense-area commander, province operator, administrators.</summary>
    public const string Command = "command";
}

/// <summary>
/// Something an official must see at once (a pledge asked of their commune, an answer, an escalation). Written in
/// the same transaction as the change it reports, so it cannot be lost; the web receives it live (server-sent
/// events) and the SMS gateway will read the same rows.
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }
    public required string CommuneCode { get; set; }
    public required string Audience { get; set; }
    public required string Kind { get; set; }
    public int? RequestId { get; set; }
    public int? PledgeId { get; set; }
    public required string TextVi { get; set; }
    public required string TextEn { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// A command texted by an official that waits for its confirmation code (README "SMS commands"): the folded text
/// is run again, under the rules of that moment, when the same phone answers "XN code" before it expires.
/// </summary>
public sealed class SmsConfirmation
{
    public long Id { get; set; }
    public required string Phone { get; set; }
    public required string Code { get; set; }
    public required string Command { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
}

/// <summary>How far the notifications have been relayed by SMS (one row): moved in the same transaction as the SMS it queued.</summary>
public sealed class NotificationSmsCursor
{
    public int Id { get; set; }
    public long LastNotificationId { get; set; }
    public DateTime UpdatedAt { get; set; }
}
