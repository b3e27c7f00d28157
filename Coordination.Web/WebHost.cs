using System.Text.Json;
using Microsoft.Extensions.FileProviders;
using Yarp.ReverseProxy.Configuration;

namespace Coordination.Web;

/// <summary>
/// The web map host: serves the static front end (wwwroot, compressed and cached by <see cref="StaticAssets"/>)
/// and reverse-proxies the API under one origin, so the browser never talks to another host.
/// </summary>
public static class WebHost
{
    public const string DefaultUrl = "http://127.0.0.1:5081";
    public const string DefaultApiBaseUrl = "http://127.0.0.1:5080";

    /// <summary>Paths forwarded to the API (YARP route templates).</summary>
    static readonly string[] ProxiedPaths = ["/api/{**rest}", "/tiles/{**rest}", "/openapi/{**rest}", "/docs/{**rest}", "/health"];

    public static void Main(string[] args) => Build(args).Run();

    /// <summary>
    /// Builds the host. Settings (configuration / command line / environment with <c>__</c>):
    /// <c>urls</c> (default <see cref="DefaultUrl"/>), <c>Api:BaseUrl</c> (default <see cref="DefaultApiBaseUrl"/>),
    /// <c>Map:BasemapStyleUrl</c> (optional MapLibre style URL; without it the map needs no internet),
    /// <c>Map:BasemapPmtiles</c> (a PMTiles basemap file for a closed network; default <see cref="DefaultBasemapPmtiles"/>
    /// under the repository, used when present),
    /// <c>contentRoot</c> (the folder holding wwwroot). Tests call this in-process, e.g.
    /// <c>Build(["--urls", "http://127.0.0.1:0", "--Api:BaseUrl", api, "--contentRoot", dir])</c>.
    /// </summary>
    public static WebApplication Build(string[] args)
    {
        // Invariant formatting whatever the machine's locale (the page does its own Vietnamese and English).
        System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = FindContentRoot(args),
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
            builder.WebHost.UseUrls(DefaultUrl);

        var apiBaseUrl = builder.Configuration["Api:BaseUrl"] is { Length: > 0 } configured ? configured : DefaultApiBaseUrl;
        if (!Uri.TryCreate(apiBaseUrl, UriKind.Absolute, out _))
            throw new InvalidOperationException($"Api:BaseUrl '{apiBaseUrl}' is not an absolute URL.");

        builder.Services.AddReverseProxy().LoadFromMemory(
            ProxiedPaths.Select((path, i) => new RouteConfig
            {
                RouteId = $"api-{i}",
                ClusterId = "api",
                Match = new RouteMatch { Path = path },
            }).ToList(),
            [new ClusterConfig
            {
                ClusterId = "api",
                Destinations = new Dictionary<string, DestinationConfig> { ["api"] = new() { Address = apiBaseUrl } },
            }]);

        var basemap = BasemapFile(builder.Configuration["Map:BasemapPmtiles"], builder.Environment.ContentRootPath);
        var clientConfig = new ClientConfig(builder.Configuration["Map:BasemapStyleUrl"] is { Length: > 0 } style ? style : null,
            ClientConfig.GlyphsVersionOf(builder.Environment.WebRootPath),
            basemap is null ? null : $"/basemap.pmtiles?v={ClientConfig.FileVersion(basemap)}");
        builder.Services.AddSingleton(clientConfig);
        builder.Services.AddSingleton(sp => new StaticAssets(
            sp.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider, clientConfig,
            sp.GetRequiredService<ILogger<StaticAssets>>()));

        var app = builder.Build();
        var assets = app.Services.GetRequiredService<StaticAssets>();
        if (!assets.HasIndex)
            app.Logger.LogWarning("No index.html under {WebRoot}: start with --contentRoot pointing at Coordination.Web", app.Environment.WebRootPath);
        // Compress the libraries once at start-up, off the request path.
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(assets.WarmUp));

        app.Use((context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return next(context);
        });
        app.UseMiddleware<StaticAssetsMiddleware>();
        app.MapGet("/config.json", (ClientConfig config) => TypedResults.Json(config, ClientConfig.Json));
        // glyphs.mjs builds only the ranges Vietnamese and English labels use; any other range a label asks for is
        // answered with no glyphs (an empty glyph set is an empty protobuf), not a 404 the map would log.
        app.MapGet("/_glyphs/{stack}/{range:regex(^\\d{{1,5}}-\\d{{1,5}}$)}.pbf", (HttpContext http, ClientConfig config) =>
        {
            if (config.IsGlyphsVersion(http.Request.Query["v"]))
                http.Response.Headers.CacheControl = StaticAssetsMiddleware.Immutable;
            return TypedResults.Bytes([], "application/x-protobuf");
        });
        // A drop-in basemap (PMTiles, built from an OSM extract): the map reads it by HTTP range requests.
        if (basemap is not null)
        {
            app.Logger.LogInformation("Basemap {File} ({Bytes:N0} bytes) served at /basemap.pmtiles", basemap.FullName, basemap.Length);
            app.MapGet("/basemap.pmtiles", (HttpContext http, ClientConfig config) =>
            {
                http.Response.Headers.CacheControl = config.BasemapPmtilesUrl?.EndsWith("?v=" + http.Request.Query["v"], StringComparison.Ordinal) == true
                    ? StaticAssetsMiddleware.Immutable : "no-cache";
                return TypedResults.PhysicalFile(basemap.FullName, "application/vnd.pmtiles", enableRangeProcessing: true);
            });
        }
        // The API owns the upload limit (Uploads:MaxBytes, 413 with a code the page words): the proxy streams the body
        // on instead of cutting it at Kestrel's 30 MB default with an answer no page can word.
        app.MapReverseProxy(proxy => proxy.Use((context, next) =>
        {
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = null;
            return next();
        }));
        return app;
    }

    /// <summary>Where an operator drops a PMTiles basemap when no path is configured (git-ignored; README "Basemap").</summary>
    public const string DefaultBasemapPmtiles = "../geo/basemap/basemap.pmtiles";

    /// <summary>The configured PMTiles file, or the default one when it exists; null when there is none.</summary>
    static FileInfo? BasemapFile(string? configured, string contentRoot)
    {
        var file = new FileInfo(Path.GetFullPath(configured is { Length: > 0 } ? configured : DefaultBasemapPmtiles, contentRoot));
        if (file.Exists) return file;
        if (configured is { Length: > 0 }) throw new InvalidOperationException($"Map:BasemapPmtiles '{file.FullName}' does not exist.");
        return null;
    }

    /// <summary>Honours --contentRoot; otherwise the first folder with wwwroot/index.html among the current
    /// directory, the app's own folder and the source project folder (for `dotnet bin/…/Coordination.Web.dll`).</summary>
    static string? FindContentRoot(string[] args)
    {
        if (args.Any(a => a.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase))
            || Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is { Length: > 0 })
            return null;   // the host reads it itself
        foreach (var dir in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "wwwroot", "index.html"))) return d.FullName;
                var project = Path.Combine(d.FullName, "Coordination.Web");
                if (File.Exists(Path.Combine(project, "wwwroot", "index.html"))) return project;
            }
        }
        return null;
    }
}

/// <summary>What the browser needs to know at start (served as /config.json and inlined into index.html).</summary>
/// <param name="GlyphsVersion">
/// One version for the whole glyph set (wwwroot/_glyphs, built by glyphs.mjs): the map asks for glyph ranges by a
/// URL template, so the set's hash goes into that template (<c>?v=</c>) and every range is cached for a year.
/// </param>
/// <param name="BasemapPmtilesUrl">The drop-in basemap, versioned by its size and time, when there is one.</param>
public sealed record ClientConfig(string? BasemapStyleUrl, string? GlyphsVersion = null, string? BasemapPmtilesUrl = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A large file's version without reading it: its length and last write time.</summary>
    public static string FileVersion(FileInfo file) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{file.Length}:{file.LastWriteTimeUtc.Ticks}")))[..12];

    /// <summary>Whether a request's <c>v</c> names the glyph set being served (then it may be cached for a year).</summary>
    public bool IsGlyphsVersion(string? v) => GlyphsVersion is not null && v == GlyphsVersion;

    public static string? GlyphsVersionOf(string? webRoot)
    {
        var dir = webRoot is null ? null : Path.Combine(webRoot, "_glyphs");
        if (dir is null || !Directory.Exists(dir)) return null;
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(dir, "*.pbf", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(dir, file)));
            sha.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..12].ToLowerInvariant();
    }
}
