using Coordination.Web;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordination.Tests.Web;

/// <summary>
/// The web host's fingerprinting: pages and scripts name their local files with ?v=hash of the target, recursively,
/// so every module and strings file can be cached immutable; the minified copy is served while it is fresh.
/// </summary>
public sealed class StaticAssetsTests : IDisposable
{
    readonly string _root = Path.Combine(Path.GetTempPath(), "coordination-assets-" + Guid.NewGuid().ToString("N"));

    public StaticAssetsTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    void Write(string path, string text, DateTime? time = null)
    {
        var full = Path.Combine(_root, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        if (time is { } t) File.SetLastWriteTimeUtc(full, t);
    }

    StaticAssets Assets() => new(new PhysicalFileProvider(_root), new ClientConfig(null), NullLogger<StaticAssets>.Instance);

    static string Text(StaticAssets.Asset? asset) => Encoding.UTF8.GetString(Assert.IsType<StaticAssets.Asset>(asset).Raw);

    [Fact]
    public void A_page_preloads_its_entrys_static_import_graph_and_the_default_languages_strings_but_not_what_loads_later()
    {
        Write("/index.html", "<head>\n<script src=\"/map/main.js\" type=\"module\"></script>\n</head>");
        Write("/map/main.js", """
            import { t } from '../shared/i18n.js';
            const vi = new URL('./strings.vi.json', import.meta.url), en = new URL('./strings.en.json', import.meta.url);
            const later = () => import('../aid/main.js');
            """);
        Write("/map/strings.vi.json", "{}");
        Write("/map/strings.en.json", "{}");
        Write("/shared/i18n.js", "import{x}from\"./dom.js\";export const t=x;");
        Write("/shared/dom.js", "export const x = 1;");
        Write("/aid/main.js", "import '../aid/views.js';");
        Write("/aid/views.js", "export {};");
        var assets = Assets();

        var page = Text(assets.Get("/"));
        string V(string path) => assets.Get(path)!.Version;
        Assert.Contains($"<link rel=\"modulepreload\" href=\"/shared/i18n.js?v={V("/shared/i18n.js")}\">", page);
        Assert.Contains($"<link rel=\"modulepreload\" href=\"/shared/dom.js?v={V("/shared/dom.js")}\">", page);   // two levels down
        Assert.Contains($"<link rel=\"preload\" href=\"/map/strings.vi.json?v={V("/map/strings.vi.json")}\" as=\"fetch\" crossorigin=\"anonymous\">", page);
        Assert.DoesNotContain("strings.en.json", page);
        Assert.DoesNotContain("/aid/", page);                  // a dynamic import is loaded when needed, not preloaded
        Assert.True(page.IndexOf("modulepreload", StringComparison.Ordinal) < page.IndexOf("<script", StringComparison.Ordinal));
    }

    [Fact]
    public void Imports_dynamic_imports_and_fetched_files_are_versioned_recursively()
    {
        Write("/index.html", """<script src="/map/main.js" type="module"></script>""");
        Write("/map/main.js", """
            import { t } from '../shared/i18n.js';
            export { t };
            const strings = new URL("./strings.vi.json", import.meta.url);
            const later = () => import('../aid/main.js').then((m) => m);
            /** @type {import('../shared/i18n.js').Lang} */
            let lang;
            """);
        Write("/map/strings.vi.json", """{ "a": "b" }""");
        Write("/shared/i18n.js", "import{x}from\"./dom.js\";export const t=x;");
        Write("/shared/dom.js", "export const x = 1;");
        Write("/aid/main.js", "export {};");
        var assets = Assets();

        var dom = assets.Get("/shared/dom.js")!.Version;
        var i18n = assets.Get("/shared/i18n.js");
        Assert.Contains($"from\"./dom.js?v={dom}\"", Text(i18n));

        var main = Text(assets.Get("/map/main.js"));
        Assert.Contains($"from '../shared/i18n.js?v={i18n!.Version}'", main);
        Assert.Contains($"new URL(\"./strings.vi.json?v={assets.Get("/map/strings.vi.json")!.Version}\", import.meta.url)", main);
        Assert.Contains($"import('../aid/main.js?v={assets.Get("/aid/main.js")!.Version}').then", main);
        Assert.Contains("import('../shared/i18n.js').Lang", main);      // a JSDoc type import loads nothing: left alone
        Assert.Contains($"/map/main.js?v={assets.Get("/map/main.js")!.Version}", Text(assets.Get("/")));
    }

    [Fact]
    public void A_change_deep_down_changes_every_url_above_it()
    {
        Write("/index.html", """<script src="/a.js" type="module"></script>""");
        Write("/a.js", "import './b.js';");
        Write("/b.js", "import { c } from './c.js'; export { c };");
        Write("/c.js", "export const c = 1;", DateTime.UtcNow.AddMinutes(-5));
        var assets = Assets();
        var (page, a, b) = (assets.Get("/")!.Version, assets.Get("/a.js")!.Version, assets.Get("/b.js")!.Version);

        Write("/c.js", "export const c = 2;");
        Assert.NotEqual(b, assets.Get("/b.js")!.Version);
        Assert.NotEqual(a, assets.Get("/a.js")!.Version);
        Assert.NotEqual(page, assets.Get("/")!.Version);
        Assert.Contains($"./b.js?v={assets.Get("/b.js")!.Version}", Text(assets.Get("/a.js")));
    }

    [Fact]
    public void The_minified_copy_is_served_while_it_is_at_least_as_new_as_the_source()
    {
        var then = DateTime.UtcNow.AddMinutes(-10);
        Write("/x.js", "// a comment\nexport const longName = 1;", then);
        Write("/_min/x.js", "export const longName=1;", then.AddMinutes(1));
        var assets = Assets();
        Assert.Equal("export const longName=1;", Text(assets.Get("/x.js")));
        Assert.Null(assets.Get("/_min/x.js"));                  // only under its own name

        Write("/x.js", "export const longName = 2;");             // edited after the build: the source, as it is
        Assert.Equal("export const longName = 2;", Text(assets.Get("/x.js")));
    }

    [Fact]
    public void An_import_cycle_does_not_hang_and_is_left_unversioned()
    {
        Write("/a.js", "import './b.js';");
        Write("/b.js", "import './a.js';");
        var text = Text(Assets().Get("/a.js"));
        Assert.Contains("./b.js?v=", text);
    }
}
