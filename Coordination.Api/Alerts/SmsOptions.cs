using Coordination.Api.Alerts.Sms;

namespace Coordination.Api.Alerts;

/// <summary>Configuration section "Sms": composing rules, webhooks and the dispatcher (Twilio itself is section "Twilio").</summary>
public sealed class SmsOptions
{
    /// <summary>Free text outside the registered templates (operators in Vietnam deliver only registered templates).</summary>
    public bool AllowFreeText { get; set; }
    /// <summary>The public base URL Twilio calls (e.g. https://canhbao.example.vn): webhook signatures are computed on it, not on what Kestrel sees behind a proxy.</summary>
    public string? PublicBaseUrl { get; set; }
    /// <summary>Shared secret of the local SMS gateway (Android gateway app or carrier API), HMAC-SHA256 over timestamp and body.</summary>
    public string? GatewaySecret { get; set; }
    public int GatewayMaxSkewSeconds { get; set; } = 300;
    /// <summary>Webhook requests per client address per minute (429 + Retry-After beyond).</summary>
    public int WebhookPermitLimit { get; set; } = 120;
    /// <summary>
    /// The longest message accepted, in SMS segments per recipient (0: only Twilio's 1,600 characters). Long
    /// concatenated messages arrive out of order or in pieces on old phones and multiply the cost and the sending time.
    /// </summary>
    public int MaxSegmentsPerMessage { get; set; } = 10;
    /// <summary>Commune subscribers may have non-Vietnamese numbers (off by default: an SMS to +1 … from a Vietnamese sender ID is a mistake or abuse).</summary>
    public bool AllowForeignNumbers { get; set; }
    /// <summary>CAP sender (no spaces or commas): who the alerts come from.</summary>
    public string CapSender { get; set; } = "canhbao@coordination.gov.vn";

    public DispatchOptions Dispatch { get; set; } = new();
    /// <summary>Android SMS-gateway phones (local API), each with its own SIM rate and webhook key.</summary>
    public List<GatewayOptions> Gateways { get; set; } = [];
    public RoutingOptions Routing { get; set; } = new();
}

public sealed class DispatchOptions
{
    /// <summary>Run the dispatcher and the re-broadcast scheduler inside the API process (the `dispatch` command runs them alone).</summary>
    public bool Enabled { get; set; } = true;
    public int BatchSize { get; set; } = 200;
    public int Concurrency { get; set; } = 32;
    /// <summary>A claim is held this long; a claim older than this belongs to a dead process and its outcome is uncertain.</summary>
    public int LeaseSeconds { get; set; } = 60;
    /// <summary>How long after an uncertain attempt Twilio's list is asked, so a late-created message is visible there.</summary>
    public int ReconcileDelaySeconds { get; set; } = 20;
    public double IdleSeconds { get; set; } = 1;
    public int MaxAttempts { get; set; } = 8;
}
