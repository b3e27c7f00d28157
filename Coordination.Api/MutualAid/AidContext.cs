namespace Coordination.Api.MutualAid;

/// <summary>The services a mutual-aid write needs (bound with [AsParameters]).</summary>
public sealed record AidContext(CoordinationDb Db, CurrentUser Current, AuditLog Audit, HttpContext Http, TimeProvider Clock, CancellationToken Ct)
{
    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    /// <summary>Who acts, for the notifications that name them.</summary>
    public Notify.Actor Actor => Notify.Actor.Of(Current, Http);
}
