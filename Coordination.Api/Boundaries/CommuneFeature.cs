using System.Text.Json.Nodes;

namespace Coordination.Api.Boundaries;

/// <summary>One commune as a GeoJSON Feature (RFC 7946) with its reference properties and defense area.</summary>
public static class CommuneFeature
{
    /// <summary>The feature, or null when there is no such commune.</summary>
    public static async Task<JsonObject?> LoadAsync(CoordinationDb db, string code, CancellationToken ct)
    {
        var c = await db.Communes.Where(x => x.Code == code).Select(x => new
        {
            x.Code, x.Name, x.NameEn, x.Kind, x.ProvinceCode, ProvinceName = x.Province!.Name, x.Population,
            x.PopulationUncertain, x.AreaKm2, x.MergedFrom, x.FormerNames, x.AdminCenter, x.LabelPoint,
            DefenseArea = db.DefenseAreaCommunes.Where(m => m.CommuneCode == x.Code)
                .Join(db.DefenseAreas, m => m.DefenseAreaId, d => d.Id, (m, d) => new { d.Id, d.Name, d.IsSample }).FirstOrDefault(),
        }).FirstOrDefaultAsync(ct);
        if (c is null) return null;

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
        return feature;
    }
}
