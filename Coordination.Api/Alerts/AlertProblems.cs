namespace Coordination.Api.Alerts;

/// <summary>The problem codes of the alert capability (the web words each one in Vietnamese and English).</summary>
[ProblemCodes]
public static class AlertProblems
{
    // Alerts
    /// <summary>The alert is not in the state the move needs; <c>state</c>.</summary>
    public const string AlertState = "alerts.alert.state";
    /// <summary>The alert expired before it was approved.</summary>
    public const string AlertExpired = "alerts.alert.expired";
    /// <summary>404: no such alert (or it is not published); <c>key</c>.</summary>
    public const string AlertNotFound = "alerts.alert.not_found";
    /// <summary>400: the alert cannot be sent as it is; <c>fieldCodes</c> says which fields and why.</summary>
    public const string AlertInvalid = "alerts.alert.invalid";
    /// <summary>403: the user lacks the alert-sender permission.</summary>
    public const string SenderRequired = "alerts.sender.required";
    /// <summary>403: some target communes (of the alert, or of the alert it updates) are outside the user's scope; <c>communes</c>.</summary>
    public const string AlertOutsideScope = "alerts.alert.outside_scope";
    /// <summary>403: the author of an Extreme alert cannot be its second approver.</summary>
    public const string OwnApproval = "alerts.alert.own_approval";
    /// <summary>403: the SMS log names recipients' numbers; only for those who act for one of the alert's communes; <c>alertId</c>.</summary>
    public const string SmsLogOutsideScope = "alerts.sms_log.outside_scope";

    // Subscribers
    /// <summary>The number opted out by SMS; only the number itself can subscribe again. <c>phone</c>, <c>optedOutAt</c>.</summary>
    public const string OptedOut = "alerts.subscriber.opted_out";
    /// <summary>404: no such subscriber among the communes the user acts for; <c>key</c>.</summary>
    public const string SubscriberNotFound = "alerts.subscriber.not_found";
    /// <summary>404: the subscriber is not subscribed to that commune; <c>key</c> (subscriber/commune).</summary>
    public const string SubscriptionNotFound = "alerts.subscription.not_found";
    /// <summary>403: communes the user does not act for (a list, an addition, a removal or a file); <c>communes</c>.</summary>
    public const string SubscriberOutsideScope = "alerts.subscriber.outside_scope";

    // Templates
    /// <summary>A template with that name exists already; <c>name</c>.</summary>
    public const string TemplateNameTaken = "alerts.template.name_taken";
    /// <summary>404: no such template; <c>key</c>.</summary>
    public const string TemplateNotFound = "alerts.template.not_found";
    /// <summary>400: the template is not valid; <c>fieldCodes</c> says which fields and why.</summary>
    public const string TemplateInvalid = "alerts.template.invalid";

    // Webhooks
    /// <summary>403: the webhook is not configured on this server, so no request can be verified.</summary>
    public const string WebhookNotConfigured = "alerts.webhook.not_configured";
    /// <summary>403: the request's signature is missing or does not match.</summary>
    public const string WebhookSignature = "alerts.webhook.signature";
    /// <summary>403: the gateway's timestamp is missing or too far from now; <c>maxSkewSeconds</c>.</summary>
    public const string WebhookTimestamp = "alerts.webhook.timestamp";
    /// <summary>404: a status callback for a message we do not know; <c>key</c> (our id or Twilio's Sid).</summary>
    public const string MessageNotFound = "alerts.message.not_found";

    // Field codes (in fieldCodes) particular to alerts; the common ones are in CommonProblems.
    /// <summary>Field: references given on an Alert (only an Update or a Cancel references an earlier alert).</summary>
    public const string FieldReferencesUnexpected = "alerts.field.references_unexpected";
    /// <summary>Field: the referenced alert cannot be updated or cancelled (a cancellation, rejected, or already ended).</summary>
    public const string FieldReferencesEnded = "alerts.field.references_ended";
    /// <summary>Field: an Update/Cancel must have the status (Actual, Test, Exercise) of the alert it references.</summary>
    public const string FieldStatusMismatch = "alerts.field.status_mismatch";
    /// <summary>Field: a cancellation is not repeated.</summary>
    public const string FieldCancelRepeated = "alerts.field.cancel_repeated";
    /// <summary>Field: more than one kind of target (communes, area, circle) given.</summary>
    public const string FieldTargetsAmbiguous = "alerts.field.targets_ambiguous";
    /// <summary>Field: the drawn area or circle touches no commune.</summary>
    public const string FieldAreaEmpty = "alerts.field.area_empty";
    /// <summary>Field: a template and a free text given together.</summary>
    public const string FieldTemplateAndText = "alerts.field.template_and_text";
    /// <summary>Field: the template's kind (warning / cancellation) does not fit the message type.</summary>
    public const string FieldTemplateKind = "alerts.field.template_kind";
    /// <summary>Field: free text is not allowed in this deployment (registered templates only).</summary>
    public const string FieldFreeTextDisallowed = "alerts.field.free_text_disallowed";
    /// <summary>Field: the message is more SMS per recipient than the deployment allows (Sms:MaxSegmentsPerMessage).
    /// Facts: characters, encoding, segments, max.</summary>
    public const string FieldTooManySegments = "alerts.field.too_many_segments";
    /// <summary>Field: even without diacritics the message is more SMS per recipient than allowed (facts as above).</summary>
    public const string FieldTooManySegmentsFolded = "alerts.field.too_many_segments_folded";
    /// <summary>Field: a cancellation repeats the instruction of the alert it cancels.</summary>
    public const string FieldCancelRepeatsInstruction = "alerts.field.cancel_repeats_instruction";
    /// <summary>Field: a template placeholder is not a lower-case name in braces.</summary>
    public const string FieldPlaceholder = "alerts.field.placeholder";

    // Row codes of a subscriber file (in rowProblems: row, column, value), one sentence per row.
    /// <summary>Row: the phone column is not a mobile number we can send to.</summary>
    public const string ImportPhoneInvalid = "alerts.import.phone_invalid";
    /// <summary>Row: no commune code.</summary>
    public const string ImportCommunesMissing = "alerts.import.communes_missing";
    /// <summary>Row: commune codes that do not exist (value lists them).</summary>
    public const string ImportCommuneUnknown = "alerts.import.commune_unknown";
    /// <summary>Row: a yes/no column (folded, test_group) holds something else.</summary>
    public const string ImportFlagInvalid = "alerts.import.flag_invalid";
    /// <summary>Row: the note is longer than 200 characters.</summary>
    public const string ImportNoteTooLong = "alerts.import.note_too_long";
}
