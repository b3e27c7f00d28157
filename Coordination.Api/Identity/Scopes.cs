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
        AddScopeClaims(identity, user);
        return identity;
    }

    static void AddScopeClaims(ClaimsIdentity identity, AppUser user)
    {
        identity.AddClaim(new Claim(CoordinationClaims.Role, user.Role));
        identity.AddClaim(new Claim(CoordinationClaims.DisplayName, user.DisplayName));
        if (user.ScopeKind is not null) identity.AddClaim(new Claim(CoordinationClaims.ScopeKind, user.ScopeKind));
        if (user.ScopeCode is not null) identity.AddClaim(new Claim(CoordinationClaims.ScopeCode, user.ScopeCode));
        identity.AddClaim(new Claim(CoordinationClaims.AlertSender, user.AlertSender ? "true" : "false"));
    }

    /// <summary>
    /// The principal an official acts as when a message comes from their phone: who they are and their role and scope,
    /// as the sign-in cookie carries them. Built from the account row alone (this app never stores per-user claims, so
    /// Identity's claims query would find nothing); there is no cookie, hence no security stamp.
    /// </summary>
    public static ClaimsPrincipal ForSms(AppUser user)
    {
        var identity = new ClaimsIdentity("sms", ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.Id));
        identity.AddClaim(new Claim(ClaimTypes.Name, user.UserName ?? user.Id));
        AddScopeClaims(identity, user);
        return new ClaimsPrincipal(identity);
    }
}
