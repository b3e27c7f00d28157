using System.Reflection;
using NetArchTest.Rules;

namespace Coordination.Tests.Architecture;

/// <summary>
/// The dependency rule of README "Where things are": the kernel uses no capability; a capability uses the kernel,
/// Boundaries and Identity, and of any other capability only what that one publishes; nothing below a capability
/// uses it back. The composition root (Program, Infrastructure, Data) may use everything.
/// </summary>
public sealed class DependencyRuleTests
{
    static readonly Assembly Api = typeof(Problems).Assembly;
    const string Root = "Coordination.Api";

    /// <summary>Which capabilities each one may use besides the kernel. Boundaries and Identity are the ground the others stand on.</summary>
    public static readonly Dictionary<string, string[]> MayUse = new()
    {
        ["Kernel"] = [],
        ["Boundaries"] = [],
        ["Identity"] = ["Boundaries"],
        ["Hazards"] = ["Boundaries", "Identity"],
        ["Offices"] = ["Boundaries", "Identity", "Hazards"],
        ["MutualAid"] = ["Boundaries", "Identity", "Hazards"],
        ["Alerts"] = ["Boundaries", "Identity"],
    };

    /// <summary>
    /// What a capability publishes to the capabilities allowed to use it (Boundaries and Identity publish everything).
    /// Hazards publishes the definition of an active flood, its events and zones (offices are exposed to them) and
    /// the port through which it asks for exposure to be recomputed.
    /// </summary>
    static readonly Dictionary<string, string[]> Published = new()
    {
        ["Hazards"] = ["ActiveFloods", "FloodEvent", "FloodEventCommune", "HazardZone", "HazardLayer", "HazardKind", "IExposureRefresh"],
    };

    static readonly string[] Ground = ["Kernel", "Boundaries", "Identity"];

    public static TheoryData<string> Capabilities() => [.. MayUse.Keys];

    [Theory]
    [MemberData(nameof(Capabilities))]
    public void A_capability_uses_only_what_the_rule_allows(string capability)
    {
        var forbidden = new List<string>
        {
            // The composition root is above every capability.
            $"{Root}.Data", $"{Root}.Infrastructure", "Program",
        };
        if (capability != "Kernel") forbidden.Remove($"{Root}.Data");   // capabilities reach their tables through the one context
        foreach (var other in MayUse.Keys.Where(k => k != capability && k != "Kernel"))
        {
            if (!MayUse[capability].Contains(other)) { forbidden.Add($"{Root}.{other}"); continue; }
            if (Ground.Contains(other) || !Published.TryGetValue(other, out var open)) continue;
            // Allowed to use the capability, but only what it publishes: everything else of it is forbidden.
            forbidden.AddRange(TypesOf(other).Where(t => !open.Contains(Outermost(t).Name)).Select(t => t.FullName!.Replace('+', '/')));
        }

        var result = Types.InAssembly(Api).That().ResideInNamespaceMatching($@"^{Root}\.{capability}(\..*)?$")
            .Should().NotHaveDependencyOnAny([.. forbidden.Distinct()]).GetResult();

        Assert.True(result.IsSuccessful, $"{capability} breaks the dependency rule:\n  " +
            string.Join("\n  ", (result.FailingTypes ?? []).Select(t => $"{t.FullName}: {t.Explanation}")));
    }

    [Fact]
    public void Every_type_of_the_api_lives_in_a_capability_or_the_composition_root()
    {
        string[] places = [.. MayUse.Keys.Select(k => $"{Root}.{k}"), $"{Root}.Data", $"{Root}.Infrastructure"];
        var strays = Api.GetTypes()
            .Where(t => t.Namespace is not null && t.Namespace.StartsWith(Root, StringComparison.Ordinal) && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)))
            .Where(t => !places.Any(p => t.Namespace == p || t.Namespace!.StartsWith(p + ".", StringComparison.Ordinal)))
            .Where(t => t.Namespace != Root || t.Name is not ("CommandLine"))
            .Select(t => t.FullName).ToList();
        Assert.True(strays.Count == 0, "types outside the folders of the rule: " + string.Join(", ", strays));
    }

    [Fact]
    public void The_rule_sees_dependencies_it_forbids()
    {
        // The check itself must be able to fail: MutualAid uses Kernel's Problems, so forbidding Kernel must flag it.
        var result = Types.InAssembly(Api).That().ResideInNamespaceMatching($@"^{Root}\.MutualAid(\..*)?$")
            .Should().NotHaveDependencyOnAny($"{Root}.Kernel").GetResult();
        Assert.False(result.IsSuccessful);
    }

    static IEnumerable<Type> TypesOf(string capability) => Api.GetTypes().Where(t =>
        t.Namespace == $"{Root}.{capability}" || (t.Namespace?.StartsWith($"{Root}.{capability}.", StringComparison.Ordinal) ?? false));

    static Type Outermost(Type t) { while (t.DeclaringType is not null) t = t.DeclaringType; return t; }
}
