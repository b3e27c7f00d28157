namespace Coordination.Api.Alerts;

/// <summary>
/// A citizen who receives alerts by SMS: one row per phone number (E.164), subscribed to one or more communes.
/// Opted out by SMS (HUY/STOP) means never sent to again — an official re-adding the number does not undo it;
/// only the number itself can (START, or DK which is the citizen's own consent).
/// </summary>
public sealed class Subscriber
{
    public long Id { get; set; }
    public required string Phone { get; set; }
    /// <summary>Send không dấu (GSM-7, cheaper, for phones that show diacritics badly).</summary>
    public bool PrefersFolded { get; set; }
    public required string ConsentSource { get; set; }   // ConsentSource
    public DateTime ConsentAt { get; set; }
    public string? ConsentBy { get; set; }               // the official, or the number itself
    public bool OptedOut { get; set; }
    public DateTime? OptedOutAt { get; set; }
    /// <summary>Member of the designated test group: the only recipients of Test and Exercise alerts.</summary>
    public bool TestGroup { get; set; }
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<SubscriberCommune> Communes { get; set; } = [];
}

public static class ConsentSource
{
    public const string Official = "official", Import = "import", Sms = "sms";
    public static readonly string[] All = [Official, Import, Sms];
}

public sealed class SubscriberCommune
{
    public long SubscriberId { get; set; }
    public required string CommuneCode { get; set; }
}

/// <summary>
/// A message template registered with the operators (Vietnamese operators deliver only pre-registered templates
/// from a registered sender ID). Placeholders in braces: {communes}, {event}, {time}, {place}, {instruction} …
/// Its kind says what it may send: a warning (Alert, Update) or a cancellation / all-clear (Cancel only).
/// </summary>
public sealed class SmsTemplate
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string RegistrationRef { get; set; }
    public required string Text { get; set; }
    public string Kind { get; set; } = TemplateKind.Warning;   // TemplateKind
    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class TemplateKind
{
    /// <summary>Warns of a hazard: for an Alert or an Update.</summary>
    public const string Warning = "warning";
    /// <summary>Ends a warning (cancellation or all-clear): for a Cancel only, so a cancel never reads like a warning.</summary>
    public const string Cancel = "cancel";
    public static readonly string[] All = [Warning, Cancel];

    /// <summary>The kind of template a message type is sent with.</summary>
    public static string For(string msgType) => msgType == CapMsgType.Cancel ? Cancel : Warning;
}

public static class CapStatus
{
    public const string Actual = "Actual", Exercise = "Exercise", Test = "Test";
    public static readonly string[] Allowed = [Actual, Exercise, Test];
}

public static class CapMsgType
{
    public const string Alert = "Alert", Update = "Update", Cancel = "Cancel";
}

public static class AlertState
{
    /// <summary>Extreme severity: waits for a second alert sender (two-person rule).</summary>
    public const string AwaitingApproval = "awaiting_approval";
    /// <summary>Accepted: its rounds are in the outbox; repeats on schedule while active.</summary>
    public const string Active = "active";
    /// <summary>No more rounds: expired, cancelled, superseded by an update, or a one-off whose round is out.</summary>
    public const string Ended = "ended";
    /// <summary>Refused by the second approver.</summary>
    public const string Rejected = "rejected";
}

/// <summary>An alert to the public: CAP fields, the targeted communes (or a drawn area), the SMS text and its schedule.</summary>
public sealed class Alert
{
    public int Id { get; set; }
    public required string Identifier { get; set; }      // CAP identifier, no spaces/commas
    public required string Sender { get; set; }          // CAP sender
    public required string SenderName { get; set; }      // the official, shown in CAP senderName
    public required string CreatedBy { get; set; }
    public string? CreatedById { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string Status { get; set; }          // CapStatus
    public required string MsgType { get; set; }         // CapMsgType
    public int? ReferencesAlertId { get; set; }
    public required string Category { get; set; }
    public required string Event { get; set; }
    public required string Urgency { get; set; }
    public required string Severity { get; set; }
    public required string Certainty { get; set; }
    public required string Headline { get; set; }
    public string? Description { get; set; }
    public string? Instruction { get; set; }
    public DateTime Effective { get; set; }
    public DateTime Expires { get; set; }
    public int? TemplateId { get; set; }
    public string? TemplateRef { get; set; }
    /// <summary>The SMS text (NFC), and its không dấu form for subscribers who prefer it or when folding is chosen.</summary>
    public required string Body { get; set; }
    public required string BodyFolded { get; set; }
    public bool Fold { get; set; }
    /// <summary>Drawn area (polygon, or a circle kept as centre + radius and its polygon), when not picked by commune.</summary>
    public Polygon? Area { get; set; }
    public Point? CircleCentre { get; set; }
    public double? CircleRadiusKm { get; set; }
    public int? RiskLevel { get; set; }
    public int? RepeatEveryMinutes { get; set; }
    public DateTime? NextRoundAt { get; set; }
    public required string State { get; set; }          // AlertState
    public string? ApprovedBy { get; set; }
    public DateTime? ApprovedAt { get; set; }
    public string? EndedReason { get; set; }
    public DateTime? EndedAt { get; set; }
    public List<AlertCommune> Communes { get; set; } = [];
}

public sealed class AlertCommune
{
    public int AlertId { get; set; }
    public required string CommuneCode { get; set; }
}

/// <summary>One broadcast of an alert (the first, or a re-broadcast): one outbox row per recipient.</summary>
public sealed class AlertRound
{
    public int Id { get; set; }
    public int AlertId { get; set; }
    public int Number { get; set; }
    public DateTime CreatedAt { get; set; }
    public int Recipients { get; set; }
}

/// <summary>
/// The outbox: one SMS to one number in one round, inserted set-based with the round. States (never backwards):
/// queued → sending (claimed with a lease) → accepted (Twilio has it) → sent → delivered | undelivered;
/// sending → uncertain (timeout/5xx/lease lost: reconcile with Twilio's list before any resend) → accepted | queued;
/// queued → failed (final Twilio error) | opted_out | cancelled | expired.
/// </summary>
/// <summary>
/// One SMS to one number in the outbox: a round of an alert (alert and round set, text from the alert), or any other
/// text — a reply to an inbound SMS, a notification to a duty phone — with its own body.
/// </summary>
public sealed class SmsMessage
{
    public long Id { get; set; }
    public int? RoundId { get; set; }
    public int? AlertId { get; set; }
    /// <summary>What it is (<see cref="SmsKind"/>): only alerts obey a citizen's opt-out; a reply to their own STOP must still go.</summary>
    public string Kind { get; set; } = SmsKind.Alert;
    /// <summary>The text of a message that is not an alert's (an alert's text is the alert's, folded or not).</summary>
    public string? Body { get; set; }
    public required string Phone { get; set; }
    public bool Folded { get; set; }
    public short Segments { get; set; }
    public required string Status { get; set; }
    public short Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public Guid? ClaimedBy { get; set; }
    public DateTime? AttemptStartedAt { get; set; }
    public string? TwilioSid { get; set; }
    /// <summary>Which way it went out, set at claim: "twilio" or "gateway:NAME" (null: not claimed yet, or claimed before providers were recorded — Twilio then).</summary>
    public string? Provider { get; set; }
    public int? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class SmsKind
{
    public const string Alert = "alert", Reply = "reply", Notification = "notification", HelpReport = "help_report";
    public static readonly string[] All = [Alert, Reply, Notification, HelpReport];
}

public static class SmsStatus
{
    public const string Queued = "queued", Sending = "sending", Uncertain = "uncertain", Accepted = "accepted", Sent = "sent",
        Delivered = "delivered", Undelivered = "undelivered", Failed = "failed", OptedOut = "opted_out", Cancelled = "cancelled", Expired = "expired";
    public static readonly string[] All = [Queued, Sending, Uncertain, Accepted, Sent, Delivered, Undelivered, Failed, OptedOut, Cancelled, Expired];

    /// <summary>Order for "never backwards": a status update applies only when it ranks higher.</summary>
    public const string RankSql = "CASE {0} WHEN 'queued' THEN 0 WHEN 'sending' THEN 1 WHEN 'uncertain' THEN 1 WHEN 'accepted' THEN 2 WHEN 'sent' THEN 3 ELSE 4 END";

    /// <summary>Twilio's MessageStatus to ours (null: not a delivery status we track).</summary>
    public static string? FromTwilio(string? status) => status switch
    {
        "queued" or "accepted" or "scheduled" => Accepted,
        "sending" or "sent" => Sent,
        "delivered" or "read" => Delivered,
        "undelivered" => Undelivered,
        "failed" or "canceled" => Failed,
        _ => null,
    };

    /// <summary>The Android gateway's message or recipient state to ours (null: unknown).</summary>
    public static string? FromGateway(string? state) => state switch
    {
        "Pending" or "Processed" => Accepted,
        "Sent" => Sent,
        "Delivered" => Delivered,
        "Failed" => Failed,
        _ => null,
    };
}

/// <summary>An SMS that reached us (Twilio or the local gateway), and what we answered.</summary>
public sealed class InboundSms
{
    public long Id { get; set; }
    public required string Channel { get; set; }          // twilio | gateway (the neutral webhook) | gateway:NAME (an Android gateway's events)
    public string? ExternalId { get; set; }
    public required string From { get; set; }
    public required string Body { get; set; }
    public required string Keyword { get; set; }
    public required string Reply { get; set; }
    public DateTime ReceivedAt { get; set; }
}
