using Coordination.Api.Hazards;
using Coordination.Api.Hazards.Import;
using static Coordination.Tests.Hazards.HazardTestData;

namespace Coordination.Tests.Hazards;

/// <summary>Flood exposure computed in PostGIS: inside / near / outside a zone, inside an event, the fallback while flooded.</summary>
[Collection("postgis")]
public class ExposureTests(PostgisFixture fixture) : ApiTest(fixture)
{

    static async Task<JsonElement> Office(Session s, int id) => await (await s.Http.GetAsync($"/api/offices/{id}")).ExpectJsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task The_seat_of_Chau_Tien_is_flood_prone_from_the_sample_river_layer_and_the_layer_is_reproducible()
    {
        var anonymous = await SignInAsync(null);
        var list = await (await anonymous.Http.GetAsync($"/api/offices?commune={ChauTien}")).ExpectJsonAsync(HttpStatusCode.OK);
        var seat = list.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("properties").GetProperty("kind").GetString() == "people_committee");
        var p = seat.GetProperty("properties");
        Assert.Equal("UBND xã Châu Tiến", p.GetProperty("name").GetString());
        Assert.Equal("approximate", p.GetProperty("accuracy").GetString());
        Assert.True(p.GetProperty("floodProne").GetBoolean());
        var reason = p.GetProperty("reasons").EnumerateArray().Single();
        Assert.Equal("inside_zone", reason.GetProperty("reason").GetString());
        Assert.True(reason.GetProperty("layerIsSample").GetBoolean());
        Assert.StartsWith("Sông Hiếu", reason.GetProperty("zoneName").GetString());

        // Not every seat floods: most Nghệ An seats stand away from the two sample rivers.
        var prone = await (await anonymous.Http.GetAsync("/api/offices?province=40&floodProne=true")).ExpectJsonAsync(HttpStatusCode.OK);
        var all = await (await anonymous.Http.GetAsync("/api/offices?province=40")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.InRange(prone.GetProperty("features").GetArrayLength(), 5, all.GetProperty("features").GetArrayLength() / 4);

        // The committed layer is what the committed script makes of the committed river lines.
        await using var conn = new NpgsqlConnection(Cs);
        await conn.OpenAsync();
        var rebuilt = await SampleFloodZones.BuildAsync(conn, await File.ReadAllTextAsync(Path.Combine(PostgisFixture.Repo, "geo", "sample", "rivers-nghe-an.geojson")));
        var committed = await File.ReadAllTextAsync(PostgisFixture.GeoFile("sample-flood-zones-nghe-an.geojson"));
        await using var cmd = new NpgsqlCommand("""
            SELECT max(ST_Area(ST_SymDifference(a.g, b.g)) / ST_Area(a.g)), count(*)
            FROM (SELECT n, ST_GeomFromGeoJSON(f -> 'geometry') g FROM json_array_elements(@a::json -> 'features') WITH ORDINALITY x(f, n)) a
            JOIN (SELECT n, ST_GeomFromGeoJSON(f -> 'geometry') g FROM json_array_elements(@b::json -> 'features') WITH ORDINALITY x(f, n)) b USING (n)
            """, conn);
        cmd.Parameters.AddWithValue("a", committed);
        cmd.Parameters.AddWithValue("b", rebuilt);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        Assert.Equal(2, r.GetInt64(1));
        Assert.True(r.GetDouble(0) < 1e-4, $"committed sample layer differs from the rebuilt one by {r.GetDouble(0):P3}");
    }

    [Fact]
    public async Task An_office_inside_a_zone_near_it_and_far_from_it()
    {
        var admin = await SignInAsync("admin.demo");
        var leader = await SignInAsync("chaukhe.leader");
        var centre = await LabelPointAsync(Cs, ChauKhe);
        var half = 400.0;
        var layer = Collection(Zone(Square(centre, half), "flood", "Vùng ngập thử"), Zone(Square(centre, 100), "landslide", "Sạt lở thử"));
        var imported = await (await admin.PostBodyAsync("/api/hazard-layers?name=Lop%20thu&source=test", Encoding.UTF8.GetBytes(layer), "application/geo+json")).ExpectAsync<LayerImportResult>(HttpStatusCode.OK);
        Assert.Equal(2, imported.Zones);

        async Task<JsonElement> Create(string name, (double, double) at) =>
            await (await leader.SendAsync(HttpMethod.Post, "/api/offices", OfficeBody(ChauKhe, name, at))).ExpectJsonAsync(HttpStatusCode.Created);
        var inside = await Create("Trường trong vùng", centre);
        var near = await Create("Trường gần vùng", East(centre, half + 150));   // 150 m beyond the east edge
        var far = await Create("Trường xa vùng", East(centre, half + 1000));

        var pi = inside.GetProperty("properties");
        Assert.True(pi.GetProperty("floodProne").GetBoolean());
        Assert.True(pi.GetProperty("landslideProne").GetBoolean());
        Assert.Contains(pi.GetProperty("reasons").EnumerateArray(), x => x.GetProperty("reason").GetString() == "inside_zone" && x.GetProperty("hazard").GetString() == "flood");

        var pn = near.GetProperty("properties");
        Assert.True(pn.GetProperty("floodProne").GetBoolean());
        var nr = pn.GetProperty("reasons").EnumerateArray().Single();
        Assert.Equal("near_zone", nr.GetProperty("reason").GetString());
        Assert.InRange(nr.GetProperty("distanceM").GetDouble(), 140, 160);
        Assert.Equal("Vùng ngập thử", nr.GetProperty("zoneName").GetString());
        Assert.False(pn.GetProperty("landslideProne").GetBoolean());

        var pf = far.GetProperty("properties");
        Assert.False(pf.GetProperty("floodProne").GetBoolean());
        Assert.Empty(pf.GetProperty("reasons").EnumerateArray());

        // Moving the far office into the zone re-evaluates it; removing the layer clears the zone reasons.
        var farId = pf.GetProperty("id").GetInt32();
        var moved = await (await leader.SendAsync(HttpMethod.Put, $"/api/offices/{farId}", OfficeBody(ChauKhe, "Trường xa vùng", East(centre, 50)))).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.True(moved.GetProperty("properties").GetProperty("floodProne").GetBoolean());
        var layerId = imported.LayerId;
        await admin.RefreshAntiforgeryAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(HttpMethod.Delete, $"/api/hazard-layers/{layerId}")).StatusCode);
        Assert.False((await Office(leader, farId)).GetProperty("properties").GetProperty("floodProne").GetBoolean());
    }

    [Fact]
    public async Task While_a_flood_event_is_active_the_fallback_is_shown_and_not_after_it_closes()
    {
        var leader = await SignInAsync("chaukhe.leader");
        var centre = await LabelPointAsync(Cs, ChauKhe);
        var office = await (await leader.SendAsync(HttpMethod.Post, "/api/offices", OfficeBody(ChauKhe, "Trụ sở tạm", centre, "service_centre"))).ExpectJsonAsync(HttpStatusCode.Created);
        var dry = await (await leader.SendAsync(HttpMethod.Post, "/api/offices", OfficeBody(ChauKhe, "Trường trên đồi", East(centre, 1500), "school", true, 300))).ExpectJsonAsync(HttpStatusCode.Created);
        var id = office.GetProperty("properties").GetProperty("id").GetInt32();
        var dryId = dry.GetProperty("properties").GetProperty("id").GetInt32();
        var set = await (await leader.SendAsync(HttpMethod.Put, $"/api/offices/{id}/fallback", new { fallbackOfficeId = dryId })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(dryId, set.GetProperty("properties").GetProperty("fallback").GetProperty("id").GetInt32());
        Assert.Equal(id, set.GetProperty("properties").GetProperty("servingFrom").GetProperty("id").GetInt32());   // dry: serves itself

        // An extent reaching into Con Cuông is not Châu Khê's to declare: refused, nothing written.
        await using (var db = Db())
        {
            var conCuong = await LabelPointAsync(Cs, ConCuong);
            var across = new { type = "Polygon", coordinates = new[] { new[] {
                new[] { centre.Lon, centre.Lat }, new[] { conCuong.Lon, conCuong.Lat }, new[] { conCuong.Lon, centre.Lat + 0.01 }, new[] { centre.Lon, centre.Lat } } } };
            var refused = await leader.SendAsync(HttpMethod.Post, "/api/flood-events", new { name = "Lũ lấn sang xã bạn", geometry = across });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(0, await db.FloodEvents.CountAsync());
        }

        var declared = await leader.SendAsync<FloodEventDto>(HttpMethod.Post, "/api/flood-events",
            new { name = "Lũ thử tháng 7", geometry = Square(centre, 300), note = "nước lên nhanh" }, HttpStatusCode.Created);
        Assert.Equal([ChauKhe], declared.Communes.ToArray());
        Assert.True(declared.Active);
        var eventId = declared.Id;

        var flooded = (await Office(leader, id)).GetProperty("properties");
        Assert.True(flooded.GetProperty("floodedNow").GetBoolean());
        Assert.Equal(dryId, flooded.GetProperty("servingFrom").GetProperty("id").GetInt32());
        Assert.True(flooded.GetProperty("servingFrom").GetProperty("isFallback").GetBoolean());
        Assert.Contains(flooded.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("reason").GetString() == "inside_event" && r.GetProperty("eventActive").GetBoolean());
        Assert.False((await Office(leader, dryId)).GetProperty("properties").GetProperty("floodedNow").GetBoolean());
        var active = await (await leader.Http.GetAsync("/api/flood-events?active=true")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Single(active.GetProperty("features").EnumerateArray());

        var closed = await leader.SendAsync<FloodEventDto>(HttpMethod.Post, $"/api/flood-events/{eventId}/close", new { }, HttpStatusCode.OK);
        Assert.False(closed.Active);
        var after = (await Office(leader, id)).GetProperty("properties");
        Assert.False(after.GetProperty("floodedNow").GetBoolean());
        Assert.Equal(id, after.GetProperty("servingFrom").GetProperty("id").GetInt32());
        Assert.True(after.GetProperty("floodProne").GetBoolean());   // it was inside an observed flood: flood-prone from now on
        Assert.Contains(after.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("reason").GetString() == "inside_event" && !r.GetProperty("eventActive").GetBoolean());
        // Closing twice is a clear error.
        Assert.Equal(HttpStatusCode.BadRequest, (await leader.SendAsync(HttpMethod.Post, $"/api/flood-events/{eventId}/close", new { })).StatusCode);

        // A fallback must be in the same commune or a neighbour: Châu Tiến's seat is neither.
        int farSeat;
        await using (var db = Db())
            farSeat = await db.Offices.Where(o => o.CommuneCode == ChauTien).Select(o => o.Id).FirstAsync();
        var bad = await leader.SendAsync(HttpMethod.Put, $"/api/offices/{id}/fallback", new { fallbackOfficeId = farSeat });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(dryId, (await Office(leader, id)).GetProperty("properties").GetProperty("fallback").GetProperty("id").GetInt32());
        // Con Cuông's seat is a ring-1 neighbour's office: allowed.
        int conCuongSeat;
        await using (var db = Db())
            conCuongSeat = await db.Offices.Where(o => o.CommuneCode == ConCuong && o.Kind == "people_committee").Select(o => o.Id).FirstAsync();
        await (await leader.SendAsync(HttpMethod.Put, $"/api/offices/{id}/fallback", new { fallbackOfficeId = conCuongSeat })).ExpectJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Past_flood_events_imported_from_a_file_make_offices_flood_prone()
    {
        var op = await SignInAsync("nghean.operator");
        var centre = await LabelPointAsync(Cs, ConCuong);
        int seat;
        await using (var db = Db())
            seat = await db.Offices.Where(o => o.CommuneCode == ConCuong && o.Kind == "people_committee").Select(o => o.Id).FirstAsync();
        var seatPoint = (await Office(op, seat)).GetProperty("geometry").GetProperty("coordinates");
        var events = Collection(new
        {
            type = "Feature",
            properties = new { name = "Lũ Tiến Thành 7/2025", started_at = "2025-07-22T18:00:00+07:00", ended_at = "2025-07-26T12:00:00+07:00", source = "quan sát" },
            geometry = Square((seatPoint[0].GetDouble(), seatPoint[1].GetDouble()), 200),
        });
        var result = await (await op.PostBodyAsync("/api/flood-events/import", Encoding.UTF8.GetBytes(events), "application/geo+json")).ExpectAsync<EventImportResult>(HttpStatusCode.OK);
        Assert.Single(result.EventIds);
        var p = (await Office(op, seat)).GetProperty("properties");
        Assert.True(p.GetProperty("floodProne").GetBoolean());
        Assert.False(p.GetProperty("floodedNow").GetBoolean());
        Assert.Contains(p.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("eventName").GetString() == "Lũ Tiến Thành 7/2025");
        _ = centre;
    }
}
