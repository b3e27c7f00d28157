namespace Coordination.Api.Boundaries;

/// <summary>
/// How to reach a commune's duty desk (trực ban) in an emergency — what a neighbour or the defense area needs
/// first. Owned by the commune: only those who act for it may change it.
/// </summary>
public sealed class CommuneContact
{
    public required string CommuneCode { get; set; }
    public string? DutyPhone { get; set; }
    /// <summary>The duty phone in E.164 when it is a mobile: the number whose SMS commands act for the commune (README "SMS commands").</summary>
    public string? DutyMobile { get; set; }
    public string? DutyOfficer { get; set; }
    public string? Note { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}
