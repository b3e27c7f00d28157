using System.Text;
using Coordination.Api.Boundaries.Hamlets;
using Coordination.Api.MutualAid;
using static Coordination.Tests.Hazards.HazardTestData;

namespace Coordination.Tests.Geo;

/// <summary>
/// The hamlet registry against PostGIS: kept by those who act for the commune, placed inside it, found with or
/// without diacritics, imported from Excel's CSVs (a bad row refuses the file and names the row), and used by a
/// request, whose point and name follow the hamlet.
/// </summary>
[Collection("postgis")]
public class HamletsTests(PostgisFixture fixture) : ApiTest(fixture)
{
    Task<string> Registry() => QueryTextAsync(
        "SELECT coalesce(md5(string_agg(concat_ws(',', id, commune_code, name, ST_AsText(location), households, population, flood_prone), ';' ORDER BY id)), '') AS \"Value\" FROM hamlets");

    static object Body(string commune, string name, (double Lon, double Lat) at, int? households = null, bool floodProne = false) =>
        new { communeCode = commune, name, lon = at.Lon, lat = at.Lat, households, floodProne };

    [Fact]
    public async Task A_leader_adds_a_hamlet_that_is_found_with_or_without_diacritics()
    {
        var leader = await SignInAsync("concuong.leader");
        var centre = await LabelPointAsync(Cs, ConCuong);
        var at = East(centre, 200);
        var created = await leader.SendAsync<HamletFeature>(HttpMethod.Post, "/api/hamlets", Body(ConCuong, "Thôn Tiến Thành", at, 120, true), HttpStatusCode.Created);
        Assert.Equal("Thôn Tiến Thành", created.Properties.Name);
        Assert.True(created.Properties.FloodProne);
        Assert.False(created.Properties.IsSample);
        Assert.Equal(at.Lon, created.Geometry.Coordinates[0], 6);

        var anonymous = Anonymous();
        foreach (var q in new[] { "tien thanh", "TIẾN THÀNH", "Tiến Thành", "thon tien" })
        {
            var found = await anonymous.GetAsync<List<HamletMatch>>($"/api/hamlets/search?q={Uri.EscapeDataString(q)}");
            var match = Assert.Single(found, m => m.Id == created.Id);
            Assert.Equal("Con Cuông", match.CommuneName);
        }
        var list = await anonymous.GetAsync<HamletFeatures>($"/api/hamlets?commune={ConCuong}");
        Assert.Contains(list.Features, f => f.Id == created.Id);
        var box = FormattableString.Invariant($"{at.Lon - 0.01},{at.Lat - 0.01},{at.Lon + 0.01},{at.Lat + 0.01}");
        Assert.Contains((await anonymous.GetAsync<HamletFeatures>($"/api/hamlets?bbox={box}")).Features, f => f.Id == created.Id);

        // Same name folded alike (no diacritics, other case): one hamlet per name in a commune.
        var before = await Registry();
        var taken = await (await leader.SendAsync(HttpMethod.Post, "/api/hamlets", Body(ConCuong, "thon tien thanh", East(centre, 400)))).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HamletProblems.NameTaken, taken.Code());
        Assert.Equal(created.Id, taken.Member<int>("hamletId"));
        // Outside the commune (Châu Khê's centre): refused on the field, nothing written.
        var outside = await (await leader.SendAsync(HttpMethod.Post, "/api/hamlets", Body(ConCuong, "Bản Khác", await LabelPointAsync(Cs, ChauKhe)))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(HamletProblems.OutsideCommune, outside.GetProperty("fieldCodes").GetProperty("location").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(before, await Registry());

        // Moved and renamed; the audit has it.
        var moved = await leader.SendAsync<HamletFeature>(HttpMethod.Put, $"/api/hamlets/{created.Id}", Body(ConCuong, "Bản Tiến Thành", East(centre, 300), 130, true), HttpStatusCode.OK);
        Assert.Equal("Bản Tiến Thành", moved.Properties.Name);
        Assert.Equal(130, moved.Properties.Households);
        Assert.Equal("2", await QueryTextAsync($"SELECT count(*)::text AS \"Value\" FROM audit_events WHERE entity_type = 'hamlet' AND entity_id = '{created.Id}'"));
    }

    [Fact]
    public async Task Only_those_who_act_for_the_commune_write_its_hamlets()
    {
        var centre = await LabelPointAsync(Cs, ConCuong);
        var own = await (await SignInAsync("concuong.leader")).SendAsync<HamletFeature>(HttpMethod.Post, "/api/hamlets", Body(ConCuong, "Bản Xiềng", East(centre, 100)), HttpStatusCode.Created);
        var before = await Registry();
        var neighbour = await SignInAsync("chaukhe.leader");
        foreach (var (method, url, body) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Post, "/api/hamlets", Body(ConCuong, "Bản Lạ", East(centre, 150))),
            (HttpMethod.Put, $"/api/hamlets/{own.Id}", Body(ConCuong, "Bản Xiềng 2", East(centre, 150))),
            (HttpMethod.Delete, $"/api/hamlets/{own.Id}", null),
        })
        {
            var problem = await (await neighbour.SendAsync(method, url, body)).ExpectProblemAsync(HttpStatusCode.Forbidden);
            Assert.Equal(HamletProblems.OutsideScope, problem.Code());
            Assert.Equal(HttpStatusCode.Unauthorized, (await Anonymous().SendAsync(method, url, body, antiforgery: false)).StatusCode);
        }
        var import = await neighbour.PostBodyAsync($"/api/hamlets/import?commune={ConCuong}", Encoding.UTF8.GetBytes($"name,lon,lat\nBản Lạ,{F(centre.Lon)},{F(centre.Lat)}\n"), "text/csv");
        Assert.Equal(HamletProblems.OutsideScope, (await import.ExpectProblemAsync(HttpStatusCode.Forbidden)).Code());
        Assert.Equal(before, await Registry());
        // The commander of the area acts for Con Cuông too.
        await (await SignInAsync("kv5.commander")).SendAsync<HamletFeature>(HttpMethod.Put, $"/api/hamlets/{own.Id}", Body(ConCuong, "Bản Xiềng", East(centre, 120)), HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_Excel_csv_is_imported_and_a_bad_row_refuses_the_file_naming_the_row()
    {
        var leader = await SignInAsync("concuong.leader");
        var c = await LabelPointAsync(Cs, ConCuong);
        string Comma(double d) => F(d).Replace('.', ',');
        // What Excel in a Vietnamese locale saves: ';' separators, ',' decimals, the commune code's leading zero lost (17254 has none: use 5-digit code as is).
        var excel = $"\uFEFFcommune_code;name;lon;lat;households;population;flood_prone\n" +
                    $"{ConCuong};Bản Pha;{Comma(East(c, 100).Lon)};{Comma(c.Lat)};85;340;có\n" +
                    $"{ConCuong};\"Thôn 3; Bãi Ngang\";{Comma(East(c, 200).Lon)};{Comma(c.Lat)};;;không\n";
        var first = await (await leader.PostBodyAsync("/api/hamlets/import", Encoding.UTF8.GetBytes(excel), "text/csv")).ExpectAsync<HamletImportResult>(HttpStatusCode.OK);
        Assert.Equal((2, 2, 0), (first.Rows, first.Inserted, first.Updated));
        var again = await (await leader.PostBodyAsync("/api/hamlets/import", Encoding.UTF8.GetBytes(excel.Replace(";85;", ";90;", StringComparison.Ordinal)), "text/csv"))
            .ExpectAsync<HamletImportResult>(HttpStatusCode.OK);
        Assert.Equal((2, 0, 2), (again.Rows, again.Inserted, again.Updated));
        var pha = (await Anonymous().GetAsync<List<HamletMatch>>("/api/hamlets/search?q=ban%20pha")).Single(m => m.CommuneCode == ConCuong);
        var feature = await Anonymous().GetAsync<HamletFeature>($"/api/hamlets/{pha.Id}");
        Assert.Equal((90, 340, true), (feature.Properties.Households, feature.Properties.Population, feature.Properties.FloodProne));
        Assert.Single(await Anonymous().GetAsync<List<HamletMatch>>("/api/hamlets/search?q=bai%20ngang"), m => m.Name == "Thôn 3; Bãi Ngang");

        var before = await Registry();
        var chauKhe = await LabelPointAsync(Cs, ChauKhe);
        var bad = "name,lon,lat,households,flood_prone\n" +
                  $"Bản Mới,{F(East(c, 300).Lon)},{F(c.Lat)},10,có\n" +          // row 2: good, yet not written
                  $",{F(c.Lon)},{F(c.Lat)},,\n" +                                // row 3: no name
                  $"Bản Ngoài,{F(chauKhe.Lon)},{F(chauKhe.Lat)},,\n" +          // row 4: in Châu Khê
                  $"Bản Hỏng,{F(c.Lat)},{F(c.Lon)},mười,hay\n" +                 // row 5: swapped lon/lat, words for numbers
                  $"ban moi,{F(East(c, 300).Lon)},{F(c.Lat)},,\n";                // row 6: row 2 again without diacritics
        var problem = await (await leader.PostBodyAsync($"/api/hamlets/import?commune={ConCuong}", Encoding.UTF8.GetBytes(bad), "text/csv")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("file.refused", problem.Code());
        var rows = problem.GetProperty("rowProblems").EnumerateArray().Select(p => (p.GetProperty("row").GetInt32(), p.GetProperty("code").GetString()!)).ToList();
        Assert.Equal(new[]
        {
            (3, HamletProblems.RowNameMissing), (4, HamletProblems.RowOutsideCommune), (5, HamletProblems.RowPositionInvalid),
            (5, HamletProblems.RowCountInvalid), (5, HamletProblems.RowFlagInvalid), (6, HamletProblems.RowDuplicate),
        }.OrderBy(x => x.Item1).ThenBy(x => x.Item2), rows.OrderBy(x => x.Item1).ThenBy(x => x.Item2));
        Assert.Equal(before, await Registry());
    }

    [Fact]
    public async Task A_request_filed_for_a_hamlet_takes_its_point_and_name_and_keeps_the_name_when_it_goes()
    {
        var leader = await SignInAsync("concuong.leader");
        var at = East(await LabelPointAsync(Cs, ConCuong), 250);
        var hamlet = await leader.SendAsync<HamletFeature>(HttpMethod.Post, "/api/hamlets", Body(ConCuong, "Bản Cò Phạt", at), HttpStatusCode.Created);
        var line = new[] { new { resourceType = "boat", quantity = 2 } };
        var request = await leader.SendAsync<RequestDto>(HttpMethod.Post, "/api/aid-requests",
            new { communeCode = ConCuong, hamletId = hamlet.Id, hazard = "flood", urgency = "urgent", lines = line, confirmDuplicate = true }, HttpStatusCode.Created);
        Assert.Equal(("Bản Cò Phạt", hamlet.Id), (request.Hamlet, request.HamletId));
        Assert.Equal(at.Lon, request.Lon, 6);
        Assert.Equal(at.Lat, request.Lat, 6);

        // Another commune's hamlet is refused on the field.
        var other = await (await SignInAsync("chaukhe.leader")).SendAsync(HttpMethod.Post, "/api/aid-requests",
            new { communeCode = ChauKhe, hamletId = hamlet.Id, hazard = "flood", urgency = "urgent", lines = line });
        Assert.True((await other.ExpectProblemAsync(HttpStatusCode.BadRequest)).HasError("hamletId"));

        Assert.Equal(HttpStatusCode.NoContent, (await leader.SendAsync(HttpMethod.Delete, $"/api/hamlets/{hamlet.Id}")).StatusCode);
        var after = await leader.GetAsync<RequestDto>($"/api/aid-requests/{request.Id}");
        Assert.Equal(("Bản Cò Phạt", (int?)null), (after.Hamlet, after.HamletId));
    }

    [Fact]
    public async Task Demo_samples_say_they_are_samples()
    {
        var samples = await Anonymous().GetAsync<HamletFeatures>($"/api/hamlets?commune={ConCuong}");
        Assert.Contains(samples.Features, f => f.Properties.IsSample);
        Assert.All(samples.Features.Where(f => f.Properties.IsSample), f => Assert.Contains("mẫu", f.Properties.Name, StringComparison.Ordinal));
    }
}
