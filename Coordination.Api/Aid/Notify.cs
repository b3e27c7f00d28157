using Coordination.Api.Data;

namespace Coordination.Api.Aid;

/// <summary>Adds notification rows to the current unit of work (saved with the change they report).</summary>
public static class Notify
{
    public static void Add(CoordinationDb db, DateTime now, string commune, string audience, string kind, int? requestId, int? pledgeId, string vi, string en) =>
        db.Notifications.Add(new Notification
        {
            CommuneCode = commune, Audience = audience, Kind = kind, RequestId = requestId, PledgeId = pledgeId, TextVi = vi, TextEn = en, CreatedAt = now,
        });
}
