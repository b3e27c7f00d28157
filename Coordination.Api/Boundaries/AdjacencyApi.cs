namespace Coordination.Api.Boundaries;

public sealed record AdjacencyPairDto(string CodeA, string NameA, string ProvinceA, string CodeB, string NameB, string ProvinceB,
    double SharedBorderM, string Contact);

public sealed record AdjacencyDto(string? Province, double ToleranceM, double MinSharedM, int Neighbours, int Corners,
    IReadOnlyList<AdjacencyPairDto> Pairs);

public static class AdjacencyApi
{
    /// <summary>Public reference data: anonymous read.</summary>
    public static RouteGroupBuilder MapAdjacency(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/adjacency").WithTags("Adjacency").AllowAnonymous();
        group.MapGet("/", async Task<Results<Ok<AdjacencyDto>, ValidationProblem, ProblemHttpResult>> (
            string? province, CoordinationDb db, CancellationToken ct) =>
        {
            if (province is not null && !Problems.IsProvinceCode(province))
                return Problems.BadParameter("province", "province must be a 2-digit province code, e.g. 40.", CommonProblems.FieldMalformed);
            if (province is not null && !await db.Provinces.AnyAsync(p => p.Code == province, ct))
                return Problems.NotFound("province", province, BoundaryProblems.ProvinceNotFound);

            // A pair belongs to a province when either side does, so cross-province pairs show on both.
            var pairs = await (
                from a in db.Adjacencies
                join ca in db.Communes on a.CodeA equals ca.Code
                join cb in db.Communes on a.CodeB equals cb.Code
                where province == null || ca.ProvinceCode == province || cb.ProvinceCode == province
                orderby a.CodeA, a.CodeB
                select new AdjacencyPairDto(a.CodeA, ca.Name, ca.ProvinceCode, a.CodeB, cb.Name, cb.ProvinceCode,
                    Math.Round(a.SharedM), a.Contact)).ToListAsync(ct);
            return TypedResults.Ok(new AdjacencyDto(province, AdjacencyCalculator.ToleranceM, AdjacencyCalculator.MinSharedM,
                pairs.Count(p => p.Contact == "neighbour"), pairs.Count(p => p.Contact == "corner"), pairs));
        }).WithSummary("All commune pairs whose borders come within the tolerance, with shared border length (m) and contact kind; without province, the whole country.");
        return group;
    }
}
