namespace Coordination.Api.Identity;

/// <summary>Sign-in hardening (configuration section "Security"): lockout and the per-client sign-in limit.</summary>
public sealed class SecurityOptions
{
    /// <summary>The header a cookie-authenticated write carries its antiforgery token in.</summary>
    public const string AntiforgeryHeader = "X-XSRF-TOKEN";

    /// <summary>Failed sign-ins before the account is locked, and for how long.</summary>
    public int MaxFailedSignIns { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>Sign-in attempts per client IP per window (429 with Retry-After beyond).</summary>
    public int SignInPermitLimit { get; set; } = 10;
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);
}
