namespace Coordination.Api.Alerts;

/// <summary>Audit action names of the alert capability (alerts, subscribers, SMS templates).</summary>
public static class AlertAudit
{
    public const string AlertCreated = "alert.created", AlertApproved = "alert.approved", AlertRejected = "alert.rejected",
        SubscriberAdded = "subscriber.added", SubscriberChanged = "subscriber.changed", SubscribersImported = "subscriber.imported",
        SubscriberSms = "subscriber.sms_keyword", SmsTemplateCreated = "sms_template.created", SmsTemplateChanged = "sms_template.changed";
}
