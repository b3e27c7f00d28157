using System.Security.Claims;

namespace Coordination.Api.Kernel;

/// <summary>
/// Adds audit rows to the current unit of work: the caller's SaveChanges (and transaction) writes the change and
/// its audit row together, so neither exists without the other. Set-based updates bypass interceptors, hence
/// explicit calls rather than a SaveChanges hook.
/// </summary>
public sealed class AuditLog(DbContext db, IHttpContextAccessor http, TimeProvider clock)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public AuditEvent Add(string action, string? entityType = null, string? entityId = null, object? before = null, object? after = null,
        string? communeCode = null, string? provinceCode = null, string? detail = null, string? actorName = null, string? actorId = null)
    {
        var context = http.HttpContext;
        var user = context?.User;
        var e = new AuditEvent
        {
            At = clock.GetUtcNow().UtcDateTime,
            ActorId = actorId ?? user?.FindFirstValue(ClaimTypes.NameIdentifier),
            ActorName = actorName ?? user?.Identity?.Name,
            Ip = context?.Connection.RemoteIpAddress?.ToString(),
            Channel = context?.Items[AuditChannel.Item] as string ?? AuditChannel.Web,
            Action = action, EntityType = entityType, EntityId = entityId,
            CommuneCode = communeCode, ProvinceCode = provinceCode, Detail = detail,
            Before = before is null ? null : JsonSerializer.SerializeToDocument(before, Json),
            After = after is null ? null : JsonSerializer.SerializeToDocument(after, Json),
        };
        db.Set<AuditEvent>().Add(e);
        return e;
    }
}
