namespace Coordination.Tests.Api;

/// <summary>Every route of the foundation against the real app and a real PostGIS database (Nghệ An seeded).</summary>
[Collection("postgis")]
public class ApiContractTests(PostgisFixture fixture) : ApiTest(fixture)
{
    HttpClient _http = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _http = NewClient();
    }

    async Task<JsonElement> Get(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await _http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>RFC 9457: problem+json with status, title and the offending parameter named.</summary>
    async Task AssertProblem(string url, HttpStatusCode status, string? parameter = null)
    {
        var response = await _http.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        if (parameter is not null) Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"{url} names {parameter}");
    }

    [Fact]
    public async Task Provinces_lists_all_34_with_commune_counts()
    {
        var provinces = await Get("/api/provinces");
        Assert.Equal(34, provinces.GetArrayLength());
        var ngheAn = provinces.EnumerateArray().Single(p => p.GetProperty("code").GetString() == "40");
        Assert.Equal("Nghệ An", ngheAn.GetProperty("name").GetString());
        Assert.Equal(130, ngheAn.GetProperty("communeCount").GetInt32());
    }

    [Theory]
    [InlineData("chau khe")]
    [InlineData("Châu Khê")]
    [InlineData("CHAU KHE")]
    [InlineData("châu  khê")]
    public async Task Search_finds_a_name_with_or_without_diacritics_in_any_case(string q)
    {
        var results = await Get($"/api/communes?q={Uri.EscapeDataString(q)}");
        var first = results[0];
        Assert.Equal("17248", first.GetProperty("code").GetString());
        Assert.Equal("Châu Khê", first.GetProperty("name").GetString());
        Assert.Equal("Nghệ An", first.GetProperty("provinceName").GetString());
        Assert.Equal("name", first.GetProperty("match").GetString());
    }

    [Fact]
    public async Task Search_finds_a_commune_by_a_pre_merger_name_and_says_so()
    {
        // Xã Châu Tiến (old) was merged into today's Châu Hồng; today's Châu Tiến is another commune.
        var results = (await Get("/api/communes?q=chau tien")).EnumerateArray().ToList();
        Assert.Equal("Châu Tiến", results[0].GetProperty("name").GetString());
        var former = results.Single(r => r.GetProperty("match").GetString() == "formerName");
        Assert.Equal("Châu Hồng", former.GetProperty("name").GetString());
        Assert.Equal("Xã Châu Tiến", former.GetProperty("formerName").GetString());
    }

    [Fact]
    public async Task Communes_filter_by_province_and_reject_bad_parameters()
    {
        Assert.Equal(130, (await Get("/api/communes?province=40")).GetArrayLength());
        Assert.Equal(0, (await Get("/api/communes?province=01")).GetArrayLength());   // a real province with no communes loaded here
        await AssertProblem("/api/communes?province=4x", HttpStatusCode.BadRequest, "province");
        await AssertProblem("/api/communes?province=99", HttpStatusCode.NotFound);
        await AssertProblem("/api/communes?q=%21%21%21", HttpStatusCode.BadRequest, "q");
        await AssertProblem($"/api/communes?q={new string('a', 101)}", HttpStatusCode.BadRequest, "q");
        await AssertProblem("/api/communes?q=a&limit=0", HttpStatusCode.BadRequest, "limit");
        await AssertProblem("/api/communes?limit=abc", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_commune_is_a_GeoJSON_feature()
    {
        var response = await _http.GetAsync("/api/communes/17248");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var f = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Feature", f.GetProperty("type").GetString());
        Assert.Equal("17248", f.GetProperty("id").GetString());
        Assert.Contains(f.GetProperty("geometry").GetProperty("type").GetString(), new[] { "MultiPolygon" });
        var ring = f.GetProperty("geometry").GetProperty("coordinates")[0][0];
        var lon = ring[0][0].GetDouble();
        var lat = ring[0][1].GetDouble();
        Assert.InRange(lon, 103, 106);   // RFC 7946: longitude first, WGS84
        Assert.InRange(lat, 18, 20.5);
        Assert.Equal(ring[0].GetRawText(), ring[ring.GetArrayLength() - 1].GetRawText());
        var p = f.GetProperty("properties");
        Assert.Equal("Châu Khê", p.GetProperty("name").GetString());
        Assert.Equal("xã", p.GetProperty("kind").GetString());
        Assert.Equal("Nghệ An", p.GetProperty("provinceName").GetString());
        Assert.True(p.GetProperty("defenseArea").GetProperty("isSample").GetBoolean());

        await AssertProblem("/api/communes/99999", HttpStatusCode.NotFound);
        await AssertProblem("/api/communes/abc", HttpStatusCode.BadRequest, "code");
    }

    [Fact]
    public async Task Neighbours_come_in_rings_with_border_length_contact_and_distance()
    {
        var n = await Get("/api/communes/17248/neighbours?rings=2");
        Assert.Equal(2, n.GetProperty("rings").GetInt32());
        var list = n.GetProperty("neighbours").EnumerateArray().ToList();
        var conCuong = list.Single(x => x.GetProperty("code").GetString() == "17254");
        Assert.Equal(1, conCuong.GetProperty("ring").GetInt32());
        Assert.Equal("neighbour", conCuong.GetProperty("contact").GetString());
        Assert.True(conCuong.GetProperty("sharedBorderM").GetDouble() > 1000);
        Assert.InRange(conCuong.GetProperty("distanceM").GetDouble(), 1_000, 60_000);
        var ring2 = list.Where(x => x.GetProperty("ring").GetInt32() == 2).ToList();
        Assert.NotEmpty(ring2);
        Assert.All(ring2, x => Assert.Equal(JsonValueKind.Null, x.GetProperty("sharedBorderM").ValueKind));
        Assert.All(ring2, x => Assert.False(string.IsNullOrEmpty(x.GetProperty("via").GetString())));
        Assert.Equal(list.Count, list.Select(x => x.GetProperty("code").GetString()).Distinct().Count());

        Assert.Equal(1, (await Get("/api/communes/17248/neighbours")).GetProperty("rings").GetInt32());
        foreach (var bad in new[] { "0", "4", "x", "1.5" })
            await AssertProblem($"/api/communes/17248/neighbours?rings={bad}", HttpStatusCode.BadRequest, "rings");
        await AssertProblem("/api/communes/99999/neighbours", HttpStatusCode.NotFound);
        await AssertProblem("/api/communes/1/neighbours", HttpStatusCode.BadRequest, "code");
    }

    [Fact]
    public async Task Adjacency_lists_pairs_of_a_province()
    {
        var a = await Get("/api/adjacency?province=40");
        Assert.True(a.GetProperty("neighbours").GetInt32() > 300);
        var pairs = a.GetProperty("pairs").EnumerateArray().ToList();
        Assert.Contains(pairs, p => p.GetProperty("codeA").GetString() == "17248" && p.GetProperty("codeB").GetString() == "17254"
                                     && p.GetProperty("contact").GetString() == "neighbour");
        Assert.All(pairs, p => Assert.True(p.GetProperty("sharedBorderM").GetDouble() >= 0));
        Assert.True(a.GetProperty("toleranceM").GetDouble() > 0);
        await AssertProblem("/api/adjacency?province=x", HttpStatusCode.BadRequest, "province");
        await AssertProblem("/api/adjacency?province=98", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Defense_areas_sample_covers_Nghe_An_and_says_it_is_a_sample()
    {
        var areas = (await Get("/api/defense-areas?province=40")).EnumerateArray().ToList();
        Assert.Equal(10, areas.Count);
        Assert.All(areas, a => Assert.True(a.GetProperty("isSample").GetBoolean()));
        Assert.Equal(130, areas.Sum(a => a.GetProperty("communes").GetArrayLength()));
        var one = await Get($"/api/defense-areas/{areas[0].GetProperty("id").GetInt32()}");
        Assert.Equal(areas[0].GetProperty("name").GetString(), one.GetProperty("name").GetString());
        await AssertProblem("/api/defense-areas/999999", HttpStatusCode.NotFound);
        await AssertProblem("/api/defense-areas?province=abc", HttpStatusCode.BadRequest, "province");
    }

    [Fact]
    public async Task Vector_tiles_are_served_and_bad_coordinates_rejected()
    {
        // z8 tile over western Nghệ An (Con Cuông / Châu Khê)
        var response = await _http.GetAsync("/tiles/communes/8/202/114.mvt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.mapbox-vector-tile", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 1000);
        await AssertProblem("/tiles/communes/30/0/0.mvt", HttpStatusCode.BadRequest, "z");
        await AssertProblem("/tiles/communes/3/9/0.mvt", HttpStatusCode.BadRequest, "x");
    }

    [Fact]
    public async Task OpenApi_document_describes_every_route()
    {
        var doc = await Get("/openapi/v1.json");
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/api/provinces", "/api/communes", "/api/communes/{code}", "/api/communes/{code}/neighbours",
                                     "/api/adjacency", "/api/defense-areas", "/tiles/communes/{z}/{x}/{y}.mvt" })
            Assert.Contains(path, paths);
    }
}

/// <summary>Routes whose meaning needs the whole country.</summary>
[Collection("postgis")]
public class NationwideApiTests(PostgisFixture fixture)
{
    [Fact]
    public async Task Names_repeat_across_provinces_and_all_candidates_are_returned()
    {
        await using var api = new ApiFactory(await fixture.NationwideDatabaseAsync());
        var http = api.CreateClient();
        var results = (await http.GetFromJsonAsync<JsonElement>("/api/communes?q=tan an")).EnumerateArray()
            .Where(r => r.GetProperty("match").GetString() == "name" && r.GetProperty("name").GetString() == "Tân An").ToList();
        Assert.True(results.Count >= 10, $"{results.Count} communes named Tân An");
        Assert.True(results.Select(r => r.GetProperty("provinceCode").GetString()).Distinct().Count() >= 5);

        var all = await http.GetFromJsonAsync<JsonElement>("/api/adjacency");
        Assert.Null(all.GetProperty("province").GetString());
        Assert.True(all.GetProperty("neighbours").GetInt32() > 8000);
        Assert.Contains(all.GetProperty("pairs").EnumerateArray(), p =>
            p.GetProperty("provinceA").GetString() != p.GetProperty("provinceB").GetString() && p.GetProperty("contact").GetString() == "neighbour");
    }
}
