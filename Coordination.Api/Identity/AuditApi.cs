using Coordination.Api.Boundaries;

namespace Coordination.Api.Identity;

public sealed record AuditDto(long Id, DateTime At, string? ActorName, string? Ip, string Action, string? EntityType, string? EntityId,
    string? CommuneCode, string? ProvinceCode, JsonElement? Before, JsonElement? After, string? Detail);

public static class AuditApi
{
    /// <summary>
    /// Administrators see everything, security events (sign-in etc., which carry no place) included. Everyone else sees
    /// the events placed in a commune they act for, and the events placed only in a province they act for as a whole
    /// (a province operator's own) — both from the one scope rule, <see cref="CurrentUser.Communes"/>.
    /// </summary>
    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Policies.AuditReader);
        group.MapGet("/", async Task<Results<Ok<List<AuditDto>>, ValidationProblem>> (
            string? action, string? entityId, int? limit, CurrentUser current, CoordinationDb db, CancellationToken ct) =>
        {
            if (limit is < 1 or > 1000)
                return Problems.BadParameter("limit", "limit must be between 1 and 1000.", CommonProblems.FieldOutOfRange, new { Min = 1, Max = 1000 });
            var events = Visible(db, current);
            if (action is not null) events = events.Where(e => e.Action == action);
            if (entityId is not null) events = events.Where(e => e.EntityId == entityId);
            var rows = await events.OrderByDescending(e => e.Id).Take(limit ?? 100).ToListAsync(ct);
            return TypedResults.Ok(rows.Select(e => new AuditDto(e.Id, e.At, e.ActorName, e.Ip, e.Action, e.EntityType, e.EntityId,
                e.CommuneCode, e.ProvinceCode, e.Before?.RootElement.Clone(), e.After?.RootElement.Clone(), e.Detail)).ToList());
        }).WithSummary("The audit log, newest first, filtered to the caller's scope.");
        return group;
    }

    static IQueryable<AuditEvent> Visible(CoordinationDb db, CurrentUser current)
    {
        if (current.IsAdmin) return db.AuditEvents;
        var communes = current.Communes;
        var provinces = current.ProvincesActedFor(db);
        return db.AuditEvents.Where(e => e.CommuneCode != null ? communes.Contains(e.CommuneCode)
            : e.ProvinceCode != null && provinces.Contains(e.ProvinceCode));
    }
}
