using System.Security.Claims;
using Microsoft.AspNetCore.Identity;


namespace Coordination.Api.Identity;

/// <summary>The names of scopes (commune, defense area, province), for users' profiles. Who may act for what is
/// Kernel's <see cref="CurrentUser"/> and its one query <see cref="ActingFor"/>.</summary>
public sealed class ScopeNames(CoordinationDb db)
{
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
