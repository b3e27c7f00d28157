using System.Text.Json.Nodes;
using Coordination.Api.Data;
using Coordination.Api.Boundaries.Import;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordination.Tests.Geo;

/// <summary>The importer against real PostGIS: every rejection writes nothing; repairs are reported; re-imports are idempotent.</summary>
[Collection("postgis")]
public class ImporterTests(PostgisFixture fixture)
{
    const string ChauKhe = "17248", ConCuong = "17254";

    static GeoImporter Importer(CoordinationDb db) => new(db, TimeProvider.System, NullLogger<GeoImporter>.Instance);

    /// <summary>A fingerprint of everything the importer may write.</summary>
    static async Task<string> Snapshot(CoordinationDb db) =>
        await db.Database.SqlQueryRaw<string>("""
            SELECT concat_ws('|',
              (SELECT count(*) FROM provinces), (SELECT count(*) FROM communes), (SELECT count(*) FROM adjacency),
              (SELECT count(*) FROM geo_imports),
              (SELECT md5(string_agg(code || name || source_hash || ST_AsEWKB(geom)::text || updated_at::text, ',' ORDER BY code)) FROM communes),
              (SELECT md5(string_agg(code_a || code_b || shared_m::text || contact, ',' ORDER BY code_a, code_b)) FROM adjacency)) AS "Value"
            """).SingleAsync();

    /// <summary>A good feature with a changed name next to the bad one: proves the whole file is refused, not just the bad feature.</summary>
    static JsonObject ChangedGoodFeature()
    {
        var f = GeoJsonFiles.Feature(ChauKhe);
        f["properties"]!["name"] = "Châu Khê (đổi tên)";
        return f;
    }

    public static TheoryData<string, string> BadFiles() => new()
    {
        { "unparseable", "not valid JSON" },
        { "not-a-collection", "not a GeoJSON FeatureCollection" },
        { "missing-code", "missing code" },
        { "missing-name", "missing name" },
        { "numeric-code", "is a number" },
        { "wrong-crs-declared", "wrong CRS" },
        { "projected-coordinates", "wrong CRS" },
        { "point-geometry", "geometry is Point; expected Polygon or MultiPolygon" },
        { "linestring-geometry", "geometry is LineString" },
        { "no-geometry", "has no geometry" },
        { "unclosed-ring", "not closed" },
        { "duplicate-code", "duplicate code" },
        { "bad-kind", "is not one of" },
    };

    static string MakeBadFile(string kind)
    {
        var bad = GeoJsonFiles.Feature(ConCuong);
        var props = bad["properties"]!.AsObject();
        switch (kind)
        {
            case "unparseable":
                return GeoJsonFiles.WriteText(GeoJsonFiles.Collection(ChangedGoodFeature(), bad).ToJsonString()[..5000]);
            case "not-a-collection":
                return GeoJsonFiles.Write(bad);
            case "missing-code": props.Remove("code"); break;
            case "missing-name": props["name"] = "  "; break;
            case "numeric-code": props["code"] = 17254; break;
            case "wrong-crs-declared":
            {
                var c = GeoJsonFiles.Collection(ChangedGoodFeature(), bad);
                c["crs"] = new JsonObject { ["type"] = "name", ["properties"] = new JsonObject { ["name"] = "urn:ogc:def:crs:EPSG::3405" } };
                return GeoJsonFiles.Write(c);
            }
            case "projected-coordinates":
                // the same shape in UTM-like metres, with no CRS declared
                foreach (var pos in bad["geometry"]!["coordinates"]!.AsArray().SelectMany(Positions))
                {
                    pos[0] = (double)pos[0]! * 5000;
                    pos[1] = (double)pos[1]! * 100000;
                }
                break;
            case "point-geometry":
                bad["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(104.8, 19.0) };
                break;
            case "linestring-geometry":
                bad["geometry"] = new JsonObject { ["type"] = "LineString", ["coordinates"] = new JsonArray(new JsonArray(104.8, 19.0), new JsonArray(104.9, 19.1)) };
                break;
            case "no-geometry": bad["geometry"] = null; break;
            case "unclosed-ring":
            {
                var ring = FirstRing(bad);
                ring.RemoveAt(ring.Count - 1);
                break;
            }
            case "duplicate-code": props["code"] = ChauKhe; break;
            case "bad-kind": props["kind"] = "huyện"; break;
        }
        return GeoJsonFiles.Write(GeoJsonFiles.Collection(ChangedGoodFeature(), bad));
    }

    static JsonArray FirstRing(JsonObject feature)
    {
        var g = feature["geometry"]!;
        return (string)g["type"]! == "Polygon" ? g["coordinates"]![0]!.AsArray() : g["coordinates"]![0]![0]!.AsArray();
    }

    static IEnumerable<JsonArray> Positions(JsonNode? node) =>
        node is JsonArray a && a.Count > 0 && a[0] is JsonValue ? [a] : node is JsonArray arr ? arr.SelectMany(Positions) : [];

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_rejected_file_names_the_problem_and_writes_nothing(string kind, string expected)
    {
        await using var db = PostgisFixture.NewContext(await fixture.CreateDatabaseAsync());
        var before = await Snapshot(db);
        var file = MakeBadFile(kind);

        var e = await Assert.ThrowsAsync<GeoImportRejected>(() => Importer(db).ImportCommunesAsync(file));

        Assert.Contains(expected, e.Message);
        if (kind is not ("unparseable" or "not-a-collection" or "wrong-crs-declared"))
            Assert.Contains("feature #2", e.Message);       // names the feature
        Assert.Equal(before, await Snapshot(db));
        Assert.Equal("Châu Khê", await db.Communes.Where(c => c.Code == ChauKhe).Select(c => c.Name).SingleAsync());
    }

    [Fact]
    public async Task A_missing_file_is_rejected()
    {
        await using var db = PostgisFixture.NewContext(await fixture.CreateEmptyDatabaseAsync());
        var e = await Assert.ThrowsAsync<GeoImportRejected>(() => Importer(db).ImportCommunesAsync("/nonexistent/communes.geojson"));
        Assert.Contains("file not found", e.Message);
        Assert.Equal(0, await db.Communes.CountAsync());
    }

    [Fact]
    public async Task An_invalid_ring_is_repaired_with_MakeValid_and_reported()
    {
        await using var db = PostgisFixture.NewContext(await fixture.CreateEmptyDatabaseAsync());
        var f = GeoJsonFiles.Feature(ChauKhe);
        // A bow-tie: the ring crosses itself, so the polygon is invalid.
        f["geometry"] = JsonNode.Parse("""{"type":"Polygon","coordinates":[[[104.90,19.10],[105.00,19.20],[105.00,19.10],[104.90,19.20],[104.90,19.10]]]}""");

        var result = await Importer(db).ImportCommunesAsync(GeoJsonFiles.Write(GeoJsonFiles.Collection(f, GeoJsonFiles.Feature(ConCuong))));

        var repaired = Assert.Single(result.Repaired);
        Assert.Contains($"code {ChauKhe}", repaired);
        Assert.Contains("Self-intersection", repaired);
        // Unmapped result types follow the snake_case naming convention.
        var (valid, type, area) = await db.Database.SqlQueryRaw<ValidityRow>(
            "SELECT ST_IsValid(geom) AS valid, GeometryType(geom) AS type, ST_Area(geom_m) AS area FROM communes WHERE code = {0}", ChauKhe)
            .SingleAsync();
        Assert.True(valid);
        Assert.Equal("MULTIPOLYGON", type);
        Assert.True(area > 1e6, $"both lobes of the bow-tie are kept (area {area:F0} m²)");
        Assert.Contains(await db.GeoImports.SelectMany(i => i.Repaired).ToListAsync(), r => r.Contains(ChauKhe));
    }

    public sealed record ValidityRow(bool Valid, string Type, double Area);

    [Fact]
    public async Task Reimporting_the_same_file_changes_nothing_and_a_changed_feature_is_updated_by_code()
    {
        await using var db = PostgisFixture.NewContext(await fixture.CreateEmptyDatabaseAsync());
        var file = PostgisFixture.GeoFile("nghe-an-communes-2025.geojson");
        var first = await Importer(db).ImportCommunesAsync(file);
        Assert.Equal((130, 130, 0), (first.Features, first.Inserted, first.Updated));
        var before = await Snapshot(db);

        var again = await Importer(db).ImportCommunesAsync(file);
        Assert.Equal((0, 0, 130), (again.Inserted, again.Updated, again.Unchanged));
        Assert.Null(again.Adjacency);                      // nothing changed, nothing recomputed
        var after = await Snapshot(db);
        Assert.Equal(before.Split('|')[1..3], after.Split('|')[1..3]);
        Assert.Equal(before.Split('|')[4..], after.Split('|')[4..]);   // same rows, same geometry, same timestamps

        var skipped = await Importer(db).ImportCommunesAsync(file, skipIfUnchanged: true);
        Assert.True(skipped.Skipped);

        var changed = await Importer(db).ImportCommunesAsync(GeoJsonFiles.Write(GeoJsonFiles.Collection(ChangedGoodFeature())));
        Assert.Equal((0, 1, 0), (changed.Inserted, changed.Updated, changed.Unchanged));
        Assert.Equal("Châu Khê (đổi tên)", await db.Communes.Where(c => c.Code == ChauKhe).Select(c => c.Name).SingleAsync());
        Assert.Equal(130, await db.Communes.CountAsync());
    }
}
