using System.Security.Claims;
using Coordination.Api.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

using Coordination.Api.Kernel;

namespace Coordination.Api.Identity;

/// <summary>
/// Scope is checked on the resource itself. The rules (README "Who may do what"):
/// an administrator acts everywhere; a commune leader for its own commune; a defense-area commander for the
/// communes of its area; a province operator for the communes of its province.
/// </summary>
public sealed class ScopeChecker(CoordinationDb db)
{
    public async Task<bool> CanActForCommuneAsync(UserScope? user, string communeCode, CancellationToken ct = default)
    {
        if (user is null) return false;
        return user.Role switch
        {
            Roles.Admin => true,
            Roles.CommuneLeader => user.Kind == ScopeKinds.Commune && user.Code == communeCode,
            Roles.DefenseCommander => user.Kind == ScopeKinds.DefenseArea && int.TryParse(user.Code, out var area)
                && await db.DefenseAreaCommunes.AnyAsync(m => m.DefenseAreaId == area && m.CommuneCode == communeCode, ct),
            Roles.ProvinceOperator => user.Kind == ScopeKinds.Province
                && await db.Communes.AnyAsync(c => c.Code == communeCode && c.ProvinceCode == user.Code, ct),
            _ => false,
        };
    }

    /// <summary>The display name of a scope (commune, area or province), or null when the code is unknown.</summary>
    public async Task<string?> ScopeNameAsync(string? kind, string? code, CancellationToken ct = default) => kind switch
    {
        ScopeKinds.Commune => await db.Communes.Where(c => c.Code == code).Select(c => c.Name).FirstOrDefaultAsync(ct),
        ScopeKinds.DefenseArea => int.TryParse(code, out var id)
            ? await db.DefenseAreas.Where(d => d.Id == id).Select(d => d.Name).FirstOrDefaultAsync(ct) : null,
        ScopeKinds.Province => await db.Provinces.Where(p => p.Code == code).Select(p => p.Name).FirstOrDefaultAsync(ct),
        _ => null,
    };
}

/// <summary>Puts the role and scope into the principal, so every request knows them without a query.</summary>
public sealed class CoordinationClaimsFactory(UserManager<AppUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(CoordinationClaims.Role, user.Role));
        identity.AddClaim(new Claim(CoordinationClaims.DisplayName, user.DisplayName));
        if (user.ScopeKind is not null) identity.AddClaim(new Claim(CoordinationClaims.ScopeKind, user.ScopeKind));
        if (user.ScopeCode is not null) identity.AddClaim(new Claim(CoordinationClaims.ScopeCode, user.ScopeCode));
        identity.AddClaim(new Claim(CoordinationClaims.AlertSender, user.AlertSender ? "true" : "false"));
        return identity;
    }
}

public static class ScopeCheckerExtensions
{
    /// <summary>Of the given communes, those the user may not act for (empty: all allowed). One query, not one per commune.</summary>
    public static async Task<List<string>> OutsideScopeAsync(this ScopeChecker _, CoordinationDb db, UserScope? user, IReadOnlyCollection<string> codes, CancellationToken ct = default)
    {
        if (user is null) return codes.ToList();
        IQueryable<string> allowed = user.Role switch
        {
            Roles.Admin => db.Communes.Where(c => codes.Contains(c.Code)).Select(c => c.Code),
            Roles.CommuneLeader when user.Kind == ScopeKinds.Commune => db.Communes.Where(c => c.Code == user.Code && codes.Contains(c.Code)).Select(c => c.Code),
            Roles.DefenseCommander when user.Kind == ScopeKinds.DefenseArea && int.TryParse(user.Code, out var area) =>
                db.DefenseAreaCommunes.Where(m => m.DefenseAreaId == area && codes.Contains(m.CommuneCode)).Select(m => m.CommuneCode),
            Roles.ProvinceOperator when user.Kind == ScopeKinds.Province => db.Communes.Where(c => c.ProvinceCode == user.Code && codes.Contains(c.Code)).Select(c => c.Code),
            _ => db.Communes.Where(c => false).Select(c => c.Code),
        };
        var ok = (await allowed.ToListAsync(ct)).ToHashSet();
        return codes.Where(c => !ok.Contains(c)).ToList();
    }
}
