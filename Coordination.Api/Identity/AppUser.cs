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
}
