using System.Reflection;
using System.Text.RegularExpressions;
using Coordination.Api.MutualAid;

namespace Coordination.Tests.Aid;

/// <summary>Every code mutual aid declares has a Vietnamese and an English sentence in the web's aid problem files.</summary>
public class AidProblemsTests
{
    static Dictionary<string, string> Sentences(string lang) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(PostgisFixture.Repo, "Coordination.Web", "wwwroot", "aid", $"problems.{lang}.json")))!;

    static List<string> Codes() => typeof(AidProblems).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList();

    [Fact]
    public void Each_declared_code_is_worded_in_both_languages_with_the_same_facts()
    {
        Assert.NotNull(typeof(AidProblems).GetCustomAttribute<ProblemCodesAttribute>());
        var (vi, en) = (Sentences("vi"), Sentences("en"));
        var codes = Codes();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        static string[] Facts(string s) => Regex.Matches(s, @"\{(\w+)\}").Select(m => m.Groups[1].Value).Order().ToArray();
        foreach (var code in codes)
        {
            Assert.True(vi.TryGetValue(code, out var v) && v.Length > 0, $"{code}: no Vietnamese sentence");
            Assert.True(en.TryGetValue(code, out var e) && e.Length > 0, $"{code}: no English sentence");
            Assert.Equal(Facts(v!), Facts(e!));
        }
    }

    [Fact]
    public void Every_code_is_dotted_under_aid()
    {
        Assert.All(Codes(), c => Assert.Matches(@"^aid(\.[a-z_]+)+$", c));
    }
}
