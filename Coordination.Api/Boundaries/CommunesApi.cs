using System.Text.Json.Nodes;

namespace Coordination.Api.Boundaries;

/// <param name="Match">"name" when the current name matched, "formerName" when a pre-merger name did.</param>
/// <param name="FormerName">The pre-merger unit whose name matched, when Match is "formerName".</param>
public sealed record CommuneSummary(string Code, string Name, string Kind, string ProvinceCode, string ProvinceName,
    int? Population, string? Match, string? FormerName);

public sealed record NeighbourDto(string Code, string Name, string Kind, string ProvinceCode, string ProvinceName,
    int? Ring, double? SharedBorderM, string? Contact, double DistanceM, string? Via);

public sealed record NeighboursDto(string Code, string Name, int Rings, double ToleranceM, double MinSharedM,
    IReadOnlyList<NeighbourDto> Neighbours, IReadOnlyList<NeighbourDto> Corners);

public static class CommunesApi
{
    const int MaxQueryLength = 100;

    /// <summary>Boundaries and neighbours are public reference data: anonymous read.</summary>
    public static RouteGroupBuilder MapCommunes(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/communes").WithTags("Communes");
        group.MapGet("/", Search).AllowAnonymous()
            .WithSummary("Find communes by province and/or name (with or without diacritics, any case; also pre-merger names).");
        group.MapGet("/{code}", GetFeature).AllowAnonymous()
            .Produces<JsonObject>(StatusCodes.Status200OK, "application/geo+json")
            .WithSummary("One commune as a GeoJSON Feature (RFC 7946).");
        group.MapGet("/extent", Extent).AllowAnonymous()
            .WithSummary("The box [west, south, east, north] of some communes (codes=17248,17254) and, with rings=1, their ring-1 neighbours: what a phone keeps for offline use.");
        group.MapGet("/{code}/neighbours", Neighbours).AllowAnonymous()
            .WithSummary("Neighbours in rings (1 = sharing a border, 2 = their neighbours, …) and corner-only contacts.");
        group.MapCommuneContact();
        return group;
    }

    /// <summary>At most this many communes in one box (a province has ~100; the country is not one area).</summary>
    const int MaxExtentCodes = 200;

    static async Task<Results<Ok<double[]>, ValidationProblem, ProblemHttpResult>> Extent(string? codes, int? rings, CoordinationDb db, CancellationToken ct)
    {
        var list = (codes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
        if (list.Length == 0 || list.Length > MaxExtentCodes || !list.All(Problems.IsCommuneCode))
            return Problems.BadParameter("codes", $"codes must be 1 to {MaxExtentCodes} commune codes separated by commas.",
                list.Length == 0 ? CommonProblems.FieldRequired : CommonProblems.FieldMalformed, new { Max = MaxExtentCodes });
        if (rings is < 0 or > 1) return Problems.BadParameter("rings", "rings is 0 or 1.", CommonProblems.FieldOutOfRange, new { Min = 0, Max = 1 });
        // The box is PostGIS's (ST_Extent over the communes and, for ring 1, their neighbours by the adjacency table).
        var box = await db.Database.SqlQueryRaw<ExtentRow>("""
            WITH own AS (SELECT unnest(@codes) AS code),
            area AS (
                SELECT code FROM own
                UNION SELECT a.code_b FROM adjacency a JOIN own ON a.code_a = own.code WHERE @rings >= 1
                UNION SELECT a.code_a FROM adjacency a JOIN own ON a.code_b = own.code WHERE @rings >= 1),
            e AS (SELECT ST_Extent(c.geom) AS box, count(*) AS n FROM communes c JOIN area ON area.code = c.code)
            SELECT ST_XMin(box) AS west, ST_YMin(box) AS south, ST_XMax(box) AS east, ST_YMax(box) AS north, n::int AS count FROM e
            """, new NpgsqlParameter("codes", list), new NpgsqlParameter("rings", rings ?? 0)).SingleAsync(ct);
        if (box.Count == 0) return Problems.NotFound("commune", string.Join(",", list), BoundaryProblems.CommuneNotFound);
        return TypedResults.Ok(new[] { box.West!.Value, box.South!.Value, box.East!.Value, box.North!.Value });
    }

    sealed record ExtentRow(double? West, double? South, double? East, double? North, int Count);

    static async Task<Results<Ok<List<CommuneSummary>>, ValidationProblem, ProblemHttpResult>> Search(
        string? province, string? q, int? limit, CoordinationDb db, CancellationToken ct)
    {
        if (province is not null && !Problems.IsProvinceCode(province))
            return Problems.BadParameter("province", "province must be a 2-digit province code, e.g. 40.", CommonProblems.FieldMalformed);
        if (limit is < 1 or > 5000)
            return Problems.BadParameter("limit", "limit must be between 1 and 5000.", CommonProblems.FieldOutOfRange, new { Min = 1, Max = 5000 });
        if (province is not null && !await db.Provinces.AnyAsync(p => p.Code == province, ct))
            return Problems.NotFound("province", province, BoundaryProblems.ProvinceNotFound);

        var communes = db.Communes.Where(c => province == null || c.ProvinceCode == province);
        if (q is null)
            return TypedResults.Ok(await communes.OrderBy(c => c.ProvinceCode).ThenBy(c => c.SearchKey).Take(limit ?? 5000)
                .Select(c => new CommuneSummary(c.Code, c.Name, c.Kind, c.ProvinceCode, c.Province!.Name, c.Population, null, null))
                .ToListAsync(ct));

        if (q.Length > MaxQueryLength)
            return Problems.BadParameter("q", $"q is longer than {MaxQueryLength} characters.", CommonProblems.FieldTooLong, new { Max = MaxQueryLength });
        var key = SearchKey.Fold(q);
        if (key.Length == 0)
            return Problems.BadParameter("q", "q must contain at least one letter or digit.", CommonProblems.FieldMalformed);

        return TypedResults.Ok(await CommuneSearch.ByNameAsync(communes, key, limit ?? 50, ct));
    }

    static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> GetFeature(
        string code, CoordinationDb db, CancellationToken ct)
    {
        if (!Problems.IsCommuneCode(code))
            return Problems.BadParameter("code", "code must be an official commune code of 4–6 digits, e.g. 17170.", CommonProblems.FieldMalformed);
        var feature = await CommuneFeature.LoadAsync(db, code, ct);
        if (feature is null) return Problems.NotFound("commune", code, BoundaryProblems.CommuneNotFound);
        return TypedResults.Text(feature.ToJsonString(), "application/geo+json; charset=utf-8");
    }

    static async Task<Results<Ok<NeighboursDto>, ValidationProblem, ProblemHttpResult>> Neighbours(
        string code, string? rings, CoordinationDb db, CancellationToken ct)
    {
        if (!Problems.IsCommuneCode(code))
            return Problems.BadParameter("code", "code must be an official commune code of 4–6 digits, e.g. 17170.", CommonProblems.FieldMalformed);
        var ringCount = 1;
        if (rings is not null && (!int.TryParse(rings, out ringCount) || ringCount is < 1 or > 3))
            return Problems.BadParameter("rings", "rings must be 1, 2 or 3.", CommonProblems.FieldOutOfRange, new { Min = 1, Max = 3 });
        var origin = await db.Communes.Where(c => c.Code == code).Select(c => new { c.Code, c.Name }).FirstOrDefaultAsync(ct);
        if (origin is null) return Problems.NotFound("commune", code, BoundaryProblems.CommuneNotFound);

        var list = await NeighbourQuery.RingsAsync(db, code, ringCount, ct);
        return TypedResults.Ok(new NeighboursDto(origin.Code, origin.Name, ringCount,
            AdjacencyCalculator.ToleranceM, AdjacencyCalculator.MinSharedM,
            list.Where(n => n.Ring is not null).ToList(), list.Where(n => n.Ring is null).ToList()));
    }
}
