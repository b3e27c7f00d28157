using System.Text.Json.Nodes;

namespace Coordination.Tests.Infrastructure;

/// <summary>Builds small GeoJSON files from real Nghệ An features, mutated to exercise the importer.</summary>
public static class GeoJsonFiles
{
    static readonly Lazy<JsonObject> NgheAn = new(() =>
        JsonNode.Parse(File.ReadAllText(PostgisFixture.GeoFile("nghe-an-communes-2025.geojson")))!.AsObject());

    static readonly Lazy<JsonObject> Nationwide = new(() => JsonNode.Parse(
        Coordination.Api.Boundaries.Import.CommuneFile.ReadBytes(PostgisFixture.GeoFile("communes-2025.geojson.gz")))!.AsObject());

    /// <summary>A real feature of any province, from the nationwide file.</summary>
    public static JsonObject NationwideFeature(string code) =>
        Nationwide.Value["features"]!.AsArray().First(f => (string)f!["properties"]!["code"]! == code)!.DeepClone().AsObject();

    /// <summary>Real features by code (deep copies, free to mutate).</summary>
    public static JsonObject Feature(string code) =>
        NgheAn.Value["features"]!.AsArray().First(f => (string)f!["properties"]!["code"]! == code)!.DeepClone().AsObject();

    public static JsonObject Collection(params JsonObject[] features) =>
        new() { ["type"] = "FeatureCollection", ["features"] = new JsonArray(features.Cast<JsonNode?>().ToArray()) };

    public static string Write(JsonNode content) => WriteText(content.ToJsonString());

    public static string WriteText(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"coordination-test-{Guid.NewGuid():N}.geojson");
        File.WriteAllText(path, text);
        return path;
    }
}
