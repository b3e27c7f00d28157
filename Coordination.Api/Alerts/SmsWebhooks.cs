using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Coordination.Api.Data;
using Coordination.Api.Kernel;
using Coordination.Api.Alerts.Sms;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Coordination.Api.Alerts;

public sealed record GatewayInbound(string? From, string? Body, string? Id);
public sealed record GatewayReply(string Keyword, string Reply);
public sealed record SmsGatewayStatus(bool Configured, string Mode, string? From, string? MessagingServiceSid, double MaxSegmentsPerSecond, bool AllowFreeText,
    bool StatusCallbacks, bool TwilioInbound, bool GatewayInbound);

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
        group.MapGet("/gateway", (IOptions<TwilioOptions> t, IOptions<SmsOptions> s) =>
        {
            var o = t.Value;
            return TypedResults.Ok(new SmsGatewayStatus(o.Configured, o.Configured ? "twilio" : "outbox-only", o.From, o.MessagingServiceSid, o.MaxSegmentsPerSecond,
                s.Value.AllowFreeText, !string.IsNullOrEmpty(o.StatusCallbackUrl), !string.IsNullOrEmpty(s.Value.PublicBaseUrl) && !string.IsNullOrEmpty(o.AuthToken),
                !string.IsNullOrEmpty(s.Value.GatewaySecret)));
        }).RequireAuthorization(Policies.Authenticated).WithSummary("How SMS leave (Twilio, or outbox-only when not configured) and at what rate.");

        var hooks = group.MapGroup("/").AllowAnonymous().RequireRateLimiting(RateLimit).DisableAntiforgery();
        hooks.MapPost("/twilio/status", Status).WithSummary("Twilio StatusCallback (MessageStatus, ErrorCode); ?m= carries our message id.");
        hooks.MapPost("/twilio/inbound", TwilioInbound).WithSummary("Twilio inbound SMS; answers TwiML.");
        hooks.MapPost("/gateway/inbound", Gateway).WithSummary("Local SMS gateway inbound: JSON {from, body, id}; signed; answers {keyword, reply} for the gateway to send.");
    }

    static ProblemHttpResult Forged(string detail) =>
        TypedResults.Problem(title: "Signature missing or invalid.", detail: detail, statusCode: StatusCodes.Status403Forbidden);

    /// <summary>Twilio signs the full URL it called (query included) and the sorted form fields.</summary>
    static async Task<(IFormCollection? Form, ProblemHttpResult? Problem)> VerifyTwilioAsync(HttpRequest request, string? publicUrl, string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(publicUrl) || string.IsNullOrEmpty(token))
            return (null, Forged("This webhook is not configured (public URL and Twilio:AuthToken), so no request can be verified."));
        if (!request.HasFormContentType) return (null, TypedResults.Problem(title: "Form body expected.", detail: "Twilio posts application/x-www-form-urlencoded.", statusCode: 400));
        var form = await request.ReadFormAsync(ct);
        var url = publicUrl.Split('?')[0] + request.QueryString.Value;
        var fields = form.ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
        return TwilioSignature.Verify(token, url, fields, request.Headers["X-Twilio-Signature"].ToString())
            ? (form, null)
            : (null, Forged("X-Twilio-Signature does not match this request."));
    }

    static async Task<Results<Ok, ValidationProblem, ProblemHttpResult>> Status(HttpRequest request, long? m, CoordinationDb db, IOptions<TwilioOptions> twilio, CancellationToken ct)
    {
        var (form, problem) = await VerifyTwilioAsync(request, twilio.Value.StatusCallbackUrl, twilio.Value.AuthToken, ct);
        if (problem is not null) return problem;
        var sid = form!["MessageSid"].ToString();
        var raw = form["MessageStatus"].ToString();
        if (sid.Length == 0 || raw.Length == 0) return Problems.BadParameter("MessageStatus", "MessageSid and MessageStatus are required.");
        var status = SmsStatus.FromTwilio(raw);
        if (status is null) return TypedResults.Ok();   // receiving/received and the like: nothing to record
        int? code = int.TryParse(form["ErrorCode"].ToString(), out var c) ? c : null;
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        // Never backwards: callbacks arrive out of order and more than once. The id in the URL attributes a callback
        // even when we crashed before storing the Sid; the Sid must then agree with any Sid we have.
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
        var updated = await cmd.ExecuteScalarAsync(ct);
        if (updated is null)
        {
            var exists = m is not null ? await db.SmsMessages.AnyAsync(x => x.Id == m, ct) : await db.SmsMessages.AnyAsync(x => x.TwilioSid == sid, ct);
            if (!exists) return Problems.NotFound("message", m?.ToString() ?? sid);
        }
        return TypedResults.Ok();
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
        var (form, problem) = await VerifyTwilioAsync(request, publicUrl, twilio.Value.AuthToken, ct);
        if (problem is not null) return problem;
        var from = form!["From"].ToString();
        var body = form["Body"].ToString();
        if (from.Length == 0) return Problems.BadParameter("From", "From is required.");
        if (body.Length > 1600) return Problems.BadParameter("Body", "Body is longer than 1,600 characters.");
        var sid = form["MessageSid"].ToString();
        var outcome = await handler.HandleAsync("twilio", sid.Length > 0 ? sid[..Math.Min(64, sid.Length)] : null, from, body, ct);
        return TwiML(outcome.Reply);
    }

    static async Task<Results<Ok<GatewayReply>, ValidationProblem, ProblemHttpResult>> Gateway(HttpRequest request, InboundSmsHandler handler, IOptions<SmsOptions> sms,
        TimeProvider clock, CancellationToken ct)
    {
        var secret = sms.Value.GatewaySecret;
        if (string.IsNullOrEmpty(secret)) return Forged("The local gateway webhook is not configured (Sms:GatewaySecret).");
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > 16_384) return Problems.BadParameter("body", "the request is too large.");
        var raw = buffer.ToArray();
        var ts = request.Headers[GatewayTimestampHeader].ToString();
        if (!long.TryParse(ts, out var seconds) || Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - seconds) > sms.Value.GatewayMaxSkewSeconds)
            return Forged($"{GatewayTimestampHeader} must be the current Unix time in seconds (within {sms.Value.GatewayMaxSkewSeconds} s).");
        if (!GatewaySignature.Verify(secret, ts, raw, request.Headers[GatewaySignatureHeader].ToString()))
            return Forged($"{GatewaySignatureHeader} must be hex HMAC-SHA256(secret, timestamp + \".\" + body).");
        GatewayInbound? input;
        try { input = JsonSerializer.Deserialize<GatewayInbound>(raw, JsonSerializerOptions.Web); }
        catch (JsonException e) { return Problems.BadParameter("body", $"not valid JSON: {e.Message}"); }
        if (string.IsNullOrWhiteSpace(input?.From)) return Problems.BadParameter("from", "from (the sender's number) is required.");
        if (input.Body is null || input.Body.Length > 1600) return Problems.BadParameter("body", "body is required (up to 1,600 characters).");
        if (input.Id?.Length > 64) return Problems.BadParameter("id", "id is limited to 64 characters.");
        var outcome = await handler.HandleAsync("gateway", input.Id, input.From, input.Body, ct);
        return TypedResults.Ok(new GatewayReply(outcome.Keyword, outcome.Reply));
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
