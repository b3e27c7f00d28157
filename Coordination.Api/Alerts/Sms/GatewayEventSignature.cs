// Also compiled into the fake gateway (no global usings there).
using System.Security.Cryptography;
using System.Text;

namespace Coordination.Api.Alerts.Sms;

/// <summary>
/// How the Android SMS-gateway app signs its webhooks: header X-Signature = lowercase hex HMAC-SHA256(signing key,
/// raw body bytes followed by the X-Timestamp header's text), X-Timestamp = Unix seconds. The timestamp is signed
/// too, so a replayed body cannot be given a fresh time.
/// </summary>
public static class GatewayEventSignature
{
    public const string SignatureHeader = "X-Signature", TimestampHeader = "X-Timestamp";

    public static string Compute(string signingKey, byte[] body, string timestamp)
    {
        var data = new byte[body.Length + Encoding.UTF8.GetByteCount(timestamp)];
        body.CopyTo(data, 0);
        Encoding.UTF8.GetBytes(timestamp, 0, timestamp.Length, data, body.Length);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), data));
    }

    public static bool Verify(string signingKey, byte[] body, string timestamp, string? signature) =>
        !string.IsNullOrEmpty(signature) && signature.Trim().Length == 64 && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Compute(signingKey, body, timestamp)), Encoding.ASCII.GetBytes(signature.Trim().ToLowerInvariant()));
}
