using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Coordination.Api.Boundaries.Import;
using Coordination.Api.Identity;
using Coordination.Api.Boundaries.Tiles;
using Microsoft.AspNetCore.ResponseCompression;

namespace Coordination.Api.Infrastructure;

public static class ServiceSetup
{
    public static WebApplicationBuilder AddCoordinationServices(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddSingleton<CoordinationDatabase>();
        s.AddSingleton<IDatabaseLocation>(sp => sp.GetRequiredService<CoordinationDatabase>());
        s.AddSingleton(TimeProvider.System);
        s.AddDbContext<CoordinationDb>((sp, o) => o.UseCoordination(sp.GetRequiredService<CoordinationDatabase>().ConnectionString));
        // Kernel services see the context as a plain DbContext, so the kernel depends on no capability's model.
        s.AddScoped<DbContext>(sp => sp.GetRequiredService<CoordinationDb>());
        s.AddScoped<CurrentUser>();
        s.AddScoped<GeoImporter>();
        s.AddScoped<ProvinceImporter>();
        s.AddScoped<DefenseAreaImporter>();
        s.AddScoped<LandImporter>();
        s.AddScoped<GeoSeeder>();
        s.AddScoped<Seeding>();
        s.AddScoped<Hazards.Import.HazardImporter>();
        s.AddScoped<Offices.Import.OfficeImporter>();
        // Offices keep what Hazards' zones and events expose; Hazards keeps flood coverage in step with the boundaries.
        s.AddScoped<Hazards.IExposureRefresh, Offices.OfficeExposureRefresh>();
        s.AddScoped<IBoundariesChanged, Hazards.FloodCoverageFollowsBoundaries>();
        s.Configure<UploadOptions>(builder.Configuration.GetSection("Uploads"));   // the one size limit of uploaded files
        s.Configure<Offices.ExposureOptions>(builder.Configuration.GetSection("Exposure"));
        s.Configure<MutualAid.AidOptions>(builder.Configuration.GetSection("Aid"));
        s.Configure<MutualAid.HelpReports.HelpReportOptions>(builder.Configuration.GetSection("HelpReports"));
        // Escalation of unanswered asks; hosted services run only when serving (commands never start the host).
        s.AddHostedService<IdempotencyPurge>();
        if (builder.Configuration.GetValue("Aid:Escalation", true)) s.AddHostedService<MutualAid.PledgeEscalation>();
        s.Configure<GeoSeedOptions>(builder.Configuration.GetSection("Geo"));
        s.AddSingleton<TileCache>();
        AddSms(builder);
        s.AddScoped<IdentitySeeder>();
        builder.AddCoordinationSecurity();

        // Every problem carries a stable code: the framework's own answers (401, 404 of a route, 405, 429…) get
        // the one their status implies; ours set theirs (README "Problem codes").
        s.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            var status = c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode;
            if (status >= 400 && !c.ProblemDetails.Extensions.ContainsKey("code"))
                c.ProblemDetails.Extensions["code"] = Problems.CodeForStatus(status);
        });
        // A malformed value (limit=abc, 10¹² for an int) is the client's error: the framework throws, BadInputHandler
        // answers 400 problem details naming the field, never a 500 and never a bare "Bad Request".
        s.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        s.AddExceptionHandler<BadInputHandler>();
        s.AddOpenApi();
        // Vietnamese letters go out as themselves, not \uXXXX escapes (HTML-sensitive characters stay escaped).
        s.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All));
        s.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["application/geo+json", "application/problem+json", TileCache.ContentType]);
        });
        s.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        s.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return builder;
    }

    /// <summary>
    /// SMS alerts: Twilio over HttpClient (no automatic retries: a POST that timed out may have created a message),
    /// the dispatcher and re-broadcast scheduler (in this process unless Sms:Dispatch:Enabled=false; the `dispatch`
    /// command runs them alone), and a per-address limit on the public webhooks.
    /// </summary>
    static void AddSms(WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.Configure<Alerts.Sms.TwilioOptions>(builder.Configuration.GetSection("Twilio"));
        s.Configure<Alerts.SmsOptions>(builder.Configuration.GetSection("Sms"));
        s.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Alerts.SmsOptions>>().Value);
        s.AddHttpClient("twilio", c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        s.AddSingleton(sp => new Alerts.Sms.TwilioClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient("twilio"),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Alerts.Sms.TwilioOptions>>()));
        // The gateway phones: a short pooled connection per phone; no automatic retries either (a POST may have queued the SMS).
        s.AddHttpClient("gateway", c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxConnectionsPerServer = 16, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        s.AddSingleton<Alerts.Delivery.SmsProviders>();
        s.AddSingleton<Alerts.Delivery.SmsDispatcher>();
        s.AddSingleton<Alerts.Delivery.AlertScheduler>();
        s.AddScoped<Alerts.Composer>();
        s.AddScoped<Alerts.InboundSmsHandler>();
        s.AddScoped<ISmsOutbox, Alerts.Delivery.SmsOutbox>();
        s.AddScoped<ISmsCommands, MutualAid.Sms.SmsChannel>();
        s.AddSingleton<MutualAid.Sms.SmsGrammarCache>();
        s.AddOptions<MutualAid.Sms.SmsCommandOptions>().BindConfiguration("Sms:Commands");
        s.AddOptions<MutualAid.Sms.NotificationSmsOptions>().BindConfiguration("Sms:Notifications");
        s.AddSingleton<MutualAid.Sms.NotificationSmsRelay>();
        s.AddHostedService(sp => sp.GetRequiredService<MutualAid.Sms.NotificationSmsRelay>());
        if (builder.Configuration.GetValue("Sms:Dispatch:Enabled", true))
        {
            s.AddHostedService<Alerts.Delivery.SmsDispatcherService>();
            s.AddHostedService(sp => sp.GetRequiredService<Alerts.Delivery.AlertScheduler>());
        }
        var limit = builder.Configuration.GetValue("Sms:WebhookPermitLimit", 120);
        s.AddRateLimiter(o => o.AddPolicy(Alerts.SmsWebhooks.RateLimit, context => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })));
    }

    public static WebApplication UseCoordinationPipeline(this WebApplication app)
    {
        // The web host proxies the browser's requests from loopback (YARP adds X-Forwarded-*): take the client's
        // address and scheme from there, so the audit log, the per-client sign-in limit and Secure cookies see the
        // real client. Only loopback proxies are trusted (the defaults).
        app.UseForwardedHeaders(new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseResponseCompression();
        app.UseCoordinationSecurity();
        // After sign-in and antiforgery, so a key belongs to a user and a refused token is not remembered.
        app.UseMiddleware<IdempotencyMiddleware>();
        return app;
    }

    /// <summary>Starts the embedded cluster (or takes the configured one); stops it when the app stops.</summary>
    public static async Task StartDatabaseAsync(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<CoordinationDatabase>();
        await database.StartAsync(app.Configuration);
        app.Lifetime.ApplicationStopped.Register(() => database.DisposeAsync().AsTask().GetAwaiter().GetResult());
    }

    /// <summary>Migrates and seeds before the app takes requests.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var seeder = scope.ServiceProvider.GetRequiredService<Seeding>();
            await seeder.MigrateAsync();
            var options = app.Configuration.GetSection("Geo").Get<GeoSeedOptions>() ?? new();
            if (options.Enabled) await seeder.SeedAsync(options);

            var identity = scope.ServiceProvider.GetRequiredService<IdentitySeeder>();
            await identity.EnsureAdministratorAsync(app.Configuration.GetSection("Admin").Get<IdentitySeedOptions>() ?? new());
            // Demo users only in demo/development mode (Demo:Users, default on in Development).
            if (app.Configuration.GetValue("Demo:Users", app.Environment.IsDevelopment()))
            {
                await identity.EnsureDemoUsersAsync();
                await Alerts.DemoTemplates.EnsureAsync(scope.ServiceProvider.GetRequiredService<CoordinationDb>(), TimeProvider.System);
                await Boundaries.Hamlets.DemoHamlets.EnsureAsync(scope.ServiceProvider.GetRequiredService<CoordinationDb>(), TimeProvider.System);
            }
        }
    }

    public static void MapHealth(this WebApplication app) =>
        app.MapGet("/health", async (CoordinationDb db, CancellationToken ct) =>
                await db.Database.CanConnectAsync(ct) ? Results.Ok(new { status = "ok" }) : Results.Problem("database unreachable", statusCode: 503))
            .WithTags("Health").AllowAnonymous();
}
