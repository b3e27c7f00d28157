using System.IO.Compression;
using System.Security.Cryptography;

namespace Coordination.Api.Boundaries.Import;

/// <summary>One commune feature as read and validated from a file (geometry still GeoJSON text).</summary>
public sealed record CommuneFeature(
    int Index, string Code, string Name, string? NameEn, string Kind, string ProvinceCode, string? ProvinceName,
    int? Population, bool PopulationUncertain, double? AreaKm2, string? MergedFrom, string[] FormerNames,
    string? AdminCenter, string GeometryJson, string SourceHash)
{
    public string Label => $"feature #{Index} (code {Code}, '{Name}')";
}

/// <summary>
/// Reads a GeoJSON FeatureCollection of communes (optionally .gz) and validates every feature in C#
/// before anything touches the database: a rejected file must write nothing.
/// </summary>
public static class CommuneFile
{
    public static byte[] ReadBytes(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            return ms.ToArray();
        }
        return bytes;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    public static IReadOnlyList<CommuneFeature> Parse(string fileName, byte[] json)
    {
        var problems = new List<ImportProblem>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new GeoImportRejected(fileName, [new("", $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message}")]);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Str(root, "type") != "FeatureCollection"
                || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
                throw new GeoImportRejected(fileName, [new("", "not a GeoJSON FeatureCollection (expected {\"type\":\"FeatureCollection\",\"features\":[…]})")]);

            if (root.TryGetProperty("crs", out var crs) && !IsWgs84(crs))
                throw new GeoImportRejected(fileName, [new("", $"wrong CRS: the file declares {crs.GetRawText()}; expected WGS84 longitude/latitude (EPSG:4326, as RFC 7946 requires)")]);

            var result = new List<CommuneFeature>(features.GetArrayLength());
            var seen = new Dictionary<string, int>();
            var index = 0;
            foreach (var f in features.EnumerateArray())
            {
                index++;
                var feature = ParseFeature(index, f, problems);
                if (feature is null) continue;
                if (seen.TryGetValue(feature.Code, out var first))
                    problems.Add(new(feature.Label, $"duplicate code {feature.Code} (also feature #{first})"));
                else seen[feature.Code] = index;
                result.Add(feature);
            }
            if (index == 0) problems.Add(new("", "the FeatureCollection has no features"));
            if (problems.Count > 0) throw new GeoImportRejected(fileName, problems);
            return result;
        }
    }

    static CommuneFeature? ParseFeature(int index, JsonElement f, List<ImportProblem> problems)
    {
        var label = $"feature #{index}";
        if (f.ValueKind != JsonValueKind.Object || Str(f, "type") != "Feature")
        {
            problems.Add(new(label, "not a GeoJSON Feature"));
            return null;
        }
        var props = f.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        string? code = null, name = null;
        if (props.ValueKind == JsonValueKind.Object)
        {
            if (props.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number)
            {
                problems.Add(new(label, $"code {c.GetRawText()} is a number; codes are strings as published (a number loses leading zeros)"));
                return null;
            }
            code = SearchKey.Nfc(Str(props, "code"));
            name = SearchKey.Nfc(Str(props, "name"));
        }
        if (string.IsNullOrEmpty(code)) { problems.Add(new(label + (name is null ? "" : $" ('{name}')"), "missing code")); return null; }
        label = $"feature #{index} (code {code}{(string.IsNullOrEmpty(name) ? "" : $", '{name}'")})";
        if (string.IsNullOrEmpty(name)) { problems.Add(new(label, "missing name")); return null; }
        if (!code.All(char.IsAsciiDigit) || code.Length is < 4 or > 6)
        {
            problems.Add(new(label, "code must be 4–6 digits as published"));
            return null;
        }

        var kind = SearchKey.Nfc(Str(props, "kind"))?.ToLowerInvariant();
        if (kind is null || !CommuneKind.All.Contains(kind))
        {
            problems.Add(new(label, $"kind '{kind}' is not one of {string.Join(", ", CommuneKind.All)}"));
            return null;
        }
        var province = SearchKey.Nfc(Str(props, "province_code"));
        if (province is null || province.Length != 2 || !province.All(char.IsAsciiDigit))
        {
            problems.Add(new(label, $"province_code '{province}' must be 2 digits"));
            return null;
        }

        if (!f.TryGetProperty("geometry", out var g) || g.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(label, "has no geometry"));
            return null;
        }
        var type = Str(g, "type");
        if (type is not ("Polygon" or "MultiPolygon"))
        {
            problems.Add(new(label, $"geometry is {type ?? "of no type"}; expected Polygon or MultiPolygon"));
            return null;
        }
        if (g.TryGetProperty("crs", out var gcrs) && !IsWgs84(gcrs))
        {
            problems.Add(new(label, $"wrong CRS {gcrs.GetRawText()}; expected WGS84 (EPSG:4326)"));
            return null;
        }
        var coordProblem = g.TryGetProperty("coordinates", out var coords) ? CheckCoordinates(type, coords) : "geometry has no coordinates";
        if (coordProblem is not null)
        {
            problems.Add(new(label, coordProblem));
            return null;
        }

        var merged = SearchKey.Nfc(Str(props, "merged_from"));
        return new CommuneFeature(index, code, name, SearchKey.Nfc(Str(props, "name_en")), kind, province,
            SearchKey.Nfc(Str(props, "province_name")), Int(props, "population"),
            props.TryGetProperty("population_uncertain", out var pu) && pu.ValueKind == JsonValueKind.True,
            Dbl(props, "area_km2"), merged, FormerNames(merged), SearchKey.Nfc(Str(props, "admin_center")),
#pragma warning disable CA5351 // a change detector for re-imports (did this feature's content change?), not a security hash
            g.GetRawText(), Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(f.GetRawText()))).ToLowerInvariant());
#pragma warning restore CA5351
    }

    /// <summary>Rings must be closed with ≥ 4 positions of finite longitude/latitude.</summary>
    internal static string? CheckCoordinates(string type, JsonElement coords)
    {
        if (coords.ValueKind != JsonValueKind.Array || coords.GetArrayLength() == 0) return "coordinates are empty";
        var polygons = type == "Polygon" ? [coords] : coords.EnumerateArray().ToArray();
        foreach (var polygon in polygons)
        {
            if (polygon.ValueKind != JsonValueKind.Array || polygon.GetArrayLength() == 0) return "a polygon has no rings";
            foreach (var ring in polygon.EnumerateArray())
            {
                if (ring.ValueKind != JsonValueKind.Array || ring.GetArrayLength() < 4) return "a ring has fewer than 4 positions";
                JsonElement firstPos = default, lastPos = default;
                var i = 0;
                foreach (var pos in ring.EnumerateArray())
                {
                    if (pos.ValueKind != JsonValueKind.Array || pos.GetArrayLength() < 2
                        || pos[0].ValueKind != JsonValueKind.Number || pos[1].ValueKind != JsonValueKind.Number)
                        return "a position is not [longitude, latitude]";
                    var (x, y) = (pos[0].GetDouble(), pos[1].GetDouble());
                    if (x is < -180 or > 180 || y is < -90 or > 90)
                        return $"position [{x}, {y}] is not longitude/latitude: wrong CRS (projected coordinates?); expected WGS84 (EPSG:4326)";
                    if (i++ == 0) firstPos = pos;
                    lastPos = pos;
                }
                if (firstPos[0].GetDouble() != lastPos[0].GetDouble() || firstPos[1].GetDouble() != lastPos[1].GetDouble())
                    return "a ring is not closed (first position ≠ last)";
            }
        }
        return null;
    }

    internal static bool IsWgs84(JsonElement crs)
    {
        var name = crs.ValueKind == JsonValueKind.Object && crs.TryGetProperty("properties", out var p) ? Str(p, "name") : null;
        return name is not null && (name.EndsWith("CRS84", StringComparison.OrdinalIgnoreCase)
                                    || name.EndsWith("EPSG::4326", StringComparison.OrdinalIgnoreCase)
                                    || name.Equals("EPSG:4326", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>"Xã A, Xã B (phần còn lại …), Phường C" → ["Xã A", "Xã B", "Phường C"]: the names people still use.</summary>
    public static string[] FormerNames(string? mergedFrom)
    {
        if (string.IsNullOrWhiteSpace(mergedFrom)) return [];
        var parts = new List<string>();
        var depth = 0;
        var sb = new StringBuilder();
        foreach (var ch in mergedFrom)
        {
            if (ch == '(') depth++;
            else if (ch == ')') depth = Math.Max(0, depth - 1);
            else if (depth == 0 && ch is ',' or ';') { Flush(); continue; }
            if (depth == 0 && ch != ')') sb.Append(ch);
        }
        Flush();
        return parts.Distinct().ToArray();

        void Flush()
        {
            var s = sb.ToString().Trim().TrimEnd('.');
            if (s.Length > 0) parts.Add(s);
            sb.Clear();
        }
    }

    internal static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
    static double? Dbl(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
