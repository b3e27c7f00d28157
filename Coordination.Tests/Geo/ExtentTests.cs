namespace Coordination.Tests.Geo;

/// <summary>The box a phone keeps for offline use: the communes and, with rings=1, their neighbours (PostGIS ST_Extent).</summary>
[Collection("postgis")]
public class ExtentTests(PostgisFixture fixture) : ApiTest(fixture)
{
    const string ChauKhe = "17248";

    [Fact]
    public async Task Ring_one_widens_the_box_to_every_neighbour_and_bad_codes_are_refused()
    {
        var anonymous = Anonymous();
        var own = await anonymous.GetAsync<double[]>($"/api/communes/extent?codes={ChauKhe}");
        var ring = await anonymous.GetAsync<double[]>($"/api/communes/extent?codes={ChauKhe}&rings=1");
        Assert.True(ring[0] < own[0] && ring[1] <= own[1] && ring[2] > own[2] && ring[3] >= own[3], $"{string.Join(",", own)} within {string.Join(",", ring)}");
        // every ring-1 neighbour's label point lies in the ring box
        var neighbours = await anonymous.GetAsync<System.Text.Json.JsonElement>($"/api/communes/{ChauKhe}/neighbours?rings=1");
        foreach (var n in neighbours.GetProperty("neighbours").EnumerateArray())
        {
            var f = await anonymous.GetAsync<System.Text.Json.JsonElement>($"/api/communes/{n.GetProperty("code").GetString()}");
            var p = f.GetProperty("properties").GetProperty("labelPoint");
            Assert.InRange(p[0].GetDouble(), ring[0], ring[2]);
            Assert.InRange(p[1].GetDouble(), ring[1], ring[3]);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.Http.GetAsync("/api/communes/extent?codes=abc")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.Http.GetAsync("/api/communes/extent")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.Http.GetAsync("/api/communes/extent?codes=99999")).StatusCode);
    }
}
