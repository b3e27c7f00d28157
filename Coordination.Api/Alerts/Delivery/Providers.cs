using Coordination.Api.Alerts.Sms;

namespace Coordination.Api.Alerts.Delivery;

/// <summary>An outbox row as a provider sees it: our id, the number, and when the current attempt began.</summary>
public sealed record OutboxSms(long Id, string Phone, DateTime AttemptStartedAt);

/// <summary>A message found at the provider that may be ours: its Sid (null when the provider keys it by our id) and status.</summary>
public sealed record FoundSms(string? Sid, string Status, int? ErrorCode, string? ErrorMessage);

/// <summary>
/// One way out of the outbox (Twilio, or one Android gateway phone). The dispatcher owns claiming, pacing, recording
/// and reconciliation; a provider only sends and looks up.
/// </summary>
public interface ISmsProvider
{
    /// <summary>Recorded on each row sent through it (<c>sms_messages.provider</c>) and the key of its <c>sms_pacing</c> row.</summary>
    string Name { get; }
    /// <summary>True: it takes the rows routed to the local gateways (Sms:Routing:GatewayPrefixes); false: the others.</summary>
    bool GatewayRoute { get; }
    /// <summary>Its rate for all processes together, in segments per second (0: no cap).</summary>
    double SegmentsPerSecond { get; }
    Task<SendOutcome> SendAsync(OutboxSms m, string text, CancellationToken ct);
    /// <summary>
    /// Messages at the provider that may be this row's attempt, best first; empty when the provider does not have
    /// it. Throws (HTTP, timeout, JSON) when it cannot tell — the row then stays uncertain.
    /// </summary>
    Task<List<FoundSms>> FindAsync(OutboxSms m, string text, CancellationToken ct);
    /// <summary>Work to do once before sending (e.g. telling the phone where to post its events); false: try again later.</summary>
    Task<bool> PrepareAsync(CancellationToken ct) => Task.FromResult(true);
}

/// <summary>Twilio: our row id rides in the StatusCallback URL; an uncertain row is looked up in the list of messages to its number since the attempt.</summary>
public sealed class TwilioProvider(TwilioClient twilio, TwilioOptions options) : ISmsProvider
{
    public const string ProviderName = "twilio";
    public string Name => ProviderName;
    public bool GatewayRoute => false;
    public double SegmentsPerSecond => options.MaxSegmentsPerSecond;

    public Task<SendOutcome> SendAsync(OutboxSms m, string text, CancellationToken ct) => twilio.CreateMessageAsync(m.Phone, text, CallbackUrl(m.Id), ct);

    string? CallbackUrl(long id) => string.IsNullOrEmpty(options.StatusCallbackUrl) ? null
        : options.StatusCallbackUrl + (options.StatusCallbackUrl.Contains('?') ? "&" : "?") + "m=" + id;

    public async Task<List<FoundSms>> FindAsync(OutboxSms m, string text, CancellationToken ct)
    {
        var listed = await twilio.ListAsync(m.Phone, DateOnly.FromDateTime(m.AttemptStartedAt.AddDays(-1)), ct);
        // Ours if it went to this number with this text after our attempt began (Twilio dates have whole seconds).
        return listed.Where(t => t.Body == text && t.DateCreated is { } d && d.UtcDateTime >= m.AttemptStartedAt)
            .Select(t => new FoundSms(t.Sid, SmsStatus.FromTwilio(t.Status) ?? SmsStatus.Accepted, t.ErrorCode, null)).ToList();
    }
}

/// <summary>
/// One Android gateway phone: the message id is our row id, so an uncertain row is simply looked up by it
/// (GET /message/m-ID: found → its state, 404 → the phone never got it).
/// </summary>
public sealed class GatewayProvider(GatewayClient client, string? eventsUrl, ILogger log) : ISmsProvider
{
    public string Name => client.Options.Provider;
    public bool GatewayRoute => true;
    public double SegmentsPerSecond => client.Options.MessagesPerMinute / 60.0;

    public Task<SendOutcome> SendAsync(OutboxSms m, string text, CancellationToken ct) => client.SendAsync(m.Id, m.Phone, text, ct);

    public async Task<List<FoundSms>> FindAsync(OutboxSms m, string text, CancellationToken ct)
    {
        var state = await client.GetAsync(m.Id, ct);
        if (state is null) return [];
        var status = SmsStatus.FromGateway(state.RecipientState ?? state.State) ?? SmsStatus.Accepted;
        return [new(null, status, null, state.Error)];
    }

    public async Task<bool> PrepareAsync(CancellationToken ct)
    {
        if (eventsUrl is null) return true;   // no public URL: statuses come only from reconciliation
        try
        {
            await client.RegisterWebhooksAsync(eventsUrl, ct);
            log.LogInformation("gateway {Name}: events go to {Url}", client.Options.Name, eventsUrl);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            log.LogWarning("gateway {Name}: could not register webhooks at {BaseUrl} ({Error}); sending anyway, trying again later", client.Options.Name, client.Options.BaseUrl, e.Message);
            return false;
        }
    }
}

/// <summary>
/// The configured providers and the routing rule: numbers starting with one of Sms:Routing:GatewayPrefixes go
/// through the gateway pool when at least one gateway is configured (several gateways share those rows, each paced
/// by its own SIM), every other number through Twilio.
/// </summary>
public sealed class SmsProviders
{
    public IReadOnlyList<ISmsProvider> All { get; }
    public IReadOnlyList<GatewayOptions> Gateways { get; }
    /// <summary>The prefixes routed to the gateways; empty when no gateway is configured (then Twilio takes every number).</summary>
    public string[] GatewayPrefixes { get; }

    public SmsProviders(TwilioClient twilio, IOptions<TwilioOptions> twilioOptions, IOptions<SmsOptions> smsOptions, IHttpClientFactory http, ILogger<SmsProviders> log)
    {
        var sms = smsOptions.Value;
        Gateways = sms.Gateways.Where(g => g.Configured).ToList();
        foreach (var g in sms.Gateways.Where(g => !g.Configured))
            log.LogWarning("Sms:Gateways entry '{Name}' ignored: it needs a Name (letters, digits, '-', '_'; up to 32), an absolute BaseUrl and a Password", g.Name);
        if (Gateways.Select(g => g.Name).Distinct().Count() != Gateways.Count)
            throw new InvalidOperationException("Sms:Gateways: two gateways have the same Name (it keys their webhook URL, pacing and outbox rows)");
        GatewayPrefixes = Gateways.Count > 0 ? sms.Routing.Prefixes : [];
        var list = new List<ISmsProvider>();
        if (twilioOptions.Value.Configured) list.Add(new TwilioProvider(twilio, twilioOptions.Value));
        foreach (var g in Gateways)
        {
            var url = string.IsNullOrEmpty(sms.PublicBaseUrl) ? null : $"{sms.PublicBaseUrl.TrimEnd('/')}/api/sms/gateways/{Uri.EscapeDataString(g.Name)}/events";
            list.Add(new GatewayProvider(new GatewayClient(http.CreateClient("gateway"), g), url, log));
        }
        All = list;
    }

    public bool AnyConfigured => All.Count > 0;

    public bool RoutedToGateway(string phone) => GatewayPrefixes.Any(p => phone.StartsWith(p, StringComparison.Ordinal));

    public GatewayOptions? Gateway(string name) => Gateways.FirstOrDefault(g => g.Name == name);
}
