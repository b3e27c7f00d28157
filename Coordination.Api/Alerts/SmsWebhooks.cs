using System.Security.Cryptography;
using System.Xml.Linq;
using Coordination.Api.Alerts.Delivery;
using Coordination.Api.Alerts.Sms;

namespace Coordination.Api.Alerts;

public sealed record GatewayInbound(string? From, string? Body, string? Id);
public sealed record GatewayReply(string Keyword, string Reply);
/// <summary>An Android gateway app's webhook: {deviceId, event, id (the delivery id), payload, webhookId}.</summary>
public sealed record GatewayEvent(string? DeviceId, string? Event, string? Id, GatewayEventPayload? Payload, string? WebhookId);
public sealed record GatewayEventPayload(string? MessageId, string? PhoneNumber, int? SimNumber, string? Message, string? Reason);
/// <summary>Recorded: this event changed something (false: late, repeated, or not ours).</summary>
public sealed record GatewayEventAck(string Event, bool Recorded);
/// <summary>
/// How SMS leave. Configured/From/MaxSegmentsPerSecond are Twilio's; Mode is <c>twilio</c>, <c>gateway</c>,
/// <c>gateway+twilio</c> or <c>outbox-only</c>; LocalGateways are the Android phones, which take the numbers starting
/// with GatewayPrefixes (empty without a gateway), at MessagesPerMinute together.
/// </summary>
public sealed record SmsGatewayStatus(bool Configured, string Mode, string? From, string? MessagingServiceSid, double MaxSegmentsPerSecond, bool AllowFreeText,
    bool StatusCallbacks, bool TwilioInbound, bool GatewayInbound, List<LocalGatewayStatus> LocalGateways, string[] GatewayPrefixes, double? MessagesPerMinute);
/// <summary>One Android gateway: its SIM's rate (0: no cap), which SIM, and whether its events can be verified and reach us (a signing key and Sms:PublicBaseUrl).</summary>
public sealed record LocalGatewayStatus(string Name, double MessagesPerMinute, int? SimNumber, bool Events);

/// <summary>
/// Webhooks: Twilio's status callbacks and inbound SMS (X-Twilio-Signature checked against the public URL Twilio
/// called, from configuration — not the URL Kestrel sees behind a proxy), and a gateway-neutral inbound webhook for
/// Vietnam (HMAC-SHA256 with a shared secret over "timestamp.body"). Anonymous by nature, so rate limited per
/// client address (429 + Retry-After). A request that fails verification is 403 and changes nothing.
/// </summary>
public static class SmsWebhooks
{
    public const string RateLimit = "webhook";
    public const string GatewaySignatureHeader = "X-Gateway-Signature", GatewayTimestampHeader = "X-Gateway-Timestamp";

    public static void MapSmsWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sms").WithTags("SMS");
        group.MapGet("/gateway", (IOptions<TwilioOptions> t, IOptions<SmsOptions> s, SmsProviders providers) =>
        {
            var o = t.Value;
            var gateways = providers.Gateways;
            var mode = (gateways.Count > 0, o.Configured) switch { (true, true) => "gateway+twilio", (true, false) => "gateway", (false, true) => "twilio", _ => "outbox-only" };
            var events = !string.IsNullOrEmpty(s.Value.PublicBaseUrl);
            return TypedResults.Ok(new SmsGatewayStatus(o.Configured, mode, o.From, o.MessagingServiceSid, o.MaxSegmentsPerSecond,
                s.Value.AllowFreeText, !string.IsNullOrEmpty(o.StatusCallbackUrl), !string.IsNullOrEmpty(s.Value.PublicBaseUrl) && !string.IsNullOrEmpty(o.AuthToken),
                !string.IsNullOrEmpty(s.Value.GatewaySecret),
                gateways.Select(g => new LocalGatewayStatus(g.Name, g.MessagesPerMinute, g.SimNumber, events && !string.IsNullOrEmpty(g.SigningKey))).ToList(),
                providers.GatewayPrefixes,
                gateways.Count == 0 || gateways.Any(g => g.MessagesPerMinute <= 0) ? null : gateways.Sum(g => g.MessagesPerMinute)));
        }).RequireAuthorization(Policies.Authenticated).WithSummary("How SMS leave (the local gateways for their prefixes, Twilio, or outbox-only when nothing is configured) and at what rate.");

        var hooks = group.MapGroup("/").AllowAnonymous().RequireRateLimiting(RateLimit).DisableAntiforgery();
        hooks.MapPost("/twilio/status", Status).WithSummary("Twilio StatusCallback (MessageStatus, ErrorCode); ?m= carries our message id.");
        hooks.MapPost("/twilio/inbound", TwilioInbound).WithSummary("Twilio inbound SMS; answers TwiML.");
        hooks.MapPost("/gateway/inbound", Gateway).WithSummary("Local SMS gateway inbound: JSON {from, body, id}; signed; answers {keyword, reply} for the gateway to send.");
        hooks.MapPost("/gateways/{name}/events", GatewayEvent)
            .WithSummary("Events of the Android SMS-gateway app {name}: sms:sent/delivered/failed move our message forward, sms:received is answered through the outbox; signed with X-Signature/X-Timestamp.");
    }

    static ProblemHttpResult NotConfigured(string detail) =>
        Problems.Status(StatusCodes.Status403Forbidden, "Signature missing or invalid.", detail, AlertProblems.WebhookNotConfigured);

    static ProblemHttpResult Forged(string detail) =>
        Problems.Status(StatusCodes.Status403Forbidden, "Signature missing or invalid.", detail, AlertProblems.WebhookSignature);

    /// <summary>A verified Twilio form, or why the request is refused: 403 (not configured, forged) or 400 (not a form).</summary>
    sealed record TwilioRequest(IFormCollection? Form, ProblemHttpResult? Refused = null, ValidationProblem? Malformed = null);

    /// <summary>Twilio signs the full URL it called (query included) and the sorted form fields.</summary>
    static async Task<TwilioRequest> VerifyTwilioAsync(HttpRequest request, string? publicUrl, string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(publicUrl) || string.IsNullOrEmpty(token))
            return new(null, NotConfigured("This webhook is not configured (public URL and Twilio:AuthToken), so no request can be verified."));
        if (!request.HasFormContentType) return new(null, Malformed: Problems.BadParameter("body", "Twilio posts application/x-www-form-urlencoded.", CommonProblems.FieldMalformed));
        var form = await request.ReadFormAsync(ct);
        var url = publicUrl.Split('?')[0] + request.QueryString.Value;
        var fields = form.ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
        return TwilioSignature.Verify(token, url, fields, request.Headers["X-Twilio-Signature"].ToString())
            ? new(form)
            : new(null, Forged("X-Twilio-Signature does not match this request."));
    }

    static async Task<Results<Ok, ValidationProblem, ProblemHttpResult>> Status(HttpRequest request, long? m, CoordinationDb db, IOptions<TwilioOptions> twilio, CancellationToken ct)
    {
        var (form, refused, malformed) = await VerifyTwilioAsync(request, twilio.Value.StatusCallbackUrl, twilio.Value.AuthToken, ct);
        if (refused is not null) return refused;
        if (malformed is not null) return malformed;
        var sid = form!["MessageSid"].ToString();
        var raw = form["MessageStatus"].ToString();
        if (sid.Length == 0 || raw.Length == 0)
            return Problems.BadParameter(sid.Length == 0 ? "MessageSid" : "MessageStatus", "MessageSid and MessageStatus are required.", CommonProblems.FieldRequired);
        var status = SmsStatus.FromTwilio(raw);
        if (status is null) return TypedResults.Ok();   // receiving/received and the like: nothing to record
        int? code = int.TryParse(form["ErrorCode"].ToString(), out var c) ? c : null;
        if (!await RecordStatusAsync(db, m, sid, status, code, ct))
        {
            var exists = m is not null ? await db.SmsMessages.AnyAsync(x => x.Id == m, ct) : await db.SmsMessages.AnyAsync(x => x.TwilioSid == sid, ct);
            if (!exists) return Problems.NotFound("message", m?.ToString() ?? sid, AlertProblems.MessageNotFound);
        }
        return TypedResults.Ok();
    }

    /// <summary>
    /// Moves a message forward to the callback's status; false when nothing moved. Never backwards: callbacks arrive
    /// out of order and more than once. The id in the URL attributes a callback even when we crashed before storing
    /// the Sid; the Sid must then agree with any Sid we have.
    /// </summary>
    static async Task<bool> RecordStatusAsync(CoordinationDb db, long? m, string sid, string status, int? code, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            WITH target AS (SELECT id FROM sms_messages WHERE (@m::bigint IS NOT NULL AND id = @m) OR (@m::bigint IS NULL AND twilio_sid = @sid))
            UPDATE sms_messages s SET status = @status, twilio_sid = COALESCE(s.twilio_sid, @sid), error_code = COALESCE(@code, s.error_code),
                   lease_until = NULL, claimed_by = NULL, updated_at = now()
            FROM target
            WHERE s.id = target.id AND (s.twilio_sid IS NULL OR s.twilio_sid = @sid)
              AND {string.Format(SmsStatus.RankSql, "s.status")} < {string.Format(SmsStatus.RankSql, "@status")}
            RETURNING s.id
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter("m", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)m ?? DBNull.Value });
        cmd.Parameters.AddWithValue("sid", sid);
        cmd.Parameters.AddWithValue("status", status);
        cmd.Parameters.Add(new NpgsqlParameter("code", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)code ?? DBNull.Value });
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    static IResult TwiML(string reply)
    {
        var response = new XElement("Response");
        if (reply.Length > 0) response.Add(new XElement("Message", reply));
        return Results.Text(new XDeclaration("1.0", "UTF-8", null) + response.ToString(SaveOptions.DisableFormatting), "application/xml", Encoding.UTF8);
    }

    static async Task<IResult> TwilioInbound(HttpRequest request, InboundSmsHandler handler, IOptions<TwilioOptions> twilio, IOptions<SmsOptions> sms, CancellationToken ct)
    {
        var publicUrl = string.IsNullOrEmpty(sms.Value.PublicBaseUrl) ? null : sms.Value.PublicBaseUrl.TrimEnd('/') + request.Path;
        var (form, refused, malformed) = await VerifyTwilioAsync(request, publicUrl, twilio.Value.AuthToken, ct);
        if (refused is not null) return refused;
        if (malformed is not null) return malformed;
        var from = form!["From"].ToString();
        var body = form["Body"].ToString();
        if (from.Length == 0) return Problems.BadParameter("From", "From is required.", CommonProblems.FieldRequired);
        if (body.Length > 1600) return Problems.BadParameter("Body", "Body is longer than 1,600 characters.", CommonProblems.FieldTooLong, new { Max = 1600 });
        var sid = form["MessageSid"].ToString();
        var outcome = await handler.HandleAsync("twilio", sid.Length > 0 ? sid[..Math.Min(64, sid.Length)] : null, from, body, ct);
        return TwiML(outcome.Reply);
    }

    static async Task<Results<Ok<GatewayReply>, ValidationProblem, ProblemHttpResult>> Gateway(HttpRequest request, InboundSmsHandler handler, IOptions<SmsOptions> sms,
        TimeProvider clock, CancellationToken ct)
    {
        var secret = sms.Value.GatewaySecret;
        if (string.IsNullOrEmpty(secret)) return NotConfigured("The local gateway webhook is not configured (Sms:GatewaySecret).");
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > 16_384) return Problems.BadParameter("body", "the request is too large.", CommonProblems.FieldTooLong, new { MaxBytes = 16_384 });
        var raw = buffer.ToArray();
        if (VerifyGateway(request.Headers, raw, secret, sms.Value.GatewayMaxSkewSeconds, clock) is { } refused) return refused;
        GatewayInbound? input;
        try { input = JsonSerializer.Deserialize<GatewayInbound>(raw, JsonSerializerOptions.Web); }
        catch (JsonException e) { return Problems.BadParameter("body", $"not valid JSON: {e.Message}", CommonProblems.FieldMalformed); }
        if (string.IsNullOrWhiteSpace(input?.From)) return Problems.BadParameter("from", "from (the sender's number) is required.", CommonProblems.FieldRequired);
        if (input.Body is null || input.Body.Length > 1600)
            return Problems.BadParameter("body", "body is required (up to 1,600 characters).", input.Body is null ? CommonProblems.FieldRequired : CommonProblems.FieldTooLong, new { Max = 1600 });
        if (input.Id?.Length > 64) return Problems.BadParameter("id", "id is limited to 64 characters.", CommonProblems.FieldTooLong, new { Max = 64 });
        var outcome = await handler.HandleAsync("gateway", input.Id, input.From, input.Body, ct);
        return TypedResults.Ok(new GatewayReply(outcome.Keyword, outcome.Reply));
    }

    /// <summary>
    /// One event of an Android gateway phone (capcom6 app, local server mode), verified with that gateway's signing
    /// key over the raw body and the timestamp. Statuses attribute by the message id we gave (m-ID) and move only
    /// forward; an inbound SMS is handled once per delivery id and its reply queued in the same transaction (the app
    /// does not send what a webhook answers). A message id that is not ours (sent from the phone by hand) changes nothing.
    /// </summary>
    static async Task<Results<Ok<GatewayEventAck>, ValidationProblem, ProblemHttpResult>> GatewayEvent(string name, HttpRequest request, CoordinationDb db,
        InboundSmsHandler handler, IOptions<SmsOptions> sms, TimeProvider clock, CancellationToken ct)
    {
        var gateway = sms.Value.Gateways.FirstOrDefault(g => g.Name == name && !string.IsNullOrEmpty(g.Name));
        if (gateway is null || string.IsNullOrEmpty(gateway.SigningKey))
            return NotConfigured($"No gateway named '{name}' with a signing key is configured (Sms:Gateways), so no request can be verified.");
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > 16_384) return Problems.BadParameter("body", "the request is too large.", CommonProblems.FieldTooLong, new { MaxBytes = 16_384 });
        var raw = buffer.ToArray();
        var ts = request.Headers[GatewayEventSignature.TimestampHeader].ToString();
        var skew = sms.Value.GatewayMaxSkewSeconds;
        if (!long.TryParse(ts, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - seconds) > skew)
            return Problems.Status(StatusCodes.Status403Forbidden, "Signature missing or invalid.",
                $"{GatewayEventSignature.TimestampHeader} must be the current Unix time in seconds (within {skew} s).", AlertProblems.WebhookTimestamp, new { MaxSkewSeconds = skew });
        if (!GatewayEventSignature.Verify(gateway.SigningKey, raw, ts, request.Headers[GatewayEventSignature.SignatureHeader].ToString()))
            return Forged($"{GatewayEventSignature.SignatureHeader} must be hex HMAC-SHA256(signing key, body + {GatewayEventSignature.TimestampHeader}).");
        GatewayEvent? e;
        try { e = JsonSerializer.Deserialize<GatewayEvent>(raw, JsonSerializerOptions.Web); }
        catch (JsonException x) { return Problems.BadParameter("body", $"not valid JSON: {x.Message}", CommonProblems.FieldMalformed); }
        if (string.IsNullOrEmpty(e?.Event)) return Problems.BadParameter("event", "event is required.", CommonProblems.FieldRequired);
        if (e.Payload is null) return Problems.BadParameter("payload", "payload is required.", CommonProblems.FieldRequired);
        var p = e.Payload;
        switch (e.Event)
        {
            case "sms:sent" or "sms:delivered" or "sms:failed":
                if (string.IsNullOrEmpty(p.MessageId)) return Problems.BadParameter("payload.messageId", "payload.messageId is required.", CommonProblems.FieldRequired);
                if (GatewayClient.OutboxId(p.MessageId) is not { } id) return TypedResults.Ok(new GatewayEventAck(e.Event, false));
                var status = e.Event switch { "sms:sent" => SmsStatus.Sent, "sms:delivered" => SmsStatus.Delivered, _ => SmsStatus.Failed };
                if (await RecordGatewayStatusAsync(db, id, gateway.Provider, status, p.Reason, ct)) return TypedResults.Ok(new GatewayEventAck(e.Event, true));
                // Late or repeated: fine. A message this gateway never sent: say so.
                return await db.SmsMessages.AnyAsync(m => m.Id == id && m.Provider == gateway.Provider, ct)
                    ? TypedResults.Ok(new GatewayEventAck(e.Event, false))
                    : Problems.NotFound("message", p.MessageId, AlertProblems.MessageNotFound);
            case "sms:received":
                if (string.IsNullOrEmpty(e.Id)) return Problems.BadParameter("id", "id (the delivery id) is required.", CommonProblems.FieldRequired);
                if (e.Id.Length > 64) return Problems.BadParameter("id", "id is limited to 64 characters.", CommonProblems.FieldTooLong, new { Max = 64 });
                if (string.IsNullOrWhiteSpace(p.PhoneNumber)) return Problems.BadParameter("payload.phoneNumber", "payload.phoneNumber (the sender) is required.", CommonProblems.FieldRequired);
                if (p.Message is null || p.Message.Length > 1600)
                    return Problems.BadParameter("payload.message", "payload.message is required (up to 1,600 characters).",
                        p.Message is null ? CommonProblems.FieldRequired : CommonProblems.FieldTooLong, new { Max = 1600 });
                var now = clock.GetUtcNow().UtcDateTime;
                var outcome = await handler.HandleAsync(GatewayOptions.ProviderPrefix + name, e.Id, p.PhoneNumber, p.Message, ct,
                    async (phone, reply, token) =>
                    {
                        Outbox.EnqueueText(db, phone, reply, SmsKind.Reply, now);
                        await db.SaveChangesAsync(token);
                    });
                return TypedResults.Ok(new GatewayEventAck(e.Event, !outcome.Repeated));
            default:
                return TypedResults.Ok(new GatewayEventAck(e.Event, false));   // system:ping, sms:data-received …: nothing to record
        }
    }

    /// <summary>Moves a gateway message forward (never backwards: events arrive late, out of order and more than once); false when nothing moved.</summary>
    static async Task<bool> RecordGatewayStatusAsync(CoordinationDb db, long id, string provider, string status, string? reason, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            UPDATE sms_messages s SET status = @status, error_message = COALESCE(left(@reason, 300), s.error_message),
                   lease_until = NULL, claimed_by = NULL, updated_at = now()
            WHERE s.id = @id AND s.provider = @provider
              AND {string.Format(SmsStatus.RankSql, "s.status")} < {string.Format(SmsStatus.RankSql, "@status")}
            RETURNING s.id
            """, conn);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("provider", provider);
        cmd.Parameters.AddWithValue("status", status);
        cmd.Parameters.Add(new NpgsqlParameter("reason", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)reason ?? DBNull.Value });
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>The gateway's timestamp must be now (within the allowed skew) and its signature must match; null when both hold.</summary>
    static ProblemHttpResult? VerifyGateway(IHeaderDictionary headers, byte[] raw, string secret, int maxSkewSeconds, TimeProvider clock)
    {
        var ts = headers[GatewayTimestampHeader].ToString();
        if (!long.TryParse(ts, out var seconds) || Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - seconds) > maxSkewSeconds)
            return Problems.Status(StatusCodes.Status403Forbidden, "Signature missing or invalid.",
                $"{GatewayTimestampHeader} must be the current Unix time in seconds (within {maxSkewSeconds} s).", AlertProblems.WebhookTimestamp, new { MaxSkewSeconds = maxSkewSeconds });
        return GatewaySignature.Verify(secret, ts, raw, headers[GatewaySignatureHeader].ToString()) ? null
            : Forged($"{GatewaySignatureHeader} must be hex HMAC-SHA256(secret, timestamp + \".\" + body).");
    }
}

/// <summary>The local gateway's signature: hex HMAC-SHA256 of "timestamp.body" with the shared secret.</summary>
public static class GatewaySignature
{
    public static string Compute(string secret, string timestamp, byte[] body)
    {
        var data = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));
    }

    public static bool Verify(string secret, string timestamp, byte[] body, string? signature) =>
        !string.IsNullOrEmpty(signature) && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Compute(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature.Trim().ToLowerInvariant()));
}
