using System.Text.Json;

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
    public required string Action { get; set; }
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }
    public string? CommuneCode { get; set; }
    public string? ProvinceCode { get; set; }
    public JsonDocument? Before { get; set; }
    public JsonDocument? After { get; set; }
    public string? Detail { get; set; }
}

public static class AuditActions
{
    public const string
        AidRequestFiled = "aid_request.filed", AidRequestStatus = "aid_request.status", AidRequestAmended = "aid_request.amended", PledgeAsked = "pledge.asked",
        InventoryChanged = "inventory.changed", AgreementCreated = "agreement.created", AgreementSigned = "agreement.signed",
        ResourceTypeCreated = "resource_type.created", PledgeEscalated = "pledge.escalated", AidRequestEscalated = "aid_request.escalated",
        AlertCreated = "alert.created", AlertApproved = "alert.approved", AlertRejected = "alert.rejected",
        SubscriberAdded = "subscriber.added", SubscriberChanged = "subscriber.changed", SubscribersImported = "subscriber.imported",
        SubscriberSms = "subscriber.sms_keyword", SmsTemplateCreated = "sms_template.created", SmsTemplateChanged = "sms_template.changed";
}
