namespace Coordination.Api.Identity;

public static class Policies
{
    public const string Authenticated = "authenticated", Admin = "admin", AuditReader = "audit-reader";
    public const string SignInRateLimit = "sign-in";
}
