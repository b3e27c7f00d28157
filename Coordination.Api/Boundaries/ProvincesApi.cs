namespace Coordination.Api.Boundaries;

public sealed record ProvinceDto(string Code, string Name, string? NameEn, long? Population, double? AreaKm2, int CommuneCount);

public static class ProvincesApi
{
    /// <summary>Reference data, public by nature: anonymous read.</summary>
    public static RouteGroupBuilder MapProvinces(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/provinces").WithTags("Provinces").AllowAnonymous();
        group.MapGet("/", async (CoordinationDb db, CancellationToken ct) =>
            TypedResults.Ok(await db.Provinces.OrderBy(p => p.Code)
                .Select(p => new ProvinceDto(p.Code, p.Name, p.NameEn, p.Population, p.AreaKm2, p.Communes.Count))
                .ToListAsync(ct)))
            .WithSummary("The 34 provinces in force since 1 July 2025, with how many communes are loaded for each.");
        return group;
    }
}
