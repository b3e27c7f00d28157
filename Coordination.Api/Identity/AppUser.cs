using Microsoft.AspNetCore.Identity;

namespace Coordination.Api.Identity;

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
