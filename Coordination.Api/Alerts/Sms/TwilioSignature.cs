// Also compiled into the fake Twilio (no global usings there).
using System.Security.Cryptography;
using System.Text;

namespace Coordination.Api.Alerts.Sms;

/// <summary>
/// X-Twilio-Signature: Base64(HMAC-SHA1(auth token, full URL + each form parameter's key and value, sorted by key
/// ordinally)). Twilio signs the public URL it called — give the configured public URL, not the one Kestrel sees
/// behind a proxy. If the first check fails, the URL is tried once with its port toggled, as Twilio's SDKs do.
/// </summary>
public static class TwilioSignature
{
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var sb = new StringBuilder(url);
        foreach (var (k, v) in form.OrderBy(p => p.Key, StringComparer.Ordinal)) sb.Append(k).Append(v);
        // Twilio signs its webhooks with HMAC-SHA1 over the URL and sorted form; the algorithm is theirs, not a choice.
#pragma warning disable CA5350
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(sb.ToString())));
#pragma warning restore CA5350
    }

    public static bool Verify(string authToken, string url, IReadOnlyCollection<KeyValuePair<string, string>> form, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken)) return false;
        if (Equal(Compute(authToken, url, form), signature)) return true;
        var toggled = TogglePort(url);
        return toggled is not null && Equal(Compute(authToken, toggled, form), signature);
    }

    static bool Equal(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    /// <summary>https://host/x ⇄ https://host:443/x (80 for http); null when the URL carries another port.</summary>
    public static string? TogglePort(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.IsDefaultPort) return null;
        var withPort = $"{uri.Scheme}://{uri.Host}:{uri.Port}{uri.PathAndQuery}";
        return url == withPort ? $"{uri.Scheme}://{uri.Host}{uri.PathAndQuery}" : withPort;
    }
}
