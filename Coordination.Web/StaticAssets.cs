using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Coordination.Web;

/// <summary>
/// The front end's files, read once, hashed and compressed at the highest settings (Brotli 11, gzip optimal)
/// and kept in memory: the whole site is a few files, and MapLibre alone is ~1 MB raw / ~225 KB Brotli 11 but
/// ~255 KB at the quick on-the-fly settings. Every page (index.html, admin.html) gets <c>?v=hash</c> appended to its local script and
/// style URLs (so those can be cached for a year) and the client config inlined. Every script gets the same for the
/// relative URLs it names — <c>import … from './x.js'</c>, <c>import('./x.js')</c>, <c>export … from</c> and
/// <c>new URL('./strings.vi.json', import.meta.url)</c> — so native ES modules and the JSON files they fetch are
/// fingerprinted too, recursively: a file's hash covers the hashes written into it, so a change anywhere below
/// changes every URL above it. Scripts are served minified when the build made a copy (wwwroot/_min, minify.mjs).
/// A file edited on disk is picked up on the next request (its timestamp is checked).
/// </summary>
public sealed partial class StaticAssets(IFileProvider files, ClientConfig config, ILogger<StaticAssets> logger)
{
    static readonly FileExtensionContentTypeProvider ContentTypes = new() { Mappings = { [".pbf"] = "application/x-protobuf" } };
    static readonly HashSet<string> Compressible = new(StringComparer.OrdinalIgnoreCase)
        { ".html", ".js", ".mjs", ".css", ".json", ".svg", ".txt", ".map", ".xml", ".wasm", ".pbf" };

    readonly ConcurrentDictionary<string, Asset> _assets = new(StringComparer.Ordinal);
    /// <summary>The files being built on this thread: an import cycle is left unversioned (and logged).</summary>
    [ThreadStatic] static HashSet<string>? _building;

    public bool HasIndex => files.GetFileInfo("index.html").Exists;

    /// <summary>The asset at a request path ("/" is index.html), or null when there is no such file.</summary>
    public Asset? Get(string path)
    {
        if (path == "/") path = "/index.html";
        if (path.Contains("..") || path.Contains('\\') || path.StartsWith(MinifiedDir + "/", StringComparison.Ordinal)) return null;
        var info = Minified(path, files.GetFileInfo(path));
        if (!info.Exists || info.IsDirectory || !ContentTypes.TryGetContentType(path, out var contentType)) return null;
        if (_assets.TryGetValue(path, out var cached) && cached.LastModified == info.LastModified && cached.Length == info.Length
            && cached.Dependencies.All(d => Get(d.Key)?.Version == d.Value))
            return cached;

        _building ??= new HashSet<string>(StringComparer.Ordinal);
        if (!_building.Add(path))
        {
            logger.LogWarning("Static asset {Path} is part of an import cycle: that import is not versioned", path);
            return null;
        }
        try { return Build(path, info, contentType); }
        finally { _building.Remove(path); }
    }

    Asset Build(string path, IFileInfo info, string contentType)
    {
        var raw = Read(info);
        var dependencies = new Dictionary<string, string>();
        if (path.EndsWith(".html", StringComparison.Ordinal)) raw = RewriteIndex(raw, dependencies);
        else if (path.EndsWith(".js", StringComparison.Ordinal) || path.EndsWith(".mjs", StringComparison.Ordinal))
            raw = RewriteModule(path, raw, dependencies);
        if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.EndsWith("javascript", StringComparison.Ordinal) || contentType.EndsWith("json", StringComparison.Ordinal))
            contentType += "; charset=utf-8";
        var asset = new Asset(raw, contentType, info.LastModified, info.Length, Compressible.Contains(Path.GetExtension(path)))
            { Dependencies = dependencies, StaticImports = _staticImports.TryGetValue(path, out var imports) ? imports : [],
              StartFiles = _startFiles.TryGetValue(path, out var files) ? files : [] };
        _assets[path] = asset;
        return asset;
    }

    /// <summary>Where the build puts the minified scripts (minify.mjs): the same paths under wwwroot/_min.</summary>
    const string MinifiedDir = "/_min";

    /// <summary>
    /// A script's minified copy when the build made one at least as new as the source (a source edited since is
    /// served as it is until the next build); any other file as it is.
    /// </summary>
    IFileInfo Minified(string path, IFileInfo source)
    {
        if (!source.Exists || !path.EndsWith(".js", StringComparison.Ordinal) || path.StartsWith("/lib/", StringComparison.Ordinal))
            return source;
        var minified = files.GetFileInfo(MinifiedDir + path);
        return minified.Exists && minified.LastModified >= source.LastModified ? minified : source;
    }

    /// <summary>Loads and compresses every file, so the first visitor does not wait for Brotli 11.</summary>
    public void WarmUp()
    {
        try
        {
            var started = DateTime.UtcNow;
            foreach (var path in AllFiles("")) { var a = Get(path); _ = a?.Brotli; _ = a?.Gzip; }
            logger.LogInformation("Static assets compressed in {Ms} ms", (int)(DateTime.UtcNow - started).TotalMilliseconds);
        }
        catch (Exception e) { logger.LogWarning(e, "Static asset warm-up failed"); }
    }

    IEnumerable<string> AllFiles(string dir)
    {
        foreach (var f in files.GetDirectoryContents(dir))
        {
            var path = dir + "/" + f.Name;
            if (path == MinifiedDir) continue;
            if (f.IsDirectory) foreach (var p in AllFiles(path)) yield return p;
            else yield return path;
        }
    }

    static byte[] Read(IFileInfo info)
    {
        using var stream = info.CreateReadStream();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    [GeneratedRegex("""(?<attr>\b(?:src|href)=")(?<path>/[^"?#:]+\.(?:js|css))(?=")""")]
    private static partial Regex LocalAsset();

    /// <summary>A relative URL a script names for the browser to load: a static or dynamic import, a re-export, a
    /// side-effect import, or a <c>new URL(…, import.meta.url)</c> of a file it fetches. Not a JSDoc type import
    /// (<c>import('./x.js').Type</c>: a name read off it, where a real import's promise only has then/catch/finally),
    /// which loads nothing and would make false cycles between modules that document each other's types.</summary>
    [GeneratedRegex("""(?<pre>\bfrom\s*|\bimport\s*\(\s*|\bimport\s*|\bnew\s+URL\(\s*)(?<q>['"])(?<path>\.{1,2}/[^'"?#\s]+\.(?:js|mjs|json|css))\k<q>(?!\s*\)\s*\.\s*(?!then\b|catch\b|finally\b)[A-Za-z_$])""")]
    private static partial Regex ModuleReference();

    /// <summary>Per module being built: the modules it imports statically (what the browser must have before it runs).</summary>
    readonly ConcurrentDictionary<string, string[]> _staticImports = new(StringComparer.Ordinal);
    /// <summary>Per module: the Vietnamese (default language) JSON files it names with <c>new URL(…)</c>, fetched as it starts.</summary>
    readonly ConcurrentDictionary<string, string[]> _startFiles = new(StringComparer.Ordinal);

    byte[] RewriteModule(string path, byte[] raw, Dictionary<string, string> dependencies)
    {
        var js = Encoding.UTF8.GetString(raw);
        var changed = false;
        var statics = new List<string>();
        var startFiles = new List<string>();
        js = ModuleReference().Replace(js, m =>
        {
            var relative = m.Groups["path"].Value;
            var target = new Uri(new Uri("http://assets" + path), relative).AbsolutePath;
            if (Get(target) is not { } asset) return m.Value;
            dependencies[target] = asset.Version;
            changed = true;
            var pre = m.Groups["pre"].Value;
            if (target.EndsWith(".js", StringComparison.Ordinal) && (pre.StartsWith("from", StringComparison.Ordinal) || pre.TrimEnd() == "import"))
                statics.Add(target);
            if (pre.StartsWith("new", StringComparison.Ordinal) && target.EndsWith(".vi.json", StringComparison.Ordinal)) startFiles.Add(target);
            var q = m.Groups["q"].Value;
            return $"{m.Groups["pre"].Value}{q}{relative}?v={asset.Version}{q}";
        });
        _staticImports[path] = [.. statics.Distinct()];
        _startFiles[path] = [.. startFiles.Distinct()];
        return changed ? Encoding.UTF8.GetBytes(js) : raw;
    }

    const string ConfigPlaceholder = "<script type=\"application/json\" id=\"config\">{}</script>";

    byte[] RewriteIndex(byte[] raw, Dictionary<string, string> dependencies)
    {
        var html = Encoding.UTF8.GetString(raw);
        html = LocalAsset().Replace(html, m =>
        {
            var path = m.Groups["path"].Value;
            if (Get(path) is not { } asset) return m.Value;
            dependencies[path] = asset.Version;
            return $"{m.Groups["attr"].Value}{path}?v={asset.Version}";
        });
        // A module's static imports are found only as each arrives: one round trip per level of the graph (400 ms each
        // on a mountain link). modulepreload links name the whole graph up front, so it is fetched at once.
        html = ModuleScript().Replace(html, m =>
        {
            var preloads = new StringBuilder();
            var closure = StaticClosure(m.Groups["path"].Value);
            foreach (var module in closure)
                if (Get(module) is { } asset)
                {
                    dependencies[module] = asset.Version;
                    preloads.Append(System.Globalization.CultureInfo.InvariantCulture, $"<link rel=\"modulepreload\" href=\"{module}?v={asset.Version}\">\n");
                }
            // The strings the modules fetch as they start (Vietnamese, the default): one round trip less before search
            // works. crossorigin="anonymous" is what makes the page's own fetch() reuse the preload.
            foreach (var file in new[] { m.Groups["path"].Value }.Concat(closure).SelectMany(p => Get(p)?.StartFiles ?? []).Distinct())
                if (Get(file) is { } asset)
                {
                    dependencies[file] = asset.Version;
                    preloads.Append(System.Globalization.CultureInfo.InvariantCulture, $"<link rel=\"preload\" href=\"{file}?v={asset.Version}\" as=\"fetch\" crossorigin=\"anonymous\">\n");
                }
            return preloads + m.Value;
        });
        // The default encoder escapes '<', '>' and '&', so the JSON cannot close the script element.
        html = html.Replace(ConfigPlaceholder,
            $"<script type=\"application/json\" id=\"config\">{JsonSerializer.Serialize(config, ClientConfig.Json)}</script>");
        return Encoding.UTF8.GetBytes(html);
    }

    [GeneratedRegex("""<script src="(?<path>/[^"?#:]+\.js)\?v=[0-9a-f]+" type="module"></script>""")]
    private static partial Regex ModuleScript();

    /// <summary>Every module a page's entry imports statically, directly or not, in the order first met (the entry excluded).</summary>
    List<string> StaticClosure(string entry)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { entry };
        var order = new List<string>();
        var queue = new Queue<string>([entry]);
        while (queue.TryDequeue(out var path))
            foreach (var next in Get(path)?.StaticImports ?? [])
                if (seen.Add(next)) { order.Add(next); queue.Enqueue(next); }
        return order;
    }

    public sealed class Asset
    {
        readonly Lazy<byte[]?> _brotli, _gzip;

        public Asset(byte[] raw, string contentType, DateTimeOffset lastModified, long length, bool compressible)
        {
            Raw = raw;
            ContentType = contentType;
            LastModified = lastModified;
            Length = length;
            Version = Convert.ToHexStringLower(SHA256.HashData(raw))[..12];
            _brotli = new(() => compressible ? Smaller(Compress(raw, s => new BrotliStream(s, new BrotliCompressionOptions { Quality = 11 }))) : null);
            _gzip = new(() => compressible ? Smaller(Compress(raw, s => new GZipStream(s, CompressionLevel.SmallestSize))) : null);
        }

        public byte[] Raw { get; }
        public string ContentType { get; }
        public DateTimeOffset LastModified { get; }
        public long Length { get; }
        /// <summary>Files whose version is written into this one (index.html → its scripts and styles).</summary>
        public IReadOnlyDictionary<string, string> Dependencies { get; init; } = new Dictionary<string, string>();
        /// <summary>A module's static imports (paths): the page preloads the closure of its entry.</summary>
        public IReadOnlyList<string> StaticImports { get; init; } = [];
        /// <summary>The default language's JSON files a module fetches as it starts: the page preloads them.</summary>
        public IReadOnlyList<string> StartFiles { get; init; } = [];
        /// <summary>Content hash: the <c>v</c> query value that makes a URL cacheable for a year, and the ETag.</summary>
        public string Version { get; }
        public byte[]? Brotli => _brotli.Value;
        public byte[]? Gzip => _gzip.Value;

        byte[]? Smaller(byte[] compressed) => compressed.Length < Raw.Length ? compressed : null;

        static byte[] Compress(byte[] raw, Func<Stream, Stream> wrap)
        {
            using var output = new MemoryStream();
            using (var z = wrap(output)) z.Write(raw);
            return output.ToArray();
        }
    }
}

/// <summary>Serves <see cref="StaticAssets"/> with content negotiation (br, gzip), ETags and cache headers.</summary>
public sealed class StaticAssetsMiddleware(RequestDelegate next, StaticAssets assets, ClientConfig config)
{
    readonly string _csp = ContentSecurityPolicy(config);

    public const string Immutable = "public, max-age=31536000, immutable";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || assets.Get(request.Path.Value ?? "/") is not { } asset)
        {
            await next(context);
            return;
        }

        var accept = request.Headers.AcceptEncoding.ToString();
        var (body, encoding) =
            Accepts(accept, "br") && asset.Brotli is { } br ? (br, "br") :
            Accepts(accept, "gzip") && asset.Gzip is { } gz ? (gz, "gzip") :
            (asset.Raw, null);

        var response = context.Response;
        var etag = $"\"{asset.Version}{(encoding is null ? "" : "-" + encoding)}\"";
        response.Headers.ETag = etag;
        response.Headers.Vary = "Accept-Encoding";
        var v = request.Query["v"];
        response.Headers.CacheControl = v == asset.Version
            || (request.Path.StartsWithSegments("/_glyphs") && config.IsGlyphsVersion(v)) ? Immutable : "no-cache";
        // No Last-Modified: the strong ETag and an explicit Cache-Control say all of it, and on a 400 kbit/s link each
        // of the ~25 first-load responses would carry ~45 bytes for nothing.
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
            response.Headers.ContentSecurityPolicy = _csp;

        if (request.Headers.IfNoneMatch.ToString().Split(',').Any(t => t.Trim() == etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.ContentType = asset.ContentType;
        if (encoding is not null) response.Headers.ContentEncoding = encoding;
        response.ContentLength = body.Length;
        if (HttpMethods.IsGet(request.Method)) await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>
    /// MapLibre runs its worker from a blob: URL. Without a basemap everything comes from this origin; with one,
    /// its style, tiles, glyphs and sprites may come from any https origin and from the style's own origin.
    /// </summary>
    static string ContentSecurityPolicy(ClientConfig config)
    {
        var remote = "";
        if (config.BasemapStyleUrl is { } style && Uri.TryCreate(style, UriKind.Absolute, out var uri))
            remote = $" https: {uri.GetLeftPart(UriPartial.Authority)}";
        return "default-src 'self'; script-src 'self'; worker-src 'self' blob:; child-src blob:; " +
               $"img-src 'self' data: blob:{remote}; style-src 'self' 'unsafe-inline'; connect-src 'self'{remote}; " +
               "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    }

    /// <summary>True when Accept-Encoding lists the coding (or *) with a non-zero q.</summary>
    static bool Accepts(string acceptEncoding, string coding)
    {
        foreach (var part in acceptEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            if (!pieces[0].Equals(coding, StringComparison.OrdinalIgnoreCase) && pieces[0] != "*") continue;
            var q = pieces.Skip(1).FirstOrDefault(p => p.StartsWith("q=", StringComparison.OrdinalIgnoreCase));
            return q is null || !double.TryParse(q[2..], System.Globalization.CultureInfo.InvariantCulture, out var value) || value > 0;
        }
        return false;
    }
}
