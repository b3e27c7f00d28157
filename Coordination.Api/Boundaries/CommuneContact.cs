namespace Coordination.Api.Boundaries;

/// <summary>
/// How to reach a commune's duty desk (trực ban) in an emergency — what a neighbour or the defense area needs
/// first. Owned by the commune: only those who act for it may change it.
/// </summary>
public sealed class CommuneContact
{
    public required string CommuneCode { get; set; }
    public string? DutyPhone { get; set; }
    public string? DutyOfficer { get; set; }
    public string? Note { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}
