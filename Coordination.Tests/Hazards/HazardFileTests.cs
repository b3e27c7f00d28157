using static Coordination.Tests.Hazards.HazardTestData;

namespace Coordination.Tests.Hazards;

/// <summary>Bad layer, event and office files: a clear 400 naming the feature or row, and nothing written.</summary>
[Collection("postgis")]
public class HazardFileTests(PostgisFixture fixture) : ApiTest(fixture)
{
    Task<string> Snapshot() => QueryTextAsync("""
            SELECT concat_ws('|',
                (SELECT md5(coalesce(string_agg(name || sha256, ',' ORDER BY id), '')) FROM hazard_layers),
                (SELECT md5(coalesce(string_agg(id || hazard || ST_AsText(geom), ',' ORDER BY id), '')) FROM hazard_zones),
                (SELECT count(*) FROM flood_events),
                (SELECT md5(coalesce(string_agg(id || name || ST_AsText(location) || coalesce(warning, ''), ',' ORDER BY id), '')) FROM offices),
                (SELECT md5(coalesce(string_agg(office_id || reason || distance_m, ',' ORDER BY office_id, id), '')) FROM office_exposures)) AS "Value"
            """);

    async Task ExpectRefused(Session s, string url, string body, string mustMention, HttpStatusCode status = HttpStatusCode.BadRequest, string contentType = "application/geo+json")
    {
        var before = await Snapshot();
        var r = await s.PostBodyAsync(url, Encoding.UTF8.GetBytes(body), contentType);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == status, $"{url}: expected {(int)status}, got {(int)r.StatusCode}: {text}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mustMention, ProblemText(text));
        Assert.Equal(before, await Snapshot());
    }

    /// <summary>
    /// How Windows-1258 spells Vietnamese: letters with their shape (â ê ô ă ơ ư đ) precomposed, tone marks as
    /// separate combining characters — "ế" is "ê" + U+0301.
    /// </summary>
    static string Windows1258Form(string text)
    {
        var tones = "\u0300\u0301\u0303\u0309\u0323";
        var sb = new StringBuilder();
        foreach (var ch in text.Normalize(NormalizationForm.FormC))
        {
            var d = ch.ToString().Normalize(NormalizationForm.FormD);
            var shape = new string(d.Where(c => !tones.Contains(c)).ToArray()).Normalize(NormalizationForm.FormC);
            sb.Append(shape).Append(new string(d.Where(c => tones.Contains(c)).ToArray()));
        }
        return sb.ToString();
    }

    /// <summary>The problem's detail and every error message, decoded (JSON escapes quotes as \u0027).</summary>
    static string ProblemText(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        var parts = new List<string?> { root.TryGetProperty("detail", out var d) ? d.GetString() : null };
        if (root.TryGetProperty("errors", out var errors))
            foreach (var e in errors.EnumerateObject()) parts.AddRange(e.Value.EnumerateArray().Select(x => x.GetString()));
        return string.Join("\n", parts);
    }

    public static TheoryData<string, string> BadLayers()
    {
        var sq = Square((104.70, 19.0), 300);
        var good = Zone(sq, "flood", "Vùng tốt");
        return new()
        {
            { "{\"type\": \"FeatureCollection\", \"features\": [", "not valid JSON" },
            { "{\"type\": \"Feature\"}", "not a GeoJSON FeatureCollection" },
            { Collection(), "no features" },
            { Collection(good, Zone(new { type = "Point", coordinates = new[] { 104.7, 19.0 } })), "feature #2" },
            { Collection(good, Zone(new { type = "Polygon", coordinates = new[] { new[] { new[] { 104.7, 19.0 }, new[] { 104.8, 19.0 }, new[] { 104.8, 19.1 }, new[] { 104.7, 19.1 } } } })), "not closed" },
            { Collection(good, Zone(new { type = "Polygon", coordinates = new[] { new[] { new[] { 560000.0, 2100000 }, new[] { 561000.0, 2100000 }, new[] { 561000.0, 2101000 }, new[] { 560000.0, 2100000 } } } })), "wrong CRS" },
            { Collection(good, Zone(sq, "tsunami")), "hazard 'tsunami'" },
            { Collection(good, Zone(sq, "flood", "Chu kỳ sai", new { return_period_years = -5 })), "return_period_years" },
            { Collection(good, Zone(sq, "flood", "Ngày sai", new { source_date = "20/07/2025" })), "source_date" },
            // A ring that collapses to nothing (all points on one line): empty after repair.
            { Collection(good, Zone(new { type = "Polygon", coordinates = new[] { new[] { new[] { 104.7, 19.0 }, new[] { 104.8, 19.0 }, new[] { 104.9, 19.0 }, new[] { 104.7, 19.0 } } } }, "flood", "Đường thẳng")), "empty after repair" },
        };
    }

    [Theory]
    [MemberData(nameof(BadLayers))]
    public async Task A_bad_layer_file_is_refused_and_writes_nothing(string body, string mustMention)
    {
        var admin = await SignInAsync("admin.demo");
        // Replacing the shipped sample layer by name must not half-happen either.
        await ExpectRefused(admin, "/api/hazard-layers?name=" + Uri.EscapeDataString("MẪU — hành lang ngập ven sông Cả và sông Hiếu (Nghệ An)"), body, mustMention);
        await ExpectRefused(admin, "/api/hazard-layers?name=new", body, mustMention);
    }

    [Fact]
    public async Task Layers_are_imported_by_administrators_and_operators_within_their_province_only()
    {
        var layer = Collection(Zone(Square((104.70, 19.0), 300), "flood", "Vùng Nghệ An"));
        var elsewhere = Collection(Zone(Square((105.85, 21.03), 300), "flood", "Vùng Hà Nội"));
        foreach (var actor in new[] { "chaukhe.leader", "kv5.commander" })
            await ExpectRefused(await SignInAsync(actor), "/api/hazard-layers?name=x", layer, "administrators and province operators", HttpStatusCode.Forbidden);
        var op = await SignInAsync("nghean.operator");
        await ExpectRefused(op, "/api/hazard-layers?name=x", elsewhere, "does not touch province 40", HttpStatusCode.Forbidden);
        var ok = await op.PostBodyAsync("/api/hazard-layers?name=x", Encoding.UTF8.GetBytes(layer), "application/geo+json");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        // The sample layer belongs to the administrators: an operator cannot replace it.
        await ExpectRefused(op, "/api/hazard-layers?name=" + Uri.EscapeDataString("MẪU — hành lang ngập ven sông Cả và sông Hiếu (Nghệ An)"), layer, "belongs to the administrators", HttpStatusCode.Forbidden);
        var anonymous = await SignInAsync(null);
        var r = await anonymous.SendAsync(HttpMethod.Post, "/api/hazard-layers?name=y", new { });
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Fact]
    public async Task A_bad_event_file_is_refused_and_writes_nothing()
    {
        var op = await SignInAsync("nghean.operator");
        var sq = Square((104.70, 19.0), 300);
        object Ev(object props) => new { type = "Feature", properties = props, geometry = sq };
        var good = Ev(new { name = "Lũ 2024", started_at = "2024-09-10T00:00:00+07:00", ended_at = "2024-09-12T00:00:00+07:00" });
        await ExpectRefused(op, "/api/flood-events/import", Collection(good, Ev(new { name = "Không có ngày" })), "missing started_at");
        await ExpectRefused(op, "/api/flood-events/import", Collection(good, Ev(new { name = "Giờ không múi", started_at = "2024-09-10T00:00:00" })), "with an offset");
        await ExpectRefused(op, "/api/flood-events/import", Collection(good, Ev(new { name = "Kết thúc trước", started_at = "2024-09-10T00:00:00+07:00", ended_at = "2024-09-01T00:00:00+07:00" })), "ended_at is before started_at");
    }

    [Fact]
    public async Task Office_files_name_each_bad_row_write_nothing_and_warn_about_points_outside_their_commune()
    {
        var leader = await SignInAsync("chaukhe.leader");
        var centre = await LabelPointAsync(Cs, ChauKhe);
        var conCuong = await LabelPointAsync(Cs, ConCuong);
        var header = "commune_code,kind,name,address,phone,lon,lat,ref,is_shelter,shelter_capacity\n";
        string Row(string code, string kind, string name, (double Lon, double Lat) at, string reference, string shelter = "", string cap = "") =>
            $"{code},{kind},\"{name}\",\"Bản Xiềng, xã Châu Khê\",0238 3873 111,{F(at.Lon)},{F(at.Lat)},{reference},{shelter},{cap}\n";
        var good = Row(ChauKhe, "school", "Trường Tiểu học Châu Khê", centre, "th-chau-khe", "true", "250");

        await ExpectRefused(leader, "/api/offices/import", header + good + Row(ChauKhe, "castle", "Lâu đài", centre, "x"), "row 3 ('Lâu đài')", contentType: "text/csv");
        await ExpectRefused(leader, "/api/offices/import", header + good + $"{ChauKhe},school,Trường,,,abc,19.0,y,,\n", "row 3", contentType: "text/csv");
        await ExpectRefused(leader, "/api/offices/import", header + good + Row(ChauKhe, "school", "Trường ngược", (centre.Lat, centre.Lon), "z"), "wrong CRS or swapped", contentType: "text/csv");
        await ExpectRefused(leader, "/api/offices/import", header + good + Row("99999", "school", "Xã không có", centre, "w"), "no commune with code 99999", contentType: "text/csv");
        await ExpectRefused(leader, "/api/offices/import", header + good + Row(ChauKhe, "school", "Trùng ref", centre, "th-chau-khe"), "appears twice", contentType: "text/csv");
        await ExpectRefused(leader, "/api/offices/import", "name,lon\nx,1\n", "missing column", contentType: "text/csv");
        // Another commune's office is not the Châu Khê leader's to import.
        await ExpectRefused(leader, "/api/offices/import", header + Row(ConCuong, "school", "Trường Con Cuông", conCuong, "cc"), "not yours", HttpStatusCode.Forbidden, "text/csv");

        // A good file — as Excel in a Vietnamese locale writes it: BOM, ';' separators, ',' decimals — with one point
        // that lies in the neighbouring commune: imported, with a warning.
        string Semi(string code, string name, (double Lon, double Lat) at, string reference) =>
            $"{code};clinic;{name};;;{F(at.Lon).Replace('.', ',')};{F(at.Lat).Replace('.', ',')};{reference};;\n";
        var excel = "\uFEFF" + header.Replace(',', ';') + Semi(ChauKhe, "Trạm y tế Châu Khê", centre, "tyt") + Semi(ChauKhe, "Điểm y tế bản Lạng", conCuong, "lang");
        var r = await leader.PostBodyAsync("/api/offices/import", Encoding.UTF8.GetBytes(excel), "text/csv");
        var body = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        Assert.True(r.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(2, body.GetProperty("inserted").GetInt32());
        var warning = Assert.Single(body.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.Contains("Điểm y tế bản Lạng", warning);
        Assert.Contains("outside Châu Khê", warning);
        await using (var db = Db())
        {
            var stored = await db.Offices.SingleAsync(o => o.CommuneCode == ChauKhe && o.Ref == "lang");
            Assert.Contains("outside Châu Khê", stored.Warning);
            Assert.Equal(104.0, Math.Floor(stored.Location.X));
        }

        // Re-importing by ref updates instead of duplicating; Windows-1258 text (as old Excel saves) is read and NFC-normalised.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var cp1258 = System.Text.Encoding.GetEncoding(1258).GetBytes(Windows1258Form(header + Row(ChauKhe, "clinic", "Trạm y tế xã Châu Khê (mới)", centre, "tyt")));
        var again = await leader.PostBodyAsync("/api/offices/import", cp1258, "text/csv");
        var againBody = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
        Assert.True(again.StatusCode == HttpStatusCode.OK, againBody.ToString());
        Assert.Equal(1, againBody.GetProperty("updated").GetInt32());
        await using (var db = Db())
        {
            var renamed = await db.Offices.SingleAsync(o => o.CommuneCode == ChauKhe && o.Ref == "tyt");
            Assert.Equal("Trạm y tế xã Châu Khê (mới)".Normalize(NormalizationForm.FormC), renamed.Name);
            Assert.True(renamed.Name.IsNormalized(NormalizationForm.FormC));
        }

        // GeoJSON works the same way.
        var geo = JsonSerializer.Serialize(new { type = "FeatureCollection", features = new[] { new {
            type = "Feature", geometry = new { type = "Point", coordinates = new[] { centre.Lon, centre.Lat } },
            properties = new { commune_code = ChauKhe, kind = "cultural_house", name = "Nhà văn hoá bản Xiềng", @ref = "nvh", is_shelter = true, shelter_capacity = 80 } } } });
        var gr = await leader.PostBodyAsync("/api/offices/import", Encoding.UTF8.GetBytes(geo), "application/geo+json");
        Assert.Equal(HttpStatusCode.OK, gr.StatusCode);
    }
}
