namespace Coordination.Tests.Api;

/// <summary>GET /api/enums: the codes the web client builds its choices from, anonymous and cacheable.</summary>
[Collection("postgis")]
public class EnumsApiTests(PostgisFixture fixture) : IAsyncLifetime
{
    ApiFactory _api = null!;
    HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _api = new ApiFactory(await fixture.CreateDatabaseAsync());
        _http = _api.CreateClient();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    static string[] Codes(JsonElement root, string name) =>
        root.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task Enums_lists_the_codes_anonymously_and_may_be_cached()
    {
        var response = await _http.GetAsync("/api/enums");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.Public, "public");
        Assert.True(response.Headers.CacheControl?.MaxAge > TimeSpan.Zero, "max-age");

        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(["flood", "flash_flood", "landslide", "storm", "other"], Codes(root, "hazards"));
        Assert.Equal(["flood", "flash_flood", "landslide"], Codes(root, "hazardKinds"));
        Assert.Equal(["life_threatening", "urgent", "needed"], Codes(root, "urgencies"));
        Assert.Equal(["Actual", "Exercise", "Test"], Codes(root, "capStatuses"));
        Assert.Equal(["Alert", "Update", "Cancel"], Codes(root, "capMsgTypes"));
        Assert.Contains("Extreme", Codes(root, "capSeverities"));
        Assert.Contains("Immediate", Codes(root, "capUrgencies"));
        Assert.Contains("Observed", Codes(root, "capCertainties"));
        Assert.Contains("Met", Codes(root, "capCategories"));
        Assert.Contains("opted_out", Codes(root, "smsStatuses"));
        Assert.Equal(11, Codes(root, "smsStatuses").Length);
        Assert.Equal(["requested", "accepted", "declined", "cancelled", "dispatched", "arrived", "returned", "consumed"],
            Codes(root, "pledgeStatuses"));
        Assert.Equal(["draft", "open", "closed", "cancelled"], Codes(root, "requestStatuses"));
        // Codes only: every member is a list of plain strings, no labels.
        foreach (var member in root.EnumerateObject())
            Assert.All(member.Value.EnumerateArray(), e => Assert.Equal(JsonValueKind.String, e.ValueKind));
    }
}
