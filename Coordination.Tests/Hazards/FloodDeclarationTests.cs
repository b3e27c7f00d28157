using Coordination.Api.Hazards;
using Coordination.Api.MutualAid;
using static Coordination.Tests.Hazards.HazardTestData;

namespace Coordination.Tests.Hazards;

/// <summary>
/// What a commune chairman does first in a flood, through the API: declare it for the commune (no extent drawn),
/// close it, and keep a shelter's occupancy as people arrive — scoped as every other write, refusals as problem
/// details that leave the database as it was.
/// </summary>
[Collection("postgis")]
public class FloodDeclarationTests(PostgisFixture fixture) : ApiTest(fixture)
{
    Task<string> Snapshot() => QueryTextAsync("""
            SELECT concat_ws('|',
                (SELECT md5(coalesce(string_agg(concat_ws(',', id, name, coalesce(ended_at::text, ''), geom IS NULL), ';' ORDER BY id), '')) FROM flood_events),
                (SELECT md5(coalesce(string_agg(flood_event_id || ':' || commune_code, ',' ORDER BY flood_event_id, commune_code), '')) FROM flood_event_communes),
                (SELECT md5(coalesce(string_agg(id || ':' || coalesce(shelter_occupancy::text, '-'), ',' ORDER BY id), '')) FROM offices),
                (SELECT count(*) FROM audit_events)) AS "Value"
            """);

    /// <summary>A refusal: the status, an RFC 9457 body, and nothing written.</summary>
    async Task<JsonElement> Refused(Session s, HttpMethod method, string url, object body, HttpStatusCode expected)
    {
        var before = await Snapshot();
        var problem = await (await s.SendAsync(method, url, body)).ExpectProblemAsync(expected);
        Assert.Equal(before, await Snapshot());
        return problem;
    }

    [Fact]
    public async Task A_leader_declares_a_flood_for_the_commune_without_drawing_it_and_closes_it()
    {
        var leader = await SignInAsync("chaukhe.leader");
        var declared = await leader.SendAsync<FloodEventDto>(HttpMethod.Post, "/api/flood-events",
            new { name = "Lũ quét tháng 7 — Châu Khê", communes = new[] { ChauKhe } }, HttpStatusCode.Created);
        var id = declared.Id;
        Assert.Equal("communes", declared.Extent);
        Assert.Equal([ChauKhe], declared.Communes.ToArray());
        Assert.True(declared.Active);
        Assert.Equal(0, declared.OfficesInside);   // no extent: no office is said to be under water

        // On the flood layer: drawn as the commune itself, and said to be so; found by province too.
        var layer = await (await leader.Http.GetAsync("/api/flood-events?active=true&province=40")).ExpectJsonAsync(HttpStatusCode.OK);
        var feature = Assert.Single(layer.GetProperty("features").EnumerateArray());
        Assert.Equal(id, feature.GetProperty("id").GetInt32());
        Assert.Equal("MultiPolygon", feature.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal("communes", feature.GetProperty("properties").GetProperty("extent").GetString());
        var covered = Assert.Single(feature.GetProperty("properties").GetProperty("communes").EnumerateArray());
        Assert.Equal(ChauKhe, covered.GetProperty("code").GetString());
        Assert.Equal("Châu Khê", covered.GetProperty("name").GetString());
        Assert.Equal("40", covered.GetProperty("provinceCode").GetString());
        Assert.Empty((await (await leader.Http.GetAsync("/api/flood-events?active=true&province=38")).ExpectJsonAsync(HttpStatusCode.OK)).GetProperty("features").EnumerateArray());

        // The seat stays dry: only a drawn extent floods an office.
        var seat = await (await leader.Http.GetAsync($"/api/offices?commune={ChauKhe}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.All(seat.GetProperty("features").EnumerateArray(), f => Assert.False(f.GetProperty("properties").GetProperty("floodedNow").GetBoolean()));

        // Recomputing the coverage of every event (as a boundary import does) keeps the declared communes.
        await using (var conn = new NpgsqlConnection(Cs))
        {
            await conn.OpenAsync();
            await FloodEventCoverage.RefreshAsync(conn);
        }
        var again = await leader.GetAsync<FloodEventDto>($"/api/flood-events/{id}");
        Assert.Equal([ChauKhe], again.Communes.ToArray());

        // A second declaration for the same commune while it lasts is a conflict that names the flood.
        var twice = await Refused(leader, HttpMethod.Post, "/api/flood-events", new { name = "Lũ lần hai", communes = new[] { ChauKhe } }, HttpStatusCode.Conflict);
        var known = Assert.Single(twice.GetProperty("activeEvents").EnumerateArray());
        Assert.Equal(id, known.GetProperty("eventId").GetInt32());
        Assert.Equal(ChauKhe, known.GetProperty("communeCode").GetString());
        Assert.Equal("Lũ quét tháng 7 — Châu Khê", known.GetProperty("name").GetString());

        // Con Cuông's leader may not close it; Châu Khê's may.
        var other = await SignInAsync("concuong.leader");
        await Refused(other, HttpMethod.Post, $"/api/flood-events/{id}/close", new { }, HttpStatusCode.Forbidden);
        var closed = await leader.SendAsync<FloodEventDto>(HttpMethod.Post, $"/api/flood-events/{id}/close", new { }, HttpStatusCode.OK);
        Assert.False(closed.Active);
        Assert.Equal("chaukhe.leader", closed.ClosedBy);
        Assert.Empty((await (await leader.Http.GetAsync("/api/flood-events?active=true")).ExpectJsonAsync(HttpStatusCode.OK)).GetProperty("features").EnumerateArray());
        // Once closed, the commune may declare again.
        await (await leader.SendAsync(HttpMethod.Post, "/api/flood-events", new { name = "Lũ lần hai", communes = new[] { ChauKhe } })).ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Declaring_for_communes_is_scoped_and_bad_bodies_write_nothing()
    {
        var leader = await SignInAsync("chaukhe.leader");
        var commander = await SignInAsync("kv5.commander");
        await using var db = Db();
        var area = await db.DefenseAreaCommunes.Where(m => m.CommuneCode == ChauKhe).Select(m => m.DefenseAreaId).SingleAsync();
        var areaCommunes = await db.DefenseAreaCommunes.Where(m => m.DefenseAreaId == area).OrderBy(m => m.CommuneCode).Select(m => m.CommuneCode).ToListAsync();
        var outside = await db.Communes.Where(c => c.ProvinceCode == "40" && !areaCommunes.Contains(c.Code)).OrderBy(c => c.Code).Select(c => c.Code).FirstAsync();
        var twoOfTheArea = areaCommunes.Where(c => c != ChauKhe).Take(2).ToArray();

        // A leader for another commune, a commander beyond its area, anonymous: refused, nothing written.
        await Refused(leader, HttpMethod.Post, "/api/flood-events", new { name = "Lũ xã bạn", communes = new[] { ConCuong } }, HttpStatusCode.Forbidden);
        await Refused(leader, HttpMethod.Post, "/api/flood-events", new { name = "Lũ hai xã", communes = new[] { ChauKhe, ConCuong } }, HttpStatusCode.Forbidden);
        await Refused(commander, HttpMethod.Post, "/api/flood-events", new { name = "Lũ ngoài khu vực", communes = new[] { twoOfTheArea[0], outside } }, HttpStatusCode.Forbidden);
        var anonymous = await SignInAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(HttpMethod.Post, "/api/flood-events", new { name = "Lũ", communes = new[] { ChauKhe } })).StatusCode);

        // Bad bodies: 400 naming the field.
        var centre = await LabelPointAsync(Cs, ChauKhe);
        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { name = "Cả hai", communes = new[] { ChauKhe }, geometry = Square(centre, 200) }, "communes"),
            (new { name = "Không xã nào", communes = Array.Empty<string>() }, "communes"),
            (new { name = "Mã sai", communes = new[] { "17x48" } }, "communes"),
            (new { name = "Xã không có", communes = new[] { "99999" } }, "communes"),
            (new { name = "", communes = new[] { ChauKhe } }, "name"),
            (new { name = "Tương lai", communes = new[] { ChauKhe }, startedAt = DateTimeOffset.UtcNow.AddDays(1) }, "startedAt"),
            (new { name = "Không gì cả" }, "geometry"),
        })
        {
            var problem = await Refused(leader, HttpMethod.Post, "/api/flood-events", body, HttpStatusCode.BadRequest);
            Assert.True(problem.HasError(field), $"{field} named in {problem}");
        }

        // The commander declares one flood over two communes of its area (duplicates in the list count once).
        var declared = await commander.SendAsync<FloodEventDto>(HttpMethod.Post, "/api/flood-events",
            new { name = "Lũ sông Lam", communes = new[] { twoOfTheArea[1], twoOfTheArea[0], twoOfTheArea[1] }, startedAt = DateTimeOffset.UtcNow.AddHours(-3) }, HttpStatusCode.Created);
        Assert.Equal(twoOfTheArea.Order(StringComparer.Ordinal).ToArray(), declared.Communes.ToArray());
        var eventId = declared.Id.ToString();
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.EntityType == "flood_event" && a.EntityId == eventId));
        // The Châu Khê leader acts for neither of them: it may not close it.
        await Refused(leader, HttpMethod.Post, $"/api/flood-events/{eventId}/close", new { }, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_flood_declared_for_a_commune_sets_its_donors_apart_in_matching()
    {
        await using (var conn = new NpgsqlConnection(Cs))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO inventory (commune_code, resource_type, on_hand, reserved, updated_at, updated_by) VALUES (@c, 'boat', 4, 0, now(), 'test')
                """, conn);
            cmd.Parameters.AddWithValue("c", ChauKhe);
            await cmd.ExecuteNonQueryAsync();
        }
        var chaukhe = await SignInAsync("chaukhe.leader");
        var concuong = await SignInAsync("concuong.leader");
        var at = await LabelPointAsync(Cs, ConCuong);
        var request = await concuong.SendAsync<RequestDto>(HttpMethod.Post, "/api/aid-requests", new
        {
            communeCode = ConCuong, lon = at.Lon, lat = at.Lat, hamlet = "Khối 1", hazard = "flood", urgency = "urgent",
            description = "Cần thuyền", lines = new[] { new { resourceType = "boat", quantity = 2 } },
        }, HttpStatusCode.Created);
        var matches = $"/api/aid-requests/{request.Id}/matches";
        Assert.Contains((await concuong.GetAsync<List<LineMatch>>(matches))[0].Suggestions, s => s.DonorCode == ChauKhe);

        await (await chaukhe.SendAsync(HttpMethod.Post, "/api/flood-events", new { name = "Lũ Châu Khê", communes = new[] { ChauKhe } })).ExpectJsonAsync(HttpStatusCode.Created);
        var during = (await concuong.GetAsync<List<LineMatch>>(matches))[0];
        Assert.DoesNotContain(during.Suggestions, s => s.DonorCode == ChauKhe);
        var apart = Assert.Single(during.Excluded);
        Assert.Contains("Lũ Châu Khê", apart.ReasonEn);
    }

    [Fact]
    public async Task Occupancy_changes_add_up_from_several_phones_and_never_go_below_zero()
    {
        var leader = await SignInAsync("chaukhe.leader");
        var centre = await LabelPointAsync(Cs, ChauKhe);
        var created = await (await leader.SendAsync(HttpMethod.Post, "/api/offices",
            OfficeBody(ChauKhe, "Trường Tiểu học Châu Khê", East(centre, 400), "school", true, 50))).ExpectJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32();
        var url = $"/api/offices/{id}/occupancy";

        var first = await (await leader.SendAsync(HttpMethod.Put, url, new { change = 12 })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(12, first.GetProperty("properties").GetProperty("shelterOccupancy").GetInt32());

        // Twenty taps of +2 from two phones at once: every one counts (not "last write wins").
        var phones = new[] { leader, await SignInAsync("kv5.commander") };
        var taps = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => phones[i % 2].SendAsync(HttpMethod.Put, url, new { change = 2 })));
        Assert.All(taps, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var now = await (await leader.Http.GetAsync($"/api/offices/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(52, now.GetProperty("properties").GetProperty("shelterOccupancy").GetInt32());   // over its 50: recorded as it is

        // More leaving than are there, both forms at once, zero, absurd numbers: 400, nothing written.
        foreach (var (body, field) in new (object, string)[]
        {
            (new { change = -60 }, "change"), (new { change = 1, occupancy = 3 }, "change"), (new { change = 0 }, "change"),
            (new { change = 5_000_000 }, "change"), (new { occupancy = -1 }, "occupancy"), (new { occupancy = 2_000_000 }, "occupancy"), (new { }, "occupancy"),
        })
        {
            var problem = await Refused(leader, HttpMethod.Put, url, body, HttpStatusCode.BadRequest);
            Assert.True(problem.HasError(field), $"{field} named in {problem}");
        }
        // A leader of another commune may not count here.
        await Refused(await SignInAsync("concuong.leader"), HttpMethod.Put, url, new { change = 1 }, HttpStatusCode.Forbidden);

        var exact = await (await leader.SendAsync(HttpMethod.Put, url, new { occupancy = 40 })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(40, exact.GetProperty("properties").GetProperty("shelterOccupancy").GetInt32());
        var down = await (await leader.SendAsync(HttpMethod.Put, url, new { change = -40 })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, down.GetProperty("properties").GetProperty("shelterOccupancy").GetInt32());
    }
}
