using Coordination.Api.Data;

namespace Coordination.Api.MutualAid;

/// <summary>Adds notification rows to the current unit of work (saved with the change they report).</summary>
public static class Notify
{
    /// <summary>
    /// An English amount of a type: "1 boat", "5 boats" (the unit names the type: never "5 boats of Boat"),
    /// "20 persons of militia (dân quân)". Catalogue units are plural; one drops the s.
    /// </summary>
    public static string En(int n, string unitEn, string nameEn)
    {
        var unit = n == 1 && unitEn.EndsWith('s') ? unitEn[..^1] : unitEn;
        var singular = unitEn.EndsWith('s') ? unitEn[..^1] : unitEn;
        return nameEn.StartsWith(singular, StringComparison.OrdinalIgnoreCase) ? $"{n:N0} {unit}" : $"{n:N0} {unit} of {nameEn.ToLowerInvariant()}";
    }

    /// <summary>
    /// When someone above the commune (a commander, operator or administrator) acted for it, the commune hears of it
    /// too, naming the person — else its own screen is stale. A leader acting for their own commune adds nothing.
    /// </summary>
    public static void OnBehalf(CoordinationDb db, System.Security.Claims.ClaimsPrincipal user, DateTime now, string commune, string communeName,
        string kind, int? requestId, int? pledgeId, string whatVi, string whatEn)
    {
        if (Kernel.UserScope.From(user)?.Role == Kernel.Roles.CommuneLeader) return;
        var actor = ActorName(user);
        Add(db, now, commune, Audience.Commune, kind + "_on_behalf", requestId, pledgeId,
            $"{actor} đã thay mặt xã {communeName}: {whatVi}", $"{actor}, on behalf of {communeName}: {whatEn}");
    }

    /// <summary>The person who acted, as people know them (their display name, not their user name).</summary>
    public static string ActorName(System.Security.Claims.ClaimsPrincipal user) =>
        user.FindFirst(Kernel.CoordinationClaims.DisplayName)?.Value is { Length: > 0 } name ? name : user.Identity?.Name ?? "?";

    public static void Add(CoordinationDb db, DateTime now, string commune, string audience, string kind, int? requestId, int? pledgeId, string vi, string en) =>
        db.Notifications.Add(new Notification
        {
            CommuneCode = commune, Audience = audience, Kind = kind, RequestId = requestId, PledgeId = pledgeId, TextVi = vi, TextEn = en, CreatedAt = now,
        });
}
