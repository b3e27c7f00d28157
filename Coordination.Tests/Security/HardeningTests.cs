using System.Net.Http.Headers;
using Coordination.Api.Identity;

namespace Coordination.Tests.Security;

/// <summary>Lockout, rate limiting, antiforgery, bearer tokens and the audit trail, against the running app.</summary>
[Collection("postgis")]
public class HardeningTests(PostgisFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Repeated_failures_lock_the_account_even_for_the_right_password()
    {
        var session = Anonymous();
        for (var i = 1; i <= 4; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await session.SignInAsync("concuong.leader", "wrong-password")).StatusCode);
        // The fifth failure locks the account.
        Assert.Equal(HttpStatusCode.Locked, (await session.SignInAsync("concuong.leader", "wrong-password")).StatusCode);

        var locked = await session.SignInAsync("concuong.leader");    // the right password, too late
        Assert.Equal(HttpStatusCode.Locked, locked.StatusCode);
        Assert.Contains("locked", (await locked.Content.ReadAsStringAsync()).ToLowerInvariant());

        await using var db = Db();
        Assert.Equal(4, await db.AuditEvents.CountAsync(e => e.Action == "auth.sign_in_failed" && e.ActorName == "concuong.leader"));
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == "auth.locked_out" && e.ActorName == "concuong.leader"));
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "auth.locked_out" && e.ActorName == "concuong.leader"));
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == "auth.sign_in" && e.ActorName == "concuong.leader"));
    }

    [Fact]
    public async Task Sign_in_is_rate_limited_with_429_and_Retry_After()
    {
        // Its own host: the limit is the one setting this test changes.
        await using var api = new ApiFactory(await Fixture.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Security:SignInPermitLimit"] = "3" });
        var session = new Session(api.CreateClient());
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await session.SignInAsync("nobody", "wrong-password")).StatusCode);
        var limited = await session.SignInAsync("chaukhe.leader");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_cookie_write_without_the_antiforgery_header_is_refused_and_changes_nothing()
    {
        var leader = await SignInAsync("chaukhe.leader");
        var r = await leader.SendAsync(HttpMethod.Put, "/api/communes/17248/contact", new { dutyPhone = "0123" }, antiforgery: false);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("Antiforgery", await r.Content.ReadAsStringAsync());
        await using var db = Db();
        Assert.False(await db.CommuneContacts.AnyAsync());
    }

    [Fact]
    public async Task A_programmatic_client_signs_in_for_a_bearer_token_and_stays_in_scope()
    {
        var http = Api.CreateClient(new() { HandleCookies = false });
        var login = await http.PostAsJsonAsync("/api/auth/login?mode=token", new { userName = "chaukhe.leader", password = Session.DemoPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync("/api/communes/17248/contact", new { dutyPhone = "0912 000 111" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PutAsJsonAsync("/api/communes/17254/contact", new { dutyPhone = "0912 000 111" })).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PutAsJsonAsync("/api/communes/17248/contact", new { dutyPhone = "1" })).StatusCode);
    }

    [Fact]
    public async Task A_write_and_a_sign_in_leave_audit_rows_and_the_log_cannot_be_rewritten()
    {
        var leader = await SignInAsync("chaukhe.leader");
        Assert.Equal(HttpStatusCode.OK, (await leader.SendAsync(HttpMethod.Put, "/api/communes/17248/contact", new { dutyPhone = "0238 111 222", dutyOfficer = "A" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await leader.SendAsync(HttpMethod.Put, "/api/communes/17248/contact", new { dutyPhone = "0238 333 444", dutyOfficer = "B" })).StatusCode);

        await using var db = Db();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "auth.sign_in" && e.ActorName == "chaukhe.leader"));
        var last = await db.AuditEvents.Where(e => e.Action == "commune_contact.updated").OrderByDescending(e => e.Id).FirstAsync();
        Assert.Equal(("chaukhe.leader", "17248", "40"), (last.ActorName, last.CommuneCode, last.ProvinceCode));
        Assert.Equal("0238 111 222", last.Before!.RootElement.GetProperty("dutyPhone").GetString());
        Assert.Equal("0238 333 444", last.After!.RootElement.GetProperty("dutyPhone").GetString());

        var e = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET actor_name = 'someone else'"));
        Assert.Contains("append-only", e.MessageText);
        await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_events"));
    }

    [Fact]
    public async Task The_first_administrator_exists_and_user_text_is_stored_as_given()
    {
        var admin = Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await admin.SignInAsync("admin", "Admin@Test-2025!")).StatusCode);
        await admin.RefreshAntiforgeryAsync();
        var created = await admin.SendAsync(HttpMethod.Post, "/api/admin/users",
            new { userName = "op.test", displayName = "<script>alert(1)</script> Cán bộ", role = "province_operator", scopeKind = "province", scopeCode = "40", alertSender = true });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<CreatedUserDto>(Responses.Json))!;
        Assert.False(string.IsNullOrEmpty(body.GeneratedPassword));
        // JSON output escapes HTML-significant characters; the page renders with textContent.
        Assert.DoesNotContain("<script>", await created.Content.ReadAsStringAsync());
        Assert.Equal("<script>alert(1)</script> Cán bộ", body.User.DisplayName);
    }
}
