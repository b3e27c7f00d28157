using System.Text.Json.Nodes;
using Coordination.Api.Data;
using Coordination.Api.Kernel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

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
        group.MapGet("/{code}/neighbours", Neighbours).AllowAnonymous()
            .WithSummary("Neighbours in rings (1 = sharing a border, 2 = their neighbours, …) and corner-only contacts.");
        group.MapCommuneContact();
        return group;
    }

    static async Task<Results<Ok<List<CommuneSummary>>, ValidationProblem, ProblemHttpResult>> Search(
        string? province, string? q, int? limit, CoordinationDb db, CancellationToken ct)
    {
        if (province is not null && !Problems.IsProvinceCode(province))
            return Problems.BadParameter("province", "province must be a 2-digit province code, e.g. 40.");
        if (limit is < 1 or > 5000)
            return Problems.BadParameter("limit", "limit must be between 1 and 5000.");
        if (province is not null && !await db.Provinces.AnyAsync(p => p.Code == province, ct))
            return Problems.NotFound("province", province);

        var communes = db.Communes.Where(c => province == null || c.ProvinceCode == province);
        if (q is null)
            return TypedResults.Ok(await communes.OrderBy(c => c.ProvinceCode).ThenBy(c => c.SearchKey).Take(limit ?? 5000)
                .Select(c => new CommuneSummary(c.Code, c.Name, c.Kind, c.ProvinceCode, c.Province!.Name, c.Population, null, null))
                .ToListAsync(ct));

        if (q.Length > MaxQueryLength)
            return Problems.BadParameter("q", $"q is longer than {MaxQueryLength} characters.");
        var key = SearchKey.Fold(q);
        if (key.Length == 0)
            return Problems.BadParameter("q", "q must contain at least one letter or digit.");

        // Folded keys hold only letters, digits and single spaces, so they need no LIKE escaping.
        var pattern = $"%{key}%";
        var rows = await communes
            .Where(c => EF.Functions.Like(c.SearchKey, pattern) || c.FormerKeys.Any(k => EF.Functions.Like(k, pattern)))
            .Select(c => new { c.Code, c.Name, c.Kind, c.ProvinceCode, ProvinceName = c.Province!.Name, c.Population, c.SearchKey, c.FormerNames, c.FormerKeys })
            .ToListAsync(ct);

        var ranked = rows.Select(r =>
            {
                if (r.SearchKey.Contains(key))
                    return (rank: Rank(r.SearchKey, key), summary: new CommuneSummary(r.Code, r.Name, r.Kind, r.ProvinceCode, r.ProvinceName, r.Population, "name", null));
                var i = Array.FindIndex(r.FormerKeys, k => k.Contains(key));
                return (rank: 10 + Rank(StripUnitWord(r.FormerKeys[i]), key),
                        summary: new CommuneSummary(r.Code, r.Name, r.Kind, r.ProvinceCode, r.ProvinceName, r.Population, "formerName", r.FormerNames[i]));
            })
            .OrderBy(x => x.rank).ThenBy(x => SearchKey.Fold(x.summary.Name)).ThenBy(x => x.summary.ProvinceCode)
            .Take(limit ?? 50).Select(x => x.summary).ToList();
        return TypedResults.Ok(ranked);
    }

    /// <summary>Exact name first, then prefix, then a word start, then anywhere.</summary>
    static int Rank(string candidate, string key) =>
        candidate == key ? 0 : candidate.StartsWith(key) ? 1 : candidate.Contains(" " + key) ? 2 : 3;

    /// <summary>Former names carry their kind ("xa chau tien"): rank them by the name itself.</summary>
    static string StripUnitWord(string key)
    {
        foreach (var prefix in new[] { "thi tran ", "xa ", "phuong ", "dac khu " })
            if (key.StartsWith(prefix)) return key[prefix.Length..];
        return key;
    }

    static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> GetFeature(
        string code, CoordinationDb db, CancellationToken ct)
    {
        if (!Problems.IsCommuneCode(code))
            return Problems.BadParameter("code", "code must be an official commune code of 4–6 digits, e.g. 17170.");
        var c = await db.Communes.Where(x => x.Code == code).Select(x => new
        {
            x.Code, x.Name, x.NameEn, x.Kind, x.ProvinceCode, ProvinceName = x.Province!.Name, x.Population,
            x.PopulationUncertain, x.AreaKm2, x.MergedFrom, x.FormerNames, x.AdminCenter, x.LabelPoint,
            DefenseArea = db.DefenseAreaCommunes.Where(m => m.CommuneCode == x.Code)
                .Join(db.DefenseAreas, m => m.DefenseAreaId, d => d.Id, (m, d) => new { d.Id, d.Name, d.IsSample }).FirstOrDefault(),
        }).FirstOrDefaultAsync(ct);
        if (c is null) return Problems.NotFound("commune", code);

        // Geometry straight from PostGIS as GeoJSON (6 decimals ≈ 0.1 m), no round trip through C# objects.
        var geometry = await db.Database.SqlQuery<string>($"SELECT ST_AsGeoJSON(geom, 6) AS \"Value\" FROM communes WHERE code = {code}")
            .SingleAsync(ct);
        var feature = new JsonObject
        {
            ["type"] = "Feature",
            ["id"] = c.Code,
            ["geometry"] = JsonNode.Parse(geometry),
            ["properties"] = new JsonObject
            {
                ["code"] = c.Code, ["name"] = c.Name, ["nameEn"] = c.NameEn, ["kind"] = c.Kind,
                ["provinceCode"] = c.ProvinceCode, ["provinceName"] = c.ProvinceName,
                ["population"] = c.Population, ["populationUncertain"] = c.PopulationUncertain, ["areaKm2"] = c.AreaKm2,
                ["mergedFrom"] = c.MergedFrom, ["formerNames"] = new JsonArray(c.FormerNames.Select(n => (JsonNode?)n).ToArray()),
                ["adminCenter"] = c.AdminCenter,
                ["labelPoint"] = c.LabelPoint is null ? null : new JsonArray(Math.Round(c.LabelPoint.X, 6), Math.Round(c.LabelPoint.Y, 6)),
                ["defenseArea"] = c.DefenseArea is null ? null
                    : new JsonObject { ["id"] = c.DefenseArea.Id, ["name"] = c.DefenseArea.Name, ["isSample"] = c.DefenseArea.IsSample },
            },
        };
        return TypedResults.Text(feature.ToJsonString(), "application/geo+json; charset=utf-8");
    }

    static async Task<Results<Ok<NeighboursDto>, ValidationProblem, ProblemHttpResult>> Neighbours(
        string code, string? rings, CoordinationDb db, CancellationToken ct)
    {
        if (!Problems.IsCommuneCode(code))
            return Problems.BadParameter("code", "code must be an official commune code of 4–6 digits, e.g. 17170.");
        var ringCount = 1;
        if (rings is not null && (!int.TryParse(rings, out ringCount) || ringCount is < 1 or > 3))
            return Problems.BadParameter("rings", "rings must be 1, 2 or 3.");
        var origin = await db.Communes.Where(c => c.Code == code).Select(c => new { c.Code, c.Name }).FirstOrDefaultAsync(ct);
        if (origin is null) return Problems.NotFound("commune", code);

        var list = await NeighbourQuery.RingsAsync(db, code, ringCount, ct);
        return TypedResults.Ok(new NeighboursDto(origin.Code, origin.Name, ringCount,
            AdjacencyCalculator.ToleranceM, AdjacencyCalculator.MinSharedM,
            list.Where(n => n.Ring is not null).ToList(), list.Where(n => n.Ring is null).ToList()));
    }
}
