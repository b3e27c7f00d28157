namespace Coordination.Api.MutualAid;

/// <summary>Adds notification rows to the current unit of work (saved with the change they report); the sentences are in <see cref="NotificationTexts"/>.</summary>
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
    public static void OnBehalf(CoordinationDb db, Actor actor, DateTime now, string commune, string communeName,
        string kind, int? requestId, int? pledgeId, NotificationText what)
    {
        if (actor.Scope.Role == Roles.CommuneLeader) return;
        Add(db, now, commune, Audience.Commune, kind + "_on_behalf", requestId, pledgeId, NotificationTexts.OnBehalf(actor.Name, communeName, what));
    }

    /// <summary>The person who acted: their role and scope, and their name as people know them (display name, not user name).</summary>
    public sealed record Actor(UserScope Scope, string Name)
    {
        public static Actor Of(CurrentUser current, HttpContext http) => new(current.Required, ActorName(http.User));
    }

    /// <summary>The person who acted, as people know them (their display name, not their user name).</summary>
    public static string ActorName(System.Security.Claims.ClaimsPrincipal user) =>
        user.FindFirst(CoordinationClaims.DisplayName)?.Value is { Length: > 0 } name ? name : user.Identity?.Name ?? "?";

    public static void Add(CoordinationDb db, DateTime now, string commune, string audience, string kind, int? requestId, int? pledgeId, NotificationText text) =>
        db.Notifications.Add(new Notification
        {
            CommuneCode = commune, Audience = audience, Kind = kind, RequestId = requestId, PledgeId = pledgeId, TextVi = text.Vi, TextEn = text.En, CreatedAt = now,
        });
}
