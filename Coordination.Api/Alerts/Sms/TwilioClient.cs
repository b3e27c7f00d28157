using System.Net;
using System.Net.Http.Headers;

namespace Coordination.Api.Alerts.Sms;

public sealed class TwilioOptions
{
    public string? AccountSid { get; set; }
    public string? AuthToken { get; set; }
    /// <summary>An API key (SK…) and its secret replace the auth token for REST calls; webhooks are still signed with the auth token.</summary>
    public string? ApiKey { get; set; }
    public string? ApiSecret { get; set; }
    public string? From { get; set; }
    public string? MessagingServiceSid { get; set; }
    public string BaseUrl { get; set; } = "https://api.twilio.com";
    public string? StatusCallbackUrl { get; set; }
    public double MaxSegmentsPerSecond { get; set; } = 10;
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>Without credentials and a sender the app runs outbox-only: messages are recorded, never reported as sent.</summary>
    public bool Configured => !string.IsNullOrEmpty(AccountSid)
        && (!string.IsNullOrEmpty(AuthToken) || !string.IsNullOrEmpty(ApiKey) && !string.IsNullOrEmpty(ApiSecret))
        && (!string.IsNullOrEmpty(From) || !string.IsNullOrEmpty(MessagingServiceSid));
}

public enum SendOutcomeKind
{
    /// <summary>201: Twilio has the message (Sid known).</summary>
    Accepted,
    /// <summary>Not processed (429/20429, 21611 queue full): safe to send again later.</summary>
    RetryLater,
    /// <summary>Timeout, connection reset after sending, or 5xx: the message may exist — reconcile before any resend.</summary>
    Uncertain,
    /// <summary>Final refusal (21211 invalid number, 21610 opted out, 21614 not mobile, 21617 too long, 20003 auth…).</summary>
    Failed,
}

public sealed record SendOutcome(SendOutcomeKind Kind, string? Sid = null, string? Status = null, int? ErrorCode = null, string? ErrorMessage = null,
    int? Segments = null, TimeSpan? RetryAfter = null);

public sealed record TwilioMessage(string Sid, string To, string? From, string? Body, string Status, int? ErrorCode, DateTimeOffset? DateCreated, int? Segments);

/// <summary>
/// Twilio's REST Messages resource on HttpClient (the Twilio package is not available here): create (form-encoded
/// POST, Basic auth), fetch, and list by recipient and day for reconciliation. No automatic retries: a POST that
/// timed out may have created a message, so the caller decides (see <see cref="SendOutcomeKind"/>).
/// </summary>
public sealed class TwilioClient(HttpClient http, IOptions<TwilioOptions> options)
{
    TwilioOptions O => options.Value;

    string Resource(string suffix) => $"{O.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(O.AccountSid!)}/{suffix}";

    HttpRequestMessage Request(HttpMethod method, string url, HttpContent? content = null)
    {
        var r = new HttpRequestMessage(method, url) { Content = content };
        var (user, secret) = !string.IsNullOrEmpty(O.ApiKey) ? (O.ApiKey!, O.ApiSecret!) : (O.AccountSid!, O.AuthToken!);
        r.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
        r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return r;
    }

    public async Task<SendOutcome> CreateMessageAsync(string to, string body, string? statusCallback, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("To", to), new("Body", body) };
        if (!string.IsNullOrEmpty(O.MessagingServiceSid)) form.Add(new("MessagingServiceSid", O.MessagingServiceSid!));
        if (!string.IsNullOrEmpty(O.From)) form.Add(new("From", O.From!));
        if (!string.IsNullOrEmpty(statusCallback)) form.Add(new("StatusCallback", statusCallback!));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(O.TimeoutSeconds));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(Request(HttpMethod.Post, Resource("Messages.json"), new FormUrlEncodedContent(form)), timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(SendOutcomeKind.Uncertain, ErrorMessage: "timed out waiting for Twilio");
        }
        catch (HttpRequestException e)
        {
            // A connection refused before anything was sent is safe to retry; anything else may have reached Twilio.
            return e.HttpRequestError == HttpRequestError.ConnectionError
                ? new(SendOutcomeKind.RetryLater, ErrorMessage: e.Message)
                : new(SendOutcomeKind.Uncertain, ErrorMessage: e.Message);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                var m = Parse(JsonDocument.Parse(text).RootElement);
                return new(SendOutcomeKind.Accepted, m.Sid, m.Status, Segments: m.Segments);
            }
            var (code, message) = Error(text);
            var retryAfter = response.Headers.RetryAfter?.Delta;
            if ((int)response.StatusCode >= 500) return new(SendOutcomeKind.Uncertain, ErrorCode: code, ErrorMessage: message ?? $"HTTP {(int)response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.TooManyRequests || code is 20429 or 21611)
                return new(SendOutcomeKind.RetryLater, ErrorCode: code, ErrorMessage: message, RetryAfter: retryAfter);
            return new(SendOutcomeKind.Failed, ErrorCode: code, ErrorMessage: message ?? $"HTTP {(int)response.StatusCode}");
        }
    }

    public async Task<TwilioMessage?> FetchAsync(string sid, CancellationToken ct)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Get, Resource($"Messages/{Uri.EscapeDataString(sid)}.json")), ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return Parse(JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement);
    }

    /// <summary>Messages to a number sent on or after a day (UTC), newest first — to find a message whose Sid we never stored.</summary>
    public async Task<List<TwilioMessage>> ListAsync(string to, DateOnly sentOnOrAfter, CancellationToken ct)
    {
        var list = new List<TwilioMessage>();
        string? next = Resource("Messages.json") + $"?To={Uri.EscapeDataString(to)}&DateSent%3E={sentOnOrAfter:yyyy-MM-dd}&PageSize=50";
        while (next is not null && list.Count < 1000)
        {
            using var response = await http.SendAsync(Request(HttpMethod.Get, next), ct);
            response.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            list.AddRange(doc.RootElement.GetProperty("messages").EnumerateArray().Select(Parse));
            next = doc.RootElement.TryGetProperty("next_page_uri", out var n) && n.ValueKind == JsonValueKind.String
                ? O.BaseUrl.TrimEnd('/') + n.GetString() : null;
        }
        return list;
    }

    static TwilioMessage Parse(JsonElement m) => new(
        m.GetProperty("sid").GetString()!, Str(m, "to") ?? "", Str(m, "from"), Str(m, "body"), Str(m, "status") ?? "unknown",
        m.TryGetProperty("error_code", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt32() : null,
        Str(m, "date_created") is { } d && DateTimeOffset.TryParse(d, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null,
        int.TryParse(Str(m, "num_segments"), out var s) ? s : null);

    static (int? Code, string? Message) Error(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            return (root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null, Str(root, "message"));
        }
        catch (JsonException) { return (null, null); }
    }

    static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
