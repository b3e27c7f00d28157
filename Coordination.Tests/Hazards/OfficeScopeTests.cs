using static Coordination.Tests.Hazards.HazardTestData;

namespace Coordination.Tests.Hazards;

/// <summary>
/// Every write on offices and flood events, for each role: allowed for those who act for the commune, 401/403 for
/// the others — and a deny leaves offices, exposure and events exactly as they were.
/// </summary>
[Collection("postgis")]
public class OfficeScopeTests(PostgisFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    Dictionary<string, Session> _sessions = null!;
    string _outsideArea = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _sessions = await SignInAllAsync(Actors);
        await using var db = Db();
        var area = await db.DefenseAreaCommunes.Where(m => m.CommuneCode == ChauKhe).Select(m => m.DefenseAreaId).SingleAsync();
        _outsideArea = await db.Communes.Where(c => c.ProvinceCode == "40" && c.Code != ConCuong && !db.DefenseAreaCommunes.Any(m => m.DefenseAreaId == area && m.CommuneCode == c.Code))
            .OrderBy(c => c.Code).Select(c => c.Code).FirstAsync();
    }

    Task<string> Snapshot() => QueryTextAsync("""
            SELECT concat_ws('|',
                (SELECT md5(string_agg(concat_ws(',', id, name, kind, ST_AsText(location), fallback_office_id, shelter_occupancy, is_shelter), ';' ORDER BY id)) FROM offices),
                (SELECT md5(coalesce(string_agg(office_id || reason, ',' ORDER BY id), '')) FROM office_exposures),
                (SELECT md5(coalesce(string_agg(id || name || coalesce(ended_at::text, ''), ',' ORDER BY id), '')) FROM flood_events)) AS "Value"
            """);

    async Task<HttpResponseMessage> Expect(string? actor, HttpMethod method, string url, HttpStatusCode expected, object? body = null)
    {
        var before = await Snapshot();
        var response = await _sessions[actor ?? "anonymous"].SendAsync(method, url, body);
        output.WriteLine($"{actor ?? "anonymous",-16} {method,-6} {url,-36} {(int)response.StatusCode}");
        Assert.True(expected == response.StatusCode, $"{actor ?? "anonymous"} {method} {url}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if ((int)expected >= 400) Assert.Equal(before, await Snapshot());
        return response;
    }

    async Task<int> SeatOf(string commune)
    {
        await using var db = Db();
        return await db.Offices.Where(o => o.CommuneCode == commune && o.Kind == "people_committee").Select(o => o.Id).SingleAsync();
    }

    static HttpStatusCode ForChauKhe(string? actor, HttpStatusCode ok) => actor switch
    {
        null => HttpStatusCode.Unauthorized,
        "concuong.leader" => HttpStatusCode.Forbidden,
        _ => ok,   // its leader, its area's commander, its province operator, an administrator
    };

    [Fact]
    public async Task Office_writes_are_for_those_who_act_for_the_commune()
    {
        var centre = await LabelPointAsync(Cs, ChauKhe);
        var seat = await SeatOf(ChauKhe);
        var created = new List<int>();
        var shelterResponse = await _sessions["admin.demo"].SendAsync(HttpMethod.Post, "/api/offices", OfficeBody(ChauKhe, "Nhà văn hoá bản Xiềng", East(centre, 500), "cultural_house", true, 200));
        Assert.Equal(HttpStatusCode.Created, shelterResponse.StatusCode);
        var shelter = System.Text.Json.JsonDocument.Parse(await shelterResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("properties").GetProperty("id").GetInt32();
        foreach (var actor in Actors)
        {
            var r = await Expect(actor, HttpMethod.Post, "/api/offices", ForChauKhe(actor, HttpStatusCode.Created),
                OfficeBody(ChauKhe, $"Điểm sơ tán của {actor}", East(centre, 300), "school", true, 120));
            if (r.StatusCode == HttpStatusCode.Created)
                created.Add(System.Text.Json.JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("properties").GetProperty("id").GetInt32());
            await Expect(actor, HttpMethod.Put, $"/api/offices/{seat}", ForChauKhe(actor, HttpStatusCode.OK), OfficeBody(ChauKhe, "UBND xã Châu Khê", centre, "people_committee"));
            await Expect(actor, HttpMethod.Put, $"/api/offices/{seat}/fallback", ForChauKhe(actor, HttpStatusCode.OK), new { fallbackOfficeId = created.LastOrDefault() is var last and > 0 ? last : (int?)null });
            await Expect(actor, HttpMethod.Put, $"/api/offices/{shelter}/occupancy", ForChauKhe(actor, HttpStatusCode.OK), new { occupancy = 40 });
        }
        // Deletes: the denied ones try the seat; the allowed ones remove an office they made.
        var i = 0;
        foreach (var actor in Actors)
        {
            var expected = ForChauKhe(actor, HttpStatusCode.NoContent);
            await Expect(actor, HttpMethod.Delete, $"/api/offices/{(expected == HttpStatusCode.NoContent ? created[i++] : seat)}", expected);
        }
        Assert.Equal(created.Count, i);

        // A commune outside the commander's area: the Châu Khê leader and the commander are refused.
        var other = await SeatOf(_outsideArea);
        var otherCentre = await LabelPointAsync(Cs, _outsideArea);
        foreach (var actor in Actors)
        {
            var expected = actor switch
            {
                null => HttpStatusCode.Unauthorized,
                "nghean.operator" or "admin.demo" => HttpStatusCode.OK,
                _ => HttpStatusCode.Forbidden,
            };
            await Expect(actor, HttpMethod.Put, $"/api/offices/{other}", expected, OfficeBody(_outsideArea, "UBND xã (sửa)", otherCentre, "people_committee"));
        }
        // Moving a Châu Khê office into Con Cuông needs both: the Châu Khê leader alone is refused.
        await Expect("chaukhe.leader", HttpMethod.Put, $"/api/offices/{seat}", HttpStatusCode.Forbidden, OfficeBody(ConCuong, "UBND xã Châu Khê", centre, "people_committee"));
        // Validation: a bad body is 400 and changes nothing.
        await Expect("chaukhe.leader", HttpMethod.Put, $"/api/offices/{seat}", HttpStatusCode.BadRequest, OfficeBody(ChauKhe, "", (centre.Lat, centre.Lon), "palace"));
        await Expect("chaukhe.leader", HttpMethod.Put, $"/api/offices/{seat}/occupancy", HttpStatusCode.BadRequest, new { occupancy = 10 });   // not a shelter
    }

    [Fact]
    public async Task Flood_events_are_declared_and_closed_by_those_who_act_for_every_commune_they_cover()
    {
        var centre = await LabelPointAsync(Cs, ChauKhe);
        foreach (var actor in Actors)
        {
            var r = await Expect(actor, HttpMethod.Post, "/api/flood-events", ForChauKhe(actor, HttpStatusCode.Created),
                new { name = $"Lũ do {actor} báo", geometry = Square(centre, 200) });
            if (r.StatusCode != HttpStatusCode.Created) continue;
            var id = System.Text.Json.JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();
            await Expect("concuong.leader", HttpMethod.Post, $"/api/flood-events/{id}/close", HttpStatusCode.Forbidden, new { });
            await Expect(null, HttpMethod.Post, $"/api/flood-events/{id}/close", HttpStatusCode.Unauthorized, new { });
            await Expect(actor, HttpMethod.Post, $"/api/flood-events/{id}/close", HttpStatusCode.OK, new { });
        }
        // Bad bodies: no geometry, a point, a future start.
        await Expect("chaukhe.leader", HttpMethod.Post, "/api/flood-events", HttpStatusCode.BadRequest, new { name = "Không có vùng" });
        await Expect("chaukhe.leader", HttpMethod.Post, "/api/flood-events", HttpStatusCode.BadRequest, new { name = "Điểm", geometry = new { type = "Point", coordinates = new[] { centre.Lon, centre.Lat } } });
        await Expect("chaukhe.leader", HttpMethod.Post, "/api/flood-events", HttpStatusCode.BadRequest,
            new { name = "Tương lai", startedAt = DateTimeOffset.UtcNow.AddDays(2), geometry = Square(centre, 200) });
    }
}
