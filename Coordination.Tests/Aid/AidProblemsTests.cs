using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Coordination.Api.Kernel;
using Coordination.Api.MutualAid;
using Coordination.Tests.Infrastructure;

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
    public void The_codes_the_web_has_used_keep_their_values_and_new_ones_are_dotted()
    {
        string[] kept = ["pledge_state", "request_state", "request_not_open", "not_enough_stock", "below_reserved", "below_pledged", "possible_duplicate",
            "line_exists", "donor_affected", "already_asked", "already_escalated", "already_signed", "consumable", "returnable", "changed"];
        var codes = Codes();
        Assert.All(kept, k => Assert.Contains(k, codes));
        Assert.All(codes.Except(kept), c => Assert.StartsWith("aid.", c));
    }
}
