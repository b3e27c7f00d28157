using static Coordination.Tests.Hazards.HazardTestData;

namespace Coordination.Tests.Hazards;

/// <summary>The seats filter of the offices list (the map labels the People's Committee seats from it).</summary>
[Collection("postgis")]
public class OfficeListTests(PostgisFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Kind_lists_only_that_kind_and_an_unknown_kind_is_refused_on_the_parameter()
    {
        var admin = await SignInAsync("admin.demo");
        var centre = await LabelPointAsync(Cs, ChauKhe);
        await admin.SendAsync<System.Text.Json.JsonElement>(HttpMethod.Post, "/api/offices", OfficeBody(ChauKhe, "Trường tiểu học Châu Khê", East(centre, 400), "school", true, 150), HttpStatusCode.Created);

        var all = await Anonymous().GetAsync<System.Text.Json.JsonElement>($"/api/offices?commune={ChauKhe}");
        var seats = await Anonymous().GetAsync<System.Text.Json.JsonElement>($"/api/offices?commune={ChauKhe}&kind=people_committee");
        var kinds = (System.Text.Json.JsonElement fc) => fc.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("kind").GetString()).ToList();
        Assert.Contains("school", kinds(all));
        Assert.Equal(["people_committee"], kinds(seats));

        var problem = await (await Anonymous().Http.GetAsync($"/api/offices?commune={ChauKhe}&kind=palace")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.HasError("kind"));
    }
}
