using Microsoft.AspNetCore.Identity;

namespace Coordination.Api.Identity;

/// <summary>An account: one role with one scope (a commune, a defense area or a province), or an administrator.</summary>
public sealed class AppUser : IdentityUser
{
    public required string DisplayName { get; set; }
    public required string Role { get; set; }
    public string? ScopeKind { get; set; }
    public string? ScopeCode { get; set; }
    /// <summary>Granted by an administrator to a province operator or commander; required to send SMS alerts.</summary>
    public bool AlertSender { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>
    /// Which notifications reach the user's phone by SMS (mutual-aid kinds such as "ask", "answer",
    /// "dispatch", "arrival", "escalation", "help"); null: all of them. Only with a phone an administrator registered.
    /// </summary>
    public string[]? SmsNotify { get; set; }
}

/// <summary>The kinds of notification an official may choose to receive by SMS (AppUser.SmsNotify).</summary>
public static class SmsNotifyKinds
{
    public const string Ask = "ask", Answer = "answer", Dispatch = "dispatch", Arrival = "arrival", Escalation = "escalation", Request = "request", Help = "help";
    public static readonly string[] All = [Ask, Answer, Dispatch, Arrival, Escalation, Request, Help];
}
