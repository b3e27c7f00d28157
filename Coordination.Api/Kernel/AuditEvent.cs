namespace Coordination.Api.Kernel;

/// <summary>
/// One row of the append-only audit log: who did what, when, from where, on which entity, with
/// before/after where it matters. A database trigger refuses UPDATE and DELETE on the table.
/// CommuneCode/ProvinceCode place the event so that commanders and operators see only their scope.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string? ActorId { get; set; }
    public string? ActorName { get; set; }
    public string? Ip { get; set; }
    /// <summary>Where the action came from: "web" (the API, whatever the client) or "sms" (a command texted by a registered official).</summary>
    public string Channel { get; set; } = AuditChannel.Web;
    public required string Action { get; set; }
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }
    public string? CommuneCode { get; set; }
    public string? ProvinceCode { get; set; }
    public JsonDocument? Before { get; set; }
    public JsonDocument? After { get; set; }
    public string? Detail { get; set; }
}

public static class AuditChannel
{
    public const string Web = "web", Sms = "sms";

    /// <summary>The HttpContext item that names the channel of the actions taken within it (absent: the web).</summary>
    public const string Item = "coordination.audit_channel";
}
