using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Coordination.Tests.Browser;

/// <summary>
/// Signing in through the web page (real API in Development mode with its demo users, real web host and proxy,
/// Debian's chromium): header, own commune on the map, duty contact edit, session restore, sign-out, the
/// sign-in errors, and the admin page.
/// </summary>
[Collection("postgis")]
public sealed class SignInTests(PostgisFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    const string ChauKhe = "17248", ConCuong = "17254";

    // Chromium logs every refused request as a failed resource; the test provokes 400 (validation) and 401
    // (wrong password, signed out) on purpose and checks what the page shows instead.
    protected override IReadOnlyCollection<int> ProvokedStatuses => [400, 401];

    [Fact]
    public async Task Commune_leader_signs_in_sees_own_commune_edits_its_contact_and_signs_out()
    {
        var app = await OpenAsync();
        var page = app.Page;
        await app.WaitForMapIdleAsync();
        var signIn = page.Locator("#signin");
        await Assertions.Expect(signIn).ToHaveTextAsync("Đăng nhập");

        // ---- a wrong password says so, in Vietnamese, and keeps the dialog open
        await app.SubmitSignInAsync("chaukhe.leader", "not-the-password");
        await Assertions.Expect(page.Locator("#signin-error")).ToHaveTextAsync("Sai tên đăng nhập hoặc mật khẩu.");
        Assert.True(await page.Locator("#signin-dialog").IsVisibleAsync());
        Assert.Equal(0, await page.Locator("#signout").CountAsync());

        // ---- the right one: name and role in the header, Châu Khê selected and outlined as the user's own
        await page.FillAsync("#signin-password", Session.DemoPassword);
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("#user-role")).ToHaveTextAsync("Chủ tịch UBND xã");
        await Assertions.Expect(page.Locator("#user-name")).ToContainTextAsync("Châu Khê");
        await Assertions.Expect(page.Locator("#signout")).ToHaveTextAsync("Đăng xuất");
        Assert.Equal("Chủ tịch UBND xã Châu Khê (demo)|Chủ tịch UBND xã|Đăng xuất",
            string.Join("|", await page.Locator("#auth span:not(:has(span)), #auth a, #auth button").AllInnerTextsAsync()));
        Assert.DoesNotContain("null", await page.InnerTextAsync("#auth"));
        Assert.False(await page.Locator("#signin-dialog").IsVisibleAsync());
        await app.WaitForPanelAsync(ChauKhe);
        Assert.Equal("Châu Khê", await page.InnerTextAsync("#name"));
        await page.WaitForFunctionAsync($"() => window.coordination.own.includes('{ChauKhe}')");
        Assert.True(await app.IsOwnAsync(ChauKhe), "Châu Khê carries feature-state own");
        Assert.False(await app.IsOwnAsync(ConCuong), "Con Cuông is not the user's own");
        await Assertions.Expect(page.Locator("#legend-own")).ToBeVisibleAsync();
        await app.WaitForMapIdleAsync();
        await app.ScreenshotAsync("signed-in-chau-khe");

        // ---- the duty contact: empty at first, edited through the form (PUT with the antiforgery header)
        await Assertions.Expect(page.Locator("#contact-none")).ToHaveTextAsync("Chưa có thông tin trực ban.");
        await page.ClickAsync("#contact-edit");
        await page.FillAsync("#contact-phone-input", "0238 3873 115");
        await page.FillAsync("#contact-officer-input", "Nguyễn Văn Trực");
        await page.FillAsync("#contact-note-input", "Trực 24/24 mùa mưa bão");
        await page.ClickAsync("#contact-save");
        await Assertions.Expect(page.Locator("#contact-message")).ToHaveTextAsync("Đã lưu.");
        await Assertions.Expect(page.Locator("#contact-phone")).ToHaveTextAsync("0238 3873 115");
        await Assertions.Expect(page.Locator("#contact-officer")).ToHaveTextAsync("Nguyễn Văn Trực");
        await Assertions.Expect(page.Locator("#contact-updated")).ToContainTextAsync("chaukhe.leader");

        // ---- a phone number the API rejects: its validation message, the form stays open
        await page.ClickAsync("#contact-edit");
        await page.FillAsync("#contact-phone-input", "call me");
        await page.ClickAsync("#contact-save");
        await Assertions.Expect(page.Locator("#contact-message")).ToContainTextAsync("Số điện thoại chỉ gồm chữ số");
        await Assertions.Expect(page.Locator("#contact-form")).ToBeVisibleAsync();
        await page.ClickAsync("#contact-cancel");

        // ---- the antiforgery cookie is gone (expired, or the browser dropped it) while the page keeps its token: the
        // API refuses the write with auth.antiforgery, and the page fetches a fresh token and sends it again once
        await app.Page.Context.ClearCookiesAsync(new() { Name = "coordination.xsrf" });
        await page.ClickAsync("#contact-edit");
        await page.FillAsync("#contact-note-input", "Trực 24/24 mùa mưa lũ");
        var refusals = 0;
        page.Response += (_, r) => { if (r.Status == 400 && r.Url.Contains("/contact")) refusals++; };
        await page.ClickAsync("#contact-save");
        await Assertions.Expect(page.Locator("#contact-message")).ToHaveTextAsync("Đã lưu.");
        Assert.Equal(1, refusals);

        // ---- a neighbour's contact is readable, not editable by this user
        await page.EvaluateAsync($"() => window.coordination.select('{ConCuong}')");
        await app.WaitForPanelAsync(ConCuong);
        await Assertions.Expect(page.Locator("#contact-none")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#contact-edit").CountAsync());

        // ---- the session survives a reload (GET /api/auth/me); own commune outlined again
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Assertions.Expect(page.Locator("#user-role")).ToHaveTextAsync("Chủ tịch UBND xã");
        await app.WaitForPanelAsync(ChauKhe);
        await page.WaitForFunctionAsync($"() => window.coordination.own.includes('{ChauKhe}')");
        Assert.True(await app.IsOwnAsync(ChauKhe));
        await Assertions.Expect(page.Locator("#contact-phone")).ToHaveTextAsync("0238 3873 115");

        // ---- English labels for the same session
        await page.SwitchLanguageAsync();
        await Assertions.Expect(page.Locator("#user-role")).ToHaveTextAsync("Commune leader");
        await Assertions.Expect(page.Locator("#signout")).ToHaveTextAsync("Sign out");
        await page.SwitchLanguageAsync();

        // ---- sign out: the button is back, nothing is "own" any more, no edit offered
        await page.ClickAsync("#signout");
        await Assertions.Expect(signIn).ToHaveTextAsync("Đăng nhập");
        Assert.Equal(0, await page.Locator("#user-name").CountAsync());
        await page.WaitForFunctionAsync("() => window.coordination.own.length === 0");
        Assert.False(await app.IsOwnAsync(ChauKhe));
        Assert.Equal(0, await page.Locator("#contact-edit").CountAsync());
        Assert.Equal(401, await page.EvaluateAsync<int>("async () => (await fetch('/api/auth/me')).status"));

        // ---- and after a reload it stays signed out
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Assertions.Expect(signIn).ToBeVisibleAsync();

        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        await app.CloseAsync();
    }

    [Fact]
    public async Task Locked_out_and_rate_limited_sign_ins_say_so()
    {
        var app = await OpenAsync();
        var page = app.Page;
        // Five wrong passwords lock the account (the API's default): the sixth attempt, even with the right
        // password, is answered 423 and the page says until when, in local time.
        await app.SubmitSignInAsync("concuong.leader", "wrong-1");
        var error = page.Locator("#signin-error");
        await Assertions.Expect(error).ToHaveTextAsync("Sai tên đăng nhập hoặc mật khẩu.");
        for (var i = 2; i <= 5; i++)
        {
            await page.FillAsync("#signin-password", $"wrong-{i}");
            await page.ClickAsync("#signin-submit");
            await Assertions.Expect(page.Locator("#signin-submit")).ToBeEnabledAsync();
        }
        await page.FillAsync("#signin-password", Session.DemoPassword);
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(error).ToContainTextAsync("Tài khoản đang tạm khóa vì nhập sai mật khẩu nhiều lần, đến ");
        Assert.Matches(@"\d{2}:\d{2}", await error.InnerTextAsync());

        // The rate limit (429 + Retry-After), answered here by a stand-in so the test need not exhaust it.
        await page.RouteAsync("**/api/auth/login", route => route.FulfillAsync(new()
        {
            Status = 429,
            Headers = new Dictionary<string, string> { ["Retry-After"] = "42" },
            ContentType = "application/problem+json",
            Body = """{"title":"Too many attempts.","status":429,"detail":"Try again in 42 s."}""",
        }));
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(error).ToHaveTextAsync("Quá nhiều lần thử. Hãy thử lại sau 42 giây.");
        Assert.Equal(0, await page.Locator("#signout").CountAsync());

        Assert.True(!app.Errors.Any(e => !e.Contains("status of 423") && !e.Contains("status of 429")),
            "browser errors:\n" + string.Join("\n", app.Errors));
        await app.CloseAsync();
    }

    [Fact]
    public async Task Commander_sees_the_defense_area_outlined_and_the_operator_is_taken_to_the_province()
    {
        var app = await OpenAsync();
        var page = app.Page;
        await app.WaitForMapIdleAsync();
        var area = await page.EvaluateAsync<string[]>($$"""
            async () => { const f = await (await fetch('/api/communes/{{ChauKhe}}')).json();
              return (await (await fetch('/api/defense-areas/' + f.properties.defenseArea.id)).json()).communes; }
            """);
        Assert.Contains(ChauKhe, area);

        await app.SubmitSignInAsync("kv5.commander", Session.DemoPassword);
        await Assertions.Expect(page.Locator("#user-role")).ToHaveTextAsync("Chỉ huy khu vực phòng thủ");
        await page.WaitForFunctionAsync($"() => window.coordination.own.length === {area.Length}");
        Assert.Equal(area.OrderBy(c => c), (await page.EvaluateAsync<string[]>("() => window.coordination.own")).OrderBy(c => c));
        foreach (var code in area) Assert.True(await app.IsOwnAsync(code), $"{code} of the area is outlined");
        await app.WaitForMapIdleAsync();
        await app.ScreenshotAsync("signed-in-commander");
        await page.ClickAsync("#signout");
        await page.WaitForFunctionAsync("() => window.coordination.own.length === 0");

        // A province operator: no outline, the map goes to Nghệ An (lng 103.8–105.8, lat 18.5–20.1).
        await app.SubmitSignInAsync("nghean.operator", Session.DemoPassword);
        await Assertions.Expect(page.Locator("#user-role")).ToHaveTextAsync("Cán bộ tỉnh");
        await page.WaitForFunctionAsync("""
            () => { const m = window.coordinationMap, c = m.getCenter();
              return !m.isMoving() && m.getZoom() > 6.5 && c.lng > 103.8 && c.lng < 105.8 && c.lat > 18.5 && c.lat < 20.1; }
            """);
        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        await app.CloseAsync();
    }

    [Fact]
    public async Task Admin_creates_a_user_with_a_generated_password_and_changes_its_role()
    {
        var app = await OpenAsync("/admin.html");
        var page = app.Page;
        await Assertions.Expect(page.Locator("#admin-only")).ToBeVisibleAsync();
        Assert.False(await page.Locator("#admin-body").IsVisibleAsync());

        await app.SubmitSignInAsync("admin.demo", Session.DemoPassword);
        await Assertions.Expect(page.Locator("#user-role")).ToHaveTextAsync("Quản trị");
        Assert.DoesNotContain("null", await page.InnerTextAsync("#auth"));
        var leaderRow = page.Locator("#users tr[data-user='chaukhe.leader']");
        await Assertions.Expect(leaderRow).ToContainTextAsync("Chủ tịch UBND xã");
        await Assertions.Expect(leaderRow).ToContainTextAsync("Châu Khê");

        // ---- an unknown commune code is refused, next to its field
        await page.FillAsync("#f-userName", "concuong.deputy");
        await page.FillAsync("#f-displayName", "Phó Chủ tịch UBND xã Con Cuông (thử)");
        await page.SelectOptionAsync("#f-role", "commune_leader");
        await page.FillAsync("#f-scopeCode", "99999");
        await page.ClickAsync("#user-submit");
        await Assertions.Expect(page.Locator(".field-error[data-field='scopeCode']")).ToBeVisibleAsync();

        // ---- a phone that is no mobile is refused next to its field; a real one: created, its generated password
        // shown once and good for signing in, its mobile kept for SMS commands
        await page.FillAsync("#f-scopeCode", ConCuong);
        await page.FillAsync("#f-phone", "0912");
        await page.ClickAsync("#user-submit");
        await Assertions.Expect(page.Locator(".field-error[data-field='phone']")).ToBeVisibleAsync();
        await page.FillAsync("#f-phone", "0912 000 041");
        await page.ClickAsync("#user-submit");
        var generated = page.Locator("#generated-password");
        await Assertions.Expect(generated).ToBeVisibleAsync();
        var password = await generated.InnerTextAsync();
        Assert.True(password.Length >= 10, $"generated password “{password}”");
        var row = page.Locator("#users tr[data-user='concuong.deputy']");
        await Assertions.Expect(row).ToContainTextAsync("Con Cuông");
        var status = await page.EvaluateAsync<int>("""
            async (password) => (await fetch('/api/auth/login?mode=token', { method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ userName: 'concuong.deputy', password }) })).status
            """, password);
        Assert.Equal(200, status);

        // ---- role and scope changed: a province operator of Nghệ An
        await row.Locator("button").ClickAsync();
        await Assertions.Expect(page.Locator("#f-userName")).ToHaveValueAsync("concuong.deputy");
        await Assertions.Expect(page.Locator("#f-phone")).ToHaveValueAsync("+84912000041");
        await page.SelectOptionAsync("#f-role", "province_operator");
        await page.FillAsync("#f-scopeCode", "40");
        await page.ClickAsync("#user-submit");
        await Assertions.Expect(row).ToContainTextAsync("Cán bộ tỉnh");
        await Assertions.Expect(row).ToContainTextAsync("Nghệ An");
        await Assertions.Expect(page.Locator("#generated-password")).ToHaveCountAsync(0);
        var phone = await page.EvaluateAsync<string>("async () => (await (await fetch('/api/admin/users')).json()).find(u => u.userName === 'concuong.deputy').phone");
        Assert.Equal("+84912000041", phone);   // kept through the change of role
        await app.ScreenshotAsync("admin-users");

        // ---- signing out hides the list again
        await page.ClickAsync("#signout");
        await Assertions.Expect(page.Locator("#admin-only")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#users tr[data-user]").CountAsync());

        Assert.True(app.Errors.Count == 0, "browser errors:\n" + string.Join("\n", app.Errors));
        await app.CloseAsync();
    }
}
