using Coordination.Api.Data;
using Coordination.Api.Boundaries;
using Coordination.Api.Boundaries.Import;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordination.Tests.Geo;

/// <summary>Adjacency on real boundaries: known pairs, messy files, and an independent check on the whole country.</summary>
[Collection("postgis")]
public class AdjacencyTests(PostgisFixture fixture, ITestOutputHelper output)
{
    static async Task<Dictionary<(string, string), (double shared, string contact)>> Pairs(CoordinationDb db) =>
        (await db.Adjacencies.ToListAsync()).ToDictionary(a => (a.CodeA, a.CodeB), a => (a.SharedM, a.Contact));

    static HashSet<(string, string)> NeighbourSet(Dictionary<(string, string), (double shared, string contact)> pairs) =>
        pairs.Where(p => p.Value.contact == ContactKind.Neighbour).Select(p => p.Key).ToHashSet();

    static (string, string) Pair(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);

    [Fact]
    public async Task Chau_Khe_and_Con_Cuong_are_neighbours_sharing_kilometres_of_border()
    {
        await using var db = PostgisFixture.NewContext(await fixture.CreateDatabaseAsync());
        var pairs = await Pairs(db);
        var (shared, contact) = pairs[Pair("17248", "17254")];
        Assert.Equal(ContactKind.Neighbour, contact);
        Assert.InRange(shared, 10_000, 25_000);     // ~15.7 km on the map
        Assert.All(pairs.Keys, k => Assert.True(string.CompareOrdinal(k.Item1, k.Item2) < 0));
    }

    [Fact]
    public async Task The_gappy_file_gives_the_same_neighbours_as_the_clean_one()
    {
        await using var clean = PostgisFixture.NewContext(await fixture.CreateDatabaseAsync());
        await using var gappy = PostgisFixture.NewContext(await fixture.CreateEmptyDatabaseAsync());
        var result = await new GeoImporter(gappy, TimeProvider.System, NullLogger<GeoImporter>.Instance)
            .ImportCommunesAsync(PostgisFixture.GeoFile("nghe-an-communes-2025-gappy.geojson"));
        output.WriteLine($"gappy import: {result}");

        var cleanSet = NeighbourSet(await Pairs(clean));
        var gappySet = NeighbourSet(await Pairs(gappy));
        output.WriteLine($"clean {cleanSet.Count} neighbour pairs, gappy {gappySet.Count}");
        Assert.Empty(cleanSet.Except(gappySet));
        Assert.Empty(gappySet.Except(cleanSet));
        Assert.True(cleanSet.Count > 300);
    }

    [Fact]
    public async Task Rings_walk_outward_without_repeating_communes()
    {
        await using var db = PostgisFixture.NewContext(await fixture.CreateDatabaseAsync());
        var rings = await Coordination.Api.Boundaries.NeighbourQuery.RingsAsync(db, "17248", 3, default);
        var ringed = rings.Where(r => r.Ring is not null).ToList();
        Assert.Equal(ringed.Count, ringed.Select(r => r.Code).Distinct().Count());
        Assert.DoesNotContain(ringed, r => r.Code == "17248");
        Assert.Contains(ringed, r => r.Code == "17254" && r.Ring == 1);
        // every ring-2 commune is reached through a ring-1 commune that really borders it
        var pairs = NeighbourSet(await Pairs(db));
        foreach (var r2 in ringed.Where(r => r.Ring == 2))
        {
            Assert.Contains(ringed, r1 => r1.Code == r2.Via && r1.Ring == 1);
            Assert.Contains(Pair(r2.Code, r2.Via!), pairs);
            Assert.DoesNotContain(Pair(r2.Code, "17248"), pairs);
        }
        Assert.Equal([1, 2, 3], ringed.Select(r => r.Ring!.Value).Distinct().Order());
    }
}

/// <summary>The whole country: acceptance against an independent computation from exact shared boundaries.</summary>
[Collection("postgis")]
public class NationwideAdjacencyTests(PostgisFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Nationwide_import_repairs_the_known_invalid_features_and_keeps_every_commune()
    {
        await using var db = PostgisFixture.NewContext(await fixture.NationwideDatabaseAsync());
        Assert.Equal(3321, await db.Communes.CountAsync());
        Assert.Equal(34, await db.Provinces.CountAsync(p => p.Communes.Any()));
        var import = await db.GeoImports.OrderBy(i => i.Id).LastAsync();
        output.WriteLine($"repaired: {string.Join("; ", import.Repaired)}");
        Assert.Equal(3, import.Repaired.Length);
        Assert.Equal(0, await db.Communes.CountAsync(c => c.Code.Length == 0));
        Assert.Equal(0, await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM communes WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom)").SingleAsync());
    }

    public sealed record Check(string CodeA, string CodeB, double Within1m, double? Ours, string? Contact);

    [Fact]
    public async Task Plain_borders_are_neighbours_and_corners_and_distant_communes_are_not()
    {
        await using var db = PostgisFixture.NewContext(await fixture.NationwideDatabaseAsync());
        // Independent measure, by a different method (buffer ∩ boundary, not segment endpoints) with a
        // tolerance of 1 m: the nationwide file shares identical border vertices between neighbours, so
        // this is their common boundary — robust to sub-metre misalignments that make an exact
        // ST_Intersection degenerate to points (Bình Mỹ 30487 – Vĩnh Hanh 30619 run within 1 m for 4.6 km).
        var checks = await db.Database.SqlQueryRaw<Check>("""
            SELECT a.code AS code_a, b.code AS code_b,
                   ST_Length(ST_Intersection(ST_ClipByBox2D(ST_Boundary(a.geom_m), ST_Expand(b.geom_m::box2d, 2)),
                             ST_Buffer(ST_ClipByBox2D(ST_Boundary(b.geom_m), ST_Expand(a.geom_m::box2d, 2)), 1))) AS within1m,
                   j.shared_m AS ours, j.contact
            FROM communes a JOIN communes b ON a.code < b.code AND ST_DWithin(a.geom_m, b.geom_m, 1)
            LEFT JOIN adjacency j ON j.code_a = a.code AND j.code_b = b.code
            """).ToListAsync();

        var plain = checks.Where(e => e.Within1m >= 300).ToList();
        var missed = plain.Where(e => e.Contact != ContactKind.Neighbour).ToList();
        output.WriteLine($"{plain.Count} pairs share ≥ 300 m of border; missed: {string.Join(", ", missed.Select(m => $"{m.CodeA}-{m.CodeB} {m.Within1m:F0} m"))}");
        Assert.True(plain.Count > 9000);
        Assert.Empty(missed);

        // Touching pairs with under 50 m of common border (point contacts among them) are never neighbours.
        var corners = checks.Where(e => e.Within1m < 50).ToList();
        var falseNeighbours = corners.Where(e => e.Contact == ContactKind.Neighbour).ToList();
        output.WriteLine($"{corners.Count} corner contacts; as neighbour: {string.Join(", ", falseNeighbours.Select(m => $"{m.CodeA}-{m.CodeB} ours {m.Ours:F0} m"))}");
        Assert.True(corners.Count > 100);
        Assert.Empty(falseNeighbours);

        // Nothing in the adjacency table is further apart than the tolerance.
        var far = await db.Database.SqlQueryRaw<int>($"""
            SELECT count(*)::int AS "Value" FROM adjacency j JOIN communes a ON a.code = j.code_a JOIN communes b ON b.code = j.code_b
            WHERE ST_Distance(a.geom_m, b.geom_m) > {AdjacencyCalculator.ToleranceM}
            """).SingleAsync();
        Assert.Equal(0, far);
    }

    [Fact]
    public async Task Cross_province_pairs_count_and_islands_have_no_neighbours()
    {
        await using var db = PostgisFixture.NewContext(await fixture.NationwideDatabaseAsync());
        var cross = await (from j in db.Adjacencies
                           join a in db.Communes on j.CodeA equals a.Code
                           join b in db.Communes on j.CodeB equals b.Code
                           where j.Contact == ContactKind.Neighbour && a.ProvinceCode != b.ProvinceCode
                           select new { NameA = a.Name, NameB = b.Name, j.SharedM }).ToListAsync();
        output.WriteLine($"{cross.Count} cross-province neighbour pairs");
        Assert.True(cross.Count > 100);

        // Bạch Long Vĩ, Côn Đảo, Cô Tô (Quảng Ninh — not its inland namesake in An Giang), Trường Sa, Hoàng Sa
        foreach (var code in new[] { "11948", "26732", "07192", "22736", "20333" })
            Assert.False(await db.Adjacencies.AnyAsync(j => j.CodeA == code || j.CodeB == code), $"{code} is an island");
    }
}
