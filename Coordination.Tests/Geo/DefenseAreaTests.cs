using System.Text.Json.Nodes;
using Coordination.Api.Boundaries.Import;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordination.Tests.Geo;

/// <summary>Defense-area groupings are editable data: a file replaces a province's areas, or is refused whole.</summary>
[Collection("postgis")]
public class DefenseAreaTests(PostgisFixture fixture)
{
    static string AreasFile(params (string name, string[] communes)[] areas) => GeoJsonFiles.Write(new JsonObject
    {
        ["sample"] = false,
        ["areas"] = new JsonArray(areas.Select(a => (JsonNode?)new JsonObject
        {
            ["name"] = a.name, ["province_code"] = "40",
            ["communes"] = new JsonArray(a.communes.Select(c => (JsonNode?)c).ToArray()),
        }).ToArray()),
    });

    [Fact]
    public async Task A_file_replaces_the_sample_areas_of_its_province()
    {
        await using var db = PostgisFixture.NewContext(await fixture.CreateDatabaseAsync());
        Assert.Equal(10, await db.DefenseAreas.CountAsync(d => d.ProvinceCode == "40" && d.IsSample));

        var n = await new DefenseAreaImporter(db, NullLogger<DefenseAreaImporter>.Instance)
            .ImportAsync(AreasFile(("Khu vực 3 – Quỳ Châu", ["17248", "17254"])), replace: true);

        Assert.Equal(1, n);
        var area = await db.DefenseAreas.Include(d => d.Communes).SingleAsync(d => d.ProvinceCode == "40");
        Assert.Equal("Khu vực 3 – Quỳ Châu", area.Name);
        Assert.False(area.IsSample);
        Assert.Equal(["17248", "17254"], area.Communes.Select(c => c.CommuneCode).Order());

        // Start-up seeding does not overwrite an edited grouping.
        await GeoSeeder.Create(db).SeedAsync(new GeoSeedOptions { CommunesFile = PostgisFixture.GeoFile("nghe-an-communes-2025.geojson") });
        Assert.Equal(1, await db.DefenseAreas.CountAsync(d => d.ProvinceCode == "40"));
    }

    [Theory]
    [InlineData("99999", "not a loaded commune")]     // unknown
    [InlineData("00004", "not a loaded commune")]     // Ba Đình belongs to Hà Nội (not loaded here either)
    [InlineData("17248", "also in area")]             // in two areas
    public async Task A_bad_file_is_refused_and_changes_nothing(string code, string expected)
    {
        await using var db = PostgisFixture.NewContext(await fixture.CreateDatabaseAsync());
        var before = await db.DefenseAreas.OrderBy(d => d.Id).Select(d => d.Name).ToListAsync();

        var e = await Assert.ThrowsAsync<GeoImportRejected>(() => new DefenseAreaImporter(db, NullLogger<DefenseAreaImporter>.Instance)
            .ImportAsync(AreasFile(("A", ["17248"]), ("B", [code])), replace: true));

        Assert.Contains(expected, e.Message);
        Assert.Contains("area 'B'", e.Message);
        Assert.Equal(before, await db.DefenseAreas.OrderBy(d => d.Id).Select(d => d.Name).ToListAsync());
    }
}
