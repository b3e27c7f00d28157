using System.Security.Claims;

namespace Coordination.Api.Kernel;

/// <summary>Who uses the system. Citizens have no accounts: they only receive SMS.</summary>
public static class Roles
{
    /// <summary>Chủ tịch / Phó Chủ tịch UBND xã — scoped to one commune.</summary>
    public const string CommuneLeader = "commune_leader";
    /// <summary>Ban Chỉ huy phòng thủ khu vực — scoped to the communes of one defense area.</summary>
    public const string DefenseCommander = "defense_commander";
    /// <summary>Province operator — scoped to one province.</summary>
    public const string ProvinceOperator = "province_operator";
    /// <summary>System administrator — users, scopes, reference data; no scope.</summary>
    public const string Admin = "admin";

    public static readonly string[] All = [CommuneLeader, DefenseCommander, ProvinceOperator, Admin];

    /// <summary>The scope kind each role must carry (none for admin).</summary>
    public static string? ScopeKindOf(string role) => role switch
    {
        CommuneLeader => ScopeKinds.Commune,
        DefenseCommander => ScopeKinds.DefenseArea,
        ProvinceOperator => ScopeKinds.Province,
        _ => null,
    };
}

public static class ScopeKinds
{
    public const string Commune = "commune", DefenseArea = "defense_area", Province = "province";
}

/// <summary>Claim types carried in the cookie / bearer token.</summary>
public static class CoordinationClaims
{
    public const string Role = "coord:role", ScopeKind = "coord:scope_kind", ScopeCode = "coord:scope_code",
        AlertSender = "coord:alert_sender", DisplayName = "coord:display_name";
}

public static class Policies
{
    public const string Authenticated = "authenticated", Admin = "admin", AuditReader = "audit-reader";
    public const string SignInRateLimit = "sign-in";
}

/// <summary>The signed-in user's role and scope, read from the claims.</summary>
public sealed record UserScope(string UserId, string UserName, string Role, string? Kind, string? Code, bool AlertSender)
{
    public static UserScope? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        var role = user.FindFirstValue(CoordinationClaims.Role);
        if (role is null) return null;
        return new UserScope(user.FindFirstValue(ClaimTypes.NameIdentifier)!, user.Identity.Name!, role,
            user.FindFirstValue(CoordinationClaims.ScopeKind), user.FindFirstValue(CoordinationClaims.ScopeCode),
            user.FindFirstValue(CoordinationClaims.AlertSender) == "true");
    }

    public bool IsAdmin => Role == Roles.Admin;
}
