using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;


namespace Coordination.Api.Identity;

public sealed record LoginRequest(string? UserName, string? Password);
public sealed record ScopeDto(string Kind, string Code, string? Name);
public sealed record MeDto(string UserName, string DisplayName, string Role, ScopeDto? Scope, bool AlertSender);
public sealed record AntiforgeryDto(string Token, string HeaderName);
/// <summary>The signed-in official's SMS settings: the phone an administrator registered (read-only here) and the notification kinds they receive by SMS (null: all).</summary>
public sealed record SmsSettingsDto(string? Phone, string[]? SmsNotify, string[] Kinds);
public sealed record SmsSettingsInput(string[]? SmsNotify);

public static class AuthApi
{
    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");

        // ?mode=cookie (default, the web) signs in with the Identity cookie; ?mode=token returns a bearer token
        // (Identity's BearerTokenResponse: accessToken, expiresIn, refreshToken) for programmatic clients.
        group.MapPost("/login", Login).RequireRateLimiting(Policies.SignInRateLimit).AllowAnonymous()
            .WithSummary("Sign in. Rate-limited per client (429 + Retry-After); the account locks after repeated failures (423).");
        group.MapPost("/logout", Logout).RequireAuthorization(Policies.Authenticated);
        group.MapGet("/me", Me).RequireAuthorization(Policies.Authenticated);
        group.MapGet("/me/sms", async Task<Results<Ok<SmsSettingsDto>, UnauthorizedHttpResult>> (HttpContext http, UserManager<AppUser> users) =>
            await users.GetUserAsync(http.User) is { } u ? TypedResults.Ok(new SmsSettingsDto(u.PhoneNumber, u.SmsNotify, SmsNotifyKinds.All)) : TypedResults.Unauthorized())
            .RequireAuthorization(Policies.Authenticated).WithSummary("Your phone for SMS commands and which notifications reach it by SMS.");
        group.MapPut("/me/sms", PutSms).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Choose which notification kinds reach your phone by SMS (smsNotify: null for all, [] for none).");
        group.MapGet("/antiforgery", (IAntiforgery antiforgery, HttpContext http) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(http);
            return TypedResults.Ok(new AntiforgeryDto(tokens.RequestToken!, SecurityOptions.AntiforgeryHeader));
        }).AllowAnonymous().WithSummary("An antiforgery token for cookie-authenticated writes (send it in X-XSRF-TOKEN).");
        return group;
    }

    static async Task<Results<Ok<MeDto>, EmptyHttpResult, ProblemHttpResult, ValidationProblem>> Login(
        LoginRequest body, string? mode, SignInManager<AppUser> signIn, UserManager<AppUser> users, AuditLog audit,
        CoordinationDb db, ScopeNames scopes, SecurityOptions options, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.UserName) || string.IsNullOrEmpty(body.Password))
            return Problems.BadParameter("userName", "userName and password are required.", CommonProblems.FieldRequired);
        var useToken = string.Equals(mode, "token", StringComparison.OrdinalIgnoreCase);
        if (mode is not null && !useToken && !string.Equals(mode, "cookie", StringComparison.OrdinalIgnoreCase))
            return Problems.BadParameter("mode", "mode must be cookie or token.", CommonProblems.FieldUnknown);

        signIn.AuthenticationScheme = useToken ? IdentityConstants.BearerScheme : IdentityConstants.ApplicationScheme;
        var userName = body.UserName.Trim();
        var user = await users.FindByNameAsync(userName);
        // Identity counts failures towards lockout only with lockoutOnFailure: true.
        var result = user is null ? SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, body.Password, isPersistent: false, lockoutOnFailure: true);

        if (result.Succeeded)
        {
            audit.Add(IdentityAudit.SignIn, "user", user!.Id, actorName: user.UserName, actorId: user.Id, detail: useToken ? "token" : "cookie");
            await db.SaveChangesAsync(ct);
            // With the bearer scheme, SignInManager has already written the token response.
            return useToken ? TypedResults.Empty : TypedResults.Ok(await MeAsync(user, scopes, ct));
        }

        if (result.IsLockedOut)
        {
            var until = user!.LockoutEnd?.UtcDateTime;
            audit.Add(IdentityAudit.LockedOut, "user", user.Id, actorName: userName, detail: $"locked until {until:O}");
            await db.SaveChangesAsync(ct);
            return Problems.Status(StatusCodes.Status423Locked, "Account locked.",
                $"Too many failed sign-ins: the account is locked until {until:yyyy-MM-dd HH:mm} UTC.", IdentityProblems.LockedOut, new { LockedUntil = until });
        }
        audit.Add(IdentityAudit.SignInFailed, "user", user?.Id, actorName: userName,
            detail: user is null ? "unknown user" : $"failed attempts: {await users.GetAccessFailedCountAsync(user)}/{options.MaxFailedSignIns}");
        await db.SaveChangesAsync(ct);
        return Problems.Status(StatusCodes.Status401Unauthorized, "Sign-in failed.", "Wrong user name or password.", IdentityProblems.SignInFailed);
    }

    static async Task<Results<Ok<SmsSettingsDto>, ValidationProblem, UnauthorizedHttpResult>> PutSms(SmsSettingsInput body, HttpContext http,
        UserManager<AppUser> users, AuditLog audit, CoordinationDb db, CancellationToken ct)
    {
        if (await users.GetUserAsync(http.User) is not { } user) return TypedResults.Unauthorized();
        if (body.SmsNotify?.FirstOrDefault(k => !SmsNotifyKinds.All.Contains(k)) is { } unknown)
            return Problems.BadParameter("smsNotify", $"'{unknown}' is not a notification kind ({string.Join(", ", SmsNotifyKinds.All)}).", CommonProblems.FieldUnknown);
        var before = user.SmsNotify;
        user.SmsNotify = body.SmsNotify?.Distinct().ToArray();
        return await db.InTransactionAsync<Results<Ok<SmsSettingsDto>, ValidationProblem, UnauthorizedHttpResult>>(async () =>
        {
            await users.UpdateAsync(user);
            audit.Add(IdentityAudit.UserChanged, "user", user.Id, new { SmsNotify = before }, new { user.SmsNotify }, detail: "SMS notification kinds");
            return TypedResults.Ok(new SmsSettingsDto(user.PhoneNumber, user.SmsNotify, SmsNotifyKinds.All));
        }, ct);
    }

    static async Task<NoContent> Logout(SignInManager<AppUser> signIn, AuditLog audit, CoordinationDb db, CancellationToken ct)
    {
        audit.Add(IdentityAudit.SignOut);
        await db.SaveChangesAsync(ct);
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<MeDto>, UnauthorizedHttpResult>> Me(HttpContext http, UserManager<AppUser> users, ScopeNames scopes, CancellationToken ct)
    {
        var user = await users.GetUserAsync(http.User);
        return user is null ? TypedResults.Unauthorized() : TypedResults.Ok(await MeAsync(user, scopes, ct));
    }

    public static async Task<MeDto> MeAsync(AppUser user, ScopeNames scopes, CancellationToken ct) =>
        new(user.UserName!, user.DisplayName, user.Role,
            user.ScopeKind is null ? null : new ScopeDto(user.ScopeKind, user.ScopeCode!, await scopes.ScopeNameAsync(user.ScopeKind, user.ScopeCode, ct)),
            user.AlertSender);
}
