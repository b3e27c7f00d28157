using System.Reflection;
using System.Text.RegularExpressions;

namespace Coordination.Tests.Api;

/// <summary>
/// The contract between the server's problem codes and the web client's words: every declared code has a Vietnamese
/// and an English sentence in the web, the web words no code the server does not declare, and the server writes no
/// code that is not declared.
/// </summary>
public sealed partial class ProblemCodeContractTests
{
    static readonly Assembly Api = typeof(Problems).Assembly;

    /// <summary>Every <c>public const string</c> of every [ProblemCodes] class, with where it is declared.</summary>
    public static IReadOnlyList<(string Code, string DeclaredIn)> Declared() =>
        Api.GetTypes().Where(t => t.IsDefined(typeof(ProblemCodesAttribute)))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string))
                .Select(f => ((string)f.GetRawConstantValue()!, $"{t.Name}.{f.Name}")))
            .ToList();

    static string WebRoot => Path.Combine(PostgisFixture.Repo, "Coordination.Web", "wwwroot");

    /// <summary>code → sentence, merged over every feature's problems.{lang}.json.</summary>
    static Dictionary<string, (string Text, string File)> WebStrings(string lang)
    {
        var all = new Dictionary<string, (string, string)>();
        foreach (var file in Directory.GetFiles(WebRoot, $"problems.{lang}.json", SearchOption.AllDirectories))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                Assert.False(all.ContainsKey(p.Name), $"{p.Name} is worded twice ({Path.GetRelativePath(WebRoot, file)} and {all.GetValueOrDefault(p.Name).Item2})");
                all[p.Name] = (p.Value.GetString()!, Path.GetRelativePath(WebRoot, file));
            }
        }
        return all;
    }

    [Fact]
    public void Codes_are_declared_once_and_look_alike()
    {
        var declared = Declared();
        Assert.NotEmpty(declared);
        var twice = declared.GroupBy(d => d.Code).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(d => d.DeclaredIn))}").ToList();
        Assert.True(twice.Count == 0, "declared more than once: " + string.Join("; ", twice));
        var odd = declared.Where(d => !CodeShape().IsMatch(d.Code)).Select(d => $"{d.DeclaredIn} = {d.Code}").ToList();
        Assert.True(odd.Count == 0, "codes are lower-case words joined by '.' or '_': " + string.Join("; ", odd));
    }

    [Theory]
    [InlineData("vi")]
    [InlineData("en")]
    public void Every_declared_code_is_worded_in_the_web_and_the_web_words_only_declared_codes(string lang)
    {
        var declared = Declared().Select(d => d.Code).ToHashSet();
        var web = WebStrings(lang);
        var missing = Declared().Where(d => !web.ContainsKey(d.Code)).Select(d => $"{d.Code} ({d.DeclaredIn})").ToList();
        Assert.True(missing.Count == 0, $"no {lang} sentence in wwwroot/*/problems.{lang}.json for: " + string.Join(", ", missing));
        var unknown = web.Where(w => !declared.Contains(w.Key)).Select(w => $"{w.Key} ({w.Value.File})").ToList();
        Assert.True(unknown.Count == 0, "the web words codes the server does not declare: " + string.Join(", ", unknown));
        var empty = web.Where(w => string.IsNullOrWhiteSpace(w.Value.Text)).Select(w => w.Key).ToList();
        Assert.True(empty.Count == 0, "empty sentences: " + string.Join(", ", empty));
    }

    [Fact]
    public void Vietnamese_sentences_are_vietnamese()
    {
        // A sentence copied from English would pass the presence check; Vietnamese words carry diacritics.
        var english = WebStrings("vi").Where(w => !w.Value.Text.Any(ch => ch > '\u007f')).Select(w => $"{w.Key}: {w.Value.Text}").ToList();
        Assert.True(english.Count == 0, "Vietnamese sentences without a single Vietnamese letter: " + string.Join("; ", english));
    }

    [Fact]
    public void The_server_writes_only_declared_codes()
    {
        // Problem codes are passed as the declared constants; a literal that looks like a code is a code nobody declared.
        var declaredFiles = Declared().Select(d => d.DeclaredIn.Split('.')[0]).ToHashSet();
        var api = Path.Combine(PostgisFixture.Repo, "Coordination.Api");
        var literals = new List<string>();
        foreach (var file in Directory.GetFiles(api, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}") || file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
            var text = File.ReadAllText(file);
            if (declaredFiles.Any(c => Regex.IsMatch(text, $@"static (partial )?class {c}\b"))) continue;
            foreach (Match m in ProblemCall().Matches(text))
                literals.Add($"{Path.GetRelativePath(api, file)}: {m.Value}");
        }
        Assert.True(literals.Count == 0, "problems written with a literal code instead of a declared one:\n  " + string.Join("\n  ", literals));
    }

    [Fact]
    public void The_web_compares_only_declared_codes()
    {
        // A script that branches on a code (the antiforgery retry, the duplicate-request confirmation) silently stops
        // working when the code is renamed on one side only; the sentence files are checked above, these are not.
        var declared = Declared().Select(d => d.Code).ToHashSet();
        var compared = Directory.GetFiles(WebRoot, "*.js", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(WebRoot, f).Split(Path.DirectorySeparatorChar)[0].StartsWith('_') && !f.Contains($"{Path.DirectorySeparatorChar}lib{Path.DirectorySeparatorChar}"))
            .SelectMany(f => WebCodeComparison().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Code: m.Groups["code"].Value)))
            .ToList();
        Assert.Contains(compared, c => c.Code == CommonProblems.Antiforgery);
        var unknown = compared.Where(c => !declared.Contains(c.Code)).Select(c => $"{c.File}: {c.Code}").ToList();
        Assert.True(unknown.Count == 0, "the web compares codes the server does not declare: " + string.Join(", ", unknown));
    }

    /// <summary><c>code === 'x'</c> / <c>code !== "x"</c> in a script.</summary>
    [GeneratedRegex(@"(?<!typeof\s+[\w.?]*)\bcode\s*[!=]==?\s*['""](?<code>[^'""]+)['""]")]
    private static partial Regex WebCodeComparison();

    [Fact]
    public void No_problem_is_written_around_the_kernel()
    {
        // TypedResults.Problem / ValidationProblem outside Kernel/Problems.cs would answer without a declared code.
        var api = Path.Combine(PostgisFixture.Repo, "Coordination.Api");
        var direct = Directory.GetFiles(api, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && Path.GetFileName(f) != "Problems.cs")
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (f, line, i)))
            .Where(x => x.line.Contains("TypedResults.Problem(") || x.line.Contains("TypedResults.ValidationProblem("))
            .Select(x => $"{Path.GetRelativePath(api, x.f)}:{x.i + 1}").ToList();
        Assert.True(direct.Count == 0, "problems written directly: " + string.Join(", ", direct));
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")]
    private static partial Regex CodeShape();

    /// <summary>A Problems.* call, or a "code" extension, given a string literal.</summary>
    [GeneratedRegex(@"(Problems\.(Conflict|Status|Forbidden|NotFound|BadParameter|Invalid)\([^;]*?,\s*""[a-z_]+(\.[a-z_]+)*""\s*[,)])|(\[""code""\]\s*=\s*""[^""]+"")")]
    private static partial Regex ProblemCall();
}
