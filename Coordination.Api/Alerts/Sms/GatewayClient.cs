using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Coordination.Api.Alerts.Sms;

/// <summary>
/// One Android phone running the SMS-gateway app (capcom6/android-sms-gateway) in local-server mode: its own SIM
/// sends to Vietnamese numbers, where Twilio cannot deliver reliably or receive. Section <c>Sms:Gateways</c>, a list.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>Short name (letters, digits, '-'): the webhook path <c>/api/sms/gateways/{Name}/events</c> and the outbox's provider <c>gateway:{Name}</c>.</summary>
    public string Name { get; set; } = "";
    /// <summary>The phone's local API, e.g. http://192.168.1.20:8080.</summary>
    public string BaseUrl { get; set; } = "";
    public string User { get; set; } = "sms";
    public string? Password { get; set; }
    /// <summary>The app's webhook signing key: X-Signature = hex HMAC-SHA256(key, body + X-Timestamp).</summary>
    public string? SigningKey { get; set; }
    /// <summary>What the SIM may send, in SMS per minute (each part of a long message is one SMS to the carrier), for all dispatcher processes together.</summary>
    public double MessagesPerMinute { get; set; } = 6;
    /// <summary>Which SIM of a dual-SIM phone (1-based); the app's default when unset.</summary>
    public int? SimNumber { get; set; }
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>A usable name (it ends up in a URL path and in "gateway:NAME", 40 characters), an absolute URL and a password.</summary>
    public bool Configured => Name.Length is > 0 and <= 32 && Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
        && Uri.TryCreate(BaseUrl, UriKind.Absolute, out _) && !string.IsNullOrEmpty(Password);
    /// <summary>The outbox's provider name of this gateway.</summary>
    public string Provider => ProviderPrefix + Name;
    public const string ProviderPrefix = "gateway:";
}

/// <summary>Section <c>Sms:Routing</c>: which recipients go through the local gateways.</summary>
public sealed class RoutingOptions
{
    /// <summary>Number prefixes (E.164) sent through the gateway pool when a gateway is configured; null: ["+84"]. (Not a list default: the binder would append to it.)</summary>
    public string[]? GatewayPrefixes { get; set; }
    public string[] Prefixes => GatewayPrefixes is { Length: > 0 } p ? p : ["+84"];
}

/// <summary>A message as the gateway reports it: the overall state and the recipient's, with the app's error if it failed.</summary>
public sealed record GatewayMessageState(string Id, string State, string? RecipientState, string? Error);

/// <summary>
/// The app's local REST API on HttpClient: send (POST /message with our outbox id as the message id, so an
/// uncertain send can be looked up without a stored provider id), state (GET /message/{id}: 404 when the phone never
/// got it), webhook registration (POST /webhooks). No automatic retries: a POST that timed out may have been queued
/// on the phone, so the caller decides (see <see cref="SendOutcomeKind"/>).
/// </summary>
public sealed class GatewayClient(HttpClient http, GatewayOptions options)
{
    public GatewayOptions Options => options;

    HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null)
    {
        var r = new HttpRequestMessage(method, options.BaseUrl.TrimEnd('/') + path) { Content = content };
        r.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.User}:{options.Password}")));
        r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return r;
    }

    /// <summary>Our message id at the gateway: the outbox row's id, prefixed so the app's own ids never collide with ours.</summary>
    public static string MessageId(long outboxId) => "m-" + outboxId.ToString(CultureInfo.InvariantCulture);

    public static long? OutboxId(string? messageId) =>
        messageId is { Length: > 2 } && messageId.StartsWith("m-", StringComparison.Ordinal)
        && long.TryParse(messageId.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public async Task<SendOutcome> SendAsync(long outboxId, string to, string text, CancellationToken ct)
    {
        var body = new Dictionary<string, object?>
        {
            ["id"] = MessageId(outboxId), ["textMessage"] = new { text }, ["phoneNumbers"] = new[] { to }, ["withDeliveryReport"] = true,
        };
        if (options.SimNumber is { } sim) body["simNumber"] = sim;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(Request(HttpMethod.Post, "/message", JsonContent.Create(body)), timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(SendOutcomeKind.Uncertain, ErrorMessage: $"timed out waiting for gateway {options.Name}");
        }
        catch (HttpRequestException e)
        {
            // Connection refused (the phone is off, out of Wi-Fi): nothing reached it. Anything else may have.
            return e.HttpRequestError == HttpRequestError.ConnectionError
                ? new(SendOutcomeKind.RetryLater, ErrorMessage: $"gateway {options.Name}: {e.Message}")
                : new(SendOutcomeKind.Uncertain, ErrorMessage: $"gateway {options.Name}: {e.Message}");
        }
        using (response)
        {
            var text2 = await ReadAsync(response, ct);
            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted or HttpStatusCode.OK)
            {
                var state = Parse(text2);
                return new(SendOutcomeKind.Accepted, Status: SmsStatus.FromGateway(state?.RecipientState ?? state?.State) ?? SmsStatus.Accepted);
            }
            var message = $"gateway {options.Name}: HTTP {status}{(text2.Length > 0 ? " " + text2[..Math.Min(200, text2.Length)] : "")}";
            // 503 from the app: its queue is full or the SIM is not ready, nothing taken. 429: too fast.
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                return new(SendOutcomeKind.RetryLater, ErrorCode: status, ErrorMessage: message, RetryAfter: response.Headers.RetryAfter?.Delta);
            // 409: a message with our id exists on the phone already — it has it; look it up rather than send again.
            if (status >= 500 || response.StatusCode == HttpStatusCode.Conflict) return new(SendOutcomeKind.Uncertain, ErrorCode: status, ErrorMessage: message);
            return new(SendOutcomeKind.Failed, ErrorCode: status, ErrorMessage: message);
        }
    }

    /// <summary>The message's state on the phone; null when the phone does not have it (404). Throws when it cannot tell.</summary>
    public async Task<GatewayMessageState?> GetAsync(long outboxId, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        using var response = await http.SendAsync(Request(HttpMethod.Get, "/message/" + Uri.EscapeDataString(MessageId(outboxId))), timeout.Token);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return Parse(await ReadAsync(response, ct)) ?? throw new HttpRequestException($"gateway {options.Name}: unreadable message state");
    }

    /// <summary>Tells the app where to post its events (the same webhook id is replaced, so registering again is harmless).</summary>
    public async Task RegisterWebhooksAsync(string url, CancellationToken ct)
    {
        foreach (var e in (string[])["sms:received", "sms:sent", "sms:delivered", "sms:failed"])
        {
            var body = new { id = "coordination-" + e.Replace(':', '-'), url, @event = e };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
            using var response = await http.SendAsync(Request(HttpMethod.Post, "/webhooks", JsonContent.Create(body)), timeout.Token);
            response.EnsureSuccessStatusCode();
        }
    }

    static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try { return await response.Content.ReadAsStringAsync(ct); }
        catch (HttpRequestException) { return ""; }
    }

    static GatewayMessageState? Parse(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            string? recipient = null, error = null;
            if (root.TryGetProperty("recipients", out var rs) && rs.ValueKind == JsonValueKind.Array && rs.GetArrayLength() > 0)
            {
                recipient = Str(rs[0], "state");
                error = Str(rs[0], "error");
            }
            return new(Str(root, "id") ?? "", Str(root, "state") ?? "", recipient, error);
        }
        catch (JsonException) { return null; }
    }

    static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
