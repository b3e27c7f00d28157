namespace Coordination.Tests.Api;

/// <summary>
/// Uploads go through one reader with one configured limit (413 with maxBytes; a refused file is file.refused with
/// its reasons), and the refusals of sign-in, offices, hazards and boundaries carry their codes and facts.
/// </summary>
[Collection("postgis")]
public class GeoProblemCodeTests(PostgisFixture fixture)
{
    const long Limit = 2_000;

    static string Code(JsonElement problem) => problem.GetProperty("code").GetString()!;

    [Fact]
    public async Task Every_upload_has_the_one_configured_limit_and_refused_files_say_why()
    {
        var cs = await fixture.CreateDatabaseAsync();
        await using var api = new ApiFactory(cs, new Dictionary<string, string?> { ["Uploads:MaxBytes"] = Limit.ToString() });
        var admin = await Session.SignedInAsync(api, "admin.demo");
        var big = Encoding.UTF8.GetBytes("{\"type\":\"FeatureCollection\",\"features\":[" + new string(' ', (int)Limit) + "]}");
        foreach (var url in new[] { "/api/hazard-layers?name=Big", "/api/flood-events/import", "/api/offices/import" })
        {
            var tooLarge = await (await admin.PostBodyAsync(url, big, "application/geo+json")).ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
            Assert.Equal("request.too_large", Code(tooLarge));
            Assert.Equal(Limit, tooLarge.GetProperty("maxBytes").GetInt64());

            var empty = await (await admin.PostBodyAsync(url, [], "application/geo+json")).ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal("field.required", empty.GetProperty("fieldCodes").GetProperty("file")[0].GetString());

            var refused = await (await admin.PostBodyAsync(url, "{not json"u8.ToArray(), "application/geo+json")).ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal("file.refused", Code(refused));
            Assert.NotEmpty(refused.GetProperty("errors").GetProperty("file").EnumerateArray());
            Assert.Equal(refused.GetProperty("errors").GetProperty("file").GetArrayLength(), refused.GetProperty("fieldCodes").GetProperty("file").GetArrayLength());
        }
        await using var db = PostgisFixture.NewContext(cs);
        Assert.False(await db.HazardLayers.AnyAsync(l => l.Name == "Big"));
    }

    [Fact]
    public async Task Refusals_carry_codes_and_the_facts_their_sentences_need()
    {
        var cs = await fixture.CreateDatabaseAsync();
        await using var api = new ApiFactory(cs);
        var anonymous = new Session(api.CreateClient());
        var failed = await (await anonymous.SignInAsync("chaukhe.leader", "wrong-password")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("identity.sign_in.failed", Code(failed));

        var leader = await Session.SignedInAsync(api, "concuong.leader");
        var contact = await (await leader.SendAsync(HttpMethod.Put, "/api/communes/17248/contact", new { dutyPhone = "0123" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("boundaries.contact.outside_scope", Code(contact));
        Assert.Equal("17248", contact.GetProperty("communeCode").GetString());
        var office = await (await leader.SendAsync(HttpMethod.Delete, "/api/offices/999999")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("offices.office.not_found", Code(office));
        var layer = await (await leader.PostBodyAsync("/api/hazard-layers?name=X", "{}"u8.ToArray(), "application/geo+json")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("hazards.layer.import_role", Code(layer));
        var tooLong = await (await leader.SendAsync(HttpMethod.Put, "/api/communes/17254/contact", new { note = new string('x', 501) })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("field.too_long", tooLong.GetProperty("fieldCodes").GetProperty("note")[0].GetString());

        var admin = await Session.SignedInAsync(api, "admin.demo");
        var users = await (await admin.SendAsync(HttpMethod.Post, "/api/admin/users",
            new { userName = "x1", displayName = "X", role = "commune_leader", scopeKind = "province", scopeCode = "40", alertSender = true })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("identity.user.scope_kind_mismatch", users.GetProperty("fieldCodes").GetProperty("scopeKind")[0].GetString());
        Assert.Equal("identity.user.alert_sender_role", users.GetProperty("fieldCodes").GetProperty("alertSender")[0].GetString());
        Assert.Equal("commune", users.GetProperty("scopeKind").GetString());

        var forged = await (await admin.SendAsync(HttpMethod.Put, "/api/communes/17254/contact", new { note = "x" }, antiforgery: false)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("auth.antiforgery", Code(forged));
    }
}
