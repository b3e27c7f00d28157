using System.Threading.RateLimiting;
using Coordination.Api.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;


namespace Coordination.Api.Infrastructure;

/// <summary>
/// Identity in the same PostgreSQL database; a cookie for the web (same origin through the web host's proxy) and
/// bearer tokens for programmatic clients, chosen per request by the Authorization header; lockout; a sign-in
/// rate limit answering 429 with Retry-After; antiforgery on every cookie-authenticated unsafe request.
/// </summary>
public static class SecuritySetup
{
    const string CookieOrBearer = "cookie-or-bearer";
    public const string AntiforgeryHeader = SecurityOptions.AntiforgeryHeader;

    public static WebApplicationBuilder AddCoordinationSecurity(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        var options = builder.Configuration.GetSection("Security").Get<SecurityOptions>() ?? new();
        s.AddSingleton(options);
        s.AddHttpContextAccessor();
        s.AddScoped<AuditLog>();
        s.AddScoped<ScopeNames>();

        s.AddAuthentication(CookieOrBearer)
            .AddPolicyScheme(CookieOrBearer, "Cookie or bearer", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromHours(1))
            .AddIdentityCookies(c => c.ApplicationCookie!.Configure(o =>
            {
                o.Cookie.Name = "coordination.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the request came over HTTPS (behind TLS in production); plain HTTP on loopback for the run command.
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                // An API answers 401/403, never a redirect to a login page.
                o.Events.OnRedirectToLogin = ctx => { ctx.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = ctx => { ctx.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
            }));

        s.AddIdentityCore<AppUser>(o =>
            {
                o.Lockout.MaxFailedAccessAttempts = options.MaxFailedSignIns;
                o.Lockout.DefaultLockoutTimeSpan = options.LockoutDuration;
                o.Lockout.AllowedForNewUsers = true;
                o.Password.RequiredLength = 10;
                o.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<CoordinationDb>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<CoordinationClaimsFactory>()
            .AddDefaultTokenProviders();
        // A role or scope change takes effect within a minute for existing cookies (the security stamp changes).
        s.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        // Deny by default: an endpoint that declares nothing requires a signed-in user; public reads say AllowAnonymous.
        s.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Authenticated, p => p.RequireAuthenticatedUser().RequireClaim(CoordinationClaims.Role))
            .AddPolicy(Policies.Admin, p => p.RequireClaim(CoordinationClaims.Role, Roles.Admin))
            .AddPolicy(Policies.AuditReader, p => p.RequireClaim(CoordinationClaims.Role, Roles.Admin, Roles.DefenseCommander, Roles.ProvinceOperator));

        s.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryHeader;
            o.Cookie.Name = "coordination.xsrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        s.AddRateLimiter(o =>
        {
            o.AddPolicy(Policies.SignInRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInPermitLimit, Window = options.SignInWindow, QueueLimit = 0 }));
            // The limiter answers 503 without Retry-After by default: say 429 and when to come back.
            o.OnRejected = async (ctx, ct) =>
            {
                var retry = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : options.SignInWindow;
                var seconds = (int)Math.Ceiling(retry.TotalSeconds);
                ctx.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                ctx.HttpContext.Response.Headers.RetryAfter = seconds.ToString();
                await Problems.Status(StatusCodes.Status429TooManyRequests, "Too many attempts.", $"Try again in {seconds} s.",
                    CommonProblems.RateLimited, new { RetryAfterSeconds = seconds }).ExecuteAsync(ctx.HttpContext);
            };
        });
        return builder;
    }

    public static WebApplication UseCoordinationSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        // Cookies ride along with any request the browser makes, so a cookie-authenticated unsafe request must
        // carry the antiforgery header; bearer clients have no ambient credentials and are exempt.
        app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
                && NeedsAntiforgery(context))
            {
                var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
                if (!await antiforgery.IsRequestValidAsync(context))
                {
                    // 400 as before (clients and tests know it); the code says what to do: reload the page.
                    await Problems.Status(StatusCodes.Status400BadRequest, "Antiforgery token missing or invalid.",
                        $"Fetch GET /api/auth/antiforgery and send its token in the {AntiforgeryHeader} header.",
                        CommonProblems.Antiforgery).ExecuteAsync(context);
                    return;
                }
            }
            await next(context);
        });
        app.UseAuthorization();
        return app;
    }

    /// <summary>Cookie-authenticated requests, and cookie sign-in itself (login CSRF).</summary>
    static bool NeedsAntiforgery(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        if (context.Request.Path.StartsWithSegments("/api/auth/login"))
            return !string.Equals(context.Request.Query["mode"], "token", StringComparison.OrdinalIgnoreCase);
        return context.Request.Cookies.ContainsKey("coordination.auth");
    }
}
