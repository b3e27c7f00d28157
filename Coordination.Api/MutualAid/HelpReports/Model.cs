namespace Coordination.Api.MutualAid.HelpReports;

public static class HelpReportStatus
{
    /// <summary>Received, not yet looked at by anyone who acts for the commune (unverified).</summary>
    public const string Open = "open";
    /// <summary>Someone acting for the commune dealt with it (called back, sent people).</summary>
    public const string Handled = "handled";
    /// <summary>The same need as another report (<see cref="HelpReport.DuplicateOf"/>).</summary>
    public const string Duplicate = "duplicate";
    /// <summary>Turned into an aid request of the commune (<see cref="HelpReport.AidRequestId"/>).</summary>
    public const string Converted = "converted";
    public static readonly string[] All = [Open, Handled, Duplicate, Converted];
}

/// <summary>
/// A citizen's call for help by SMS (<c>CUU &lt;place&gt; &lt;people&gt; [what]</c>, or <c>SOS …</c>), filed for the commune
/// it belongs to: the one named in the text, the commune of a hamlet named in it, or the sender's subscribed commune.
/// Unverified until someone who acts for the commune looks at it; then handled, a duplicate of another, or converted
/// into an aid request. Exactly one report per inbound message (channel + external id).
/// </summary>
public sealed class HelpReport
{
    public int Id { get; set; }
    /// <summary>The sender, E.164. Shown in full only to those who act for the commune (they call back).</summary>
    public required string Phone { get; set; }
    public required string CommuneCode { get; set; }
    /// <summary>The registry's hamlet named in the text, if one was recognised.</summary>
    public int? HamletId { get; set; }
    /// <summary>The place as the citizen wrote it (NFC), e.g. "Bản Xốp"; null when only a number was sent.</summary>
    public string? Place { get; set; }
    /// <summary>The first number of the message: how many people need help.</summary>
    public int? People { get; set; }
    /// <summary>What they need or what happens, as written ("nước ngập mái nhà", "cần thuyền").</summary>
    public string? What { get; set; }
    /// <summary>The whole message as received (NFC).</summary>
    public required string RawText { get; set; }
    /// <summary>Written without diacritics: SMS to this citizen go không dấu.</summary>
    public bool Plain { get; set; }
    public required string Status { get; set; }
    public int? DuplicateOf { get; set; }
    public int? AidRequestId { get; set; }
    /// <summary>What the person who handled it noted (a call-back, who went).</summary>
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? HandledAt { get; set; }
    public string? HandledBy { get; set; }
    /// <summary>The inbound channel (twilio, gateway, …) and its id for the message: a repeated delivery files nothing twice.</summary>
    public required string Channel { get; set; }
    public string? ExternalId { get; set; }
}
