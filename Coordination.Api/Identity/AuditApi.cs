using System.Text.Json;
using Coordination.Api.Data;
using Coordination.Api.Kernel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Coordination.Api.Identity;

public sealed record AuditDto(long Id, DateTime At, string? ActorName, string? Ip, string Action, string? EntityType, string? EntityId,
    string? CommuneCode, string? ProvinceCode, JsonElement? Before, JsonElement? After, string? Detail);

public static class AuditApi
{
    /// <summary>
    /// Administrators see everything; a defense-area commander sees events placed in its communes; a province
    /// operator those in its province. Security events (sign-in etc.) carry no place: administrators only.
    /// </summary>
    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Policies.AuditReader);
        group.MapGet("/", async Task<Results<Ok<List<AuditDto>>, ValidationProblem>> (
            string? action, string? entityId, int? limit, HttpContext http, CoordinationDb db, CancellationToken ct) =>
        {
            if (limit is < 1 or > 1000) return Problems.BadParameter("limit", "limit must be between 1 and 1000.");
            var user = UserScope.From(http.User)!;
            var events = db.AuditEvents.AsQueryable();
            if (user.Role == Roles.DefenseCommander)
            {
                var area = int.TryParse(user.Code, out var id) ? id : -1;
                var communes = db.DefenseAreaCommunes.Where(m => m.DefenseAreaId == area).Select(m => m.CommuneCode);
                events = events.Where(e => e.CommuneCode != null && communes.Contains(e.CommuneCode));
            }
            else if (user.Role == Roles.ProvinceOperator)
                events = events.Where(e => e.ProvinceCode == user.Code);
            if (action is not null) events = events.Where(e => e.Action == action);
            if (entityId is not null) events = events.Where(e => e.EntityId == entityId);
            var rows = await events.OrderByDescending(e => e.Id).Take(limit ?? 100).ToListAsync(ct);
            return TypedResults.Ok(rows.Select(e => new AuditDto(e.Id, e.At, e.ActorName, e.Ip, e.Action, e.EntityType, e.EntityId,
                e.CommuneCode, e.ProvinceCode, e.Before?.RootElement.Clone(), e.After?.RootElement.Clone(), e.Detail)).ToList());
        }).WithSummary("The audit log, newest first, filtered to the caller's scope.");
        return group;
    }
}
