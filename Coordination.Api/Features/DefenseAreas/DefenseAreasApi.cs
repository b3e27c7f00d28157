using Coordination.Api.Data;
using Coordination.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Coordination.Api.Features.DefenseAreas;

public sealed record DefenseAreaDto(int Id, string Name, string ProvinceCode, bool IsSample, string? Note, IReadOnlyList<string> Communes);

public static class DefenseAreasApi
{
    /// <summary>
    /// Read-only for now and public (which communes a command covers is not secret). Editing the grouping
    /// through the API arrives with identity and scopes; until then it is edited in its seed file.
    /// </summary>
    public static RouteGroupBuilder MapDefenseAreas(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/defense-areas").WithTags("Defense areas").AllowAnonymous();

        group.MapGet("/", async Task<Results<Ok<List<DefenseAreaDto>>, ValidationProblem>> (string? province, CoordinationDb db, CancellationToken ct) =>
        {
            if (province is not null && !Problems.IsProvinceCode(province))
                return Problems.BadParameter("province", "province must be a 2-digit province code, e.g. 40.");
            var areas = await db.DefenseAreas.Where(d => province == null || d.ProvinceCode == province)
                .OrderBy(d => d.ProvinceCode).ThenBy(d => d.Id)
                .Select(d => new DefenseAreaDto(d.Id, d.Name, d.ProvinceCode, d.IsSample, d.Note,
                    d.Communes.OrderBy(c => c.CommuneCode).Select(c => c.CommuneCode).ToList()))
                .ToListAsync(ct);
            return TypedResults.Ok(areas);
        }).WithSummary("Defense areas (Ban Chỉ huy phòng thủ khu vực) and their communes. IsSample marks illustrative groupings.");

        group.MapGet("/{id:int}", async Task<Results<Ok<DefenseAreaDto>, ProblemHttpResult>> (int id, CoordinationDb db, CancellationToken ct) =>
        {
            var area = await db.DefenseAreas.Where(d => d.Id == id)
                .Select(d => new DefenseAreaDto(d.Id, d.Name, d.ProvinceCode, d.IsSample, d.Note,
                    d.Communes.OrderBy(c => c.CommuneCode).Select(c => c.CommuneCode).ToList()))
                .FirstOrDefaultAsync(ct);
            return area is null ? Problems.NotFound("defense area", id.ToString()) : TypedResults.Ok(area);
        });
        return group;
    }
}
