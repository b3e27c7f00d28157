using Coordination.Api.Boundaries.Import;

namespace Coordination.Api.Hazards.Import;

/// <summary>A hazard-zone polygon as read and validated from a file (geometry still GeoJSON text).</summary>
public sealed record ZoneFeature(int Index, string Hazard, string? Name, string? DepthClass, int? ReturnPeriodYears,
    string? Source, DateOnly? SourceDate, string GeometryJson)
{
    public string Label => $"feature #{Index}" + (Name is null ? "" : $" ('{Name}')");
}

/// <summary>An observed flood extent as read from a file.</summary>
public sealed record EventFeature(int Index, string Name, DateTime StartedAt, DateTime? EndedAt, string? Source, string? Note, string GeometryJson)
{
    public string Label => $"feature #{Index} ('{Name}')";
}

/// <summary>
/// Reads GeoJSON FeatureCollections of polygons — hazard zones or flood events — and validates every feature
/// in C# before anything touches the database, with the boundary importer's discipline: one bad feature
/// refuses the file, and every bad feature is named.
/// Zone properties: hazard (flood | flash_flood | landslide), name, depth_class, return_period_years, source, source_date (yyyy-MM-dd).
/// Event properties: name, started_at and ended_at (ISO 8601 with an offset; ended_at may be absent), source, note.
/// </summary>
public static class HazardFile
{
    public static IReadOnlyList<ZoneFeature> ParseZones(string fileName, byte[] json) =>
        Parse(fileName, json, (index, props, geometry, problems) =>
        {
            var name = Text(props, "name", 200, index, problems);
            var label = $"feature #{index}" + (name is null ? "" : $" ('{name}')");
            var hazard = SearchKey.Nfc(CommuneFile.Str(props, "hazard"))?.ToLowerInvariant();
            if (hazard is null || !HazardKind.All.Contains(hazard))
            {
                problems.Add(new(label, $"hazard '{hazard}' is not one of {string.Join(", ", HazardKind.All)}"));
                return null;
            }
            int? period = null;
            if (props.TryGetProperty("return_period_years", out var rp) && rp.ValueKind != JsonValueKind.Null)
            {
                if (rp.ValueKind != JsonValueKind.Number || !rp.TryGetInt32(out var years) || years is < 1 or > 10000)
                {
                    problems.Add(new(label, $"return_period_years {rp.GetRawText()} must be a whole number of years (1–10000)"));
                    return null;
                }
                period = years;
            }
            DateOnly? date = null;
            var dateText = CommuneFile.Str(props, "source_date");
            if (dateText is not null)
            {
                if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    problems.Add(new(label, $"source_date '{dateText}' must be a date as yyyy-MM-dd"));
                    return null;
                }
                date = d;
            }
            return new ZoneFeature(index, hazard, name, Text(props, "depth_class", 50, index, problems), period,
                Text(props, "source", 300, index, problems), date, geometry);
        });

    public static IReadOnlyList<EventFeature> ParseEvents(string fileName, byte[] json) =>
        Parse(fileName, json, (index, props, geometry, problems) =>
        {
            var name = Text(props, "name", 200, index, problems);
            var label = $"feature #{index}" + (name is null ? "" : $" ('{name}')");
            if (string.IsNullOrEmpty(name)) { problems.Add(new(label, "missing name")); return null; }
            var started = Time(props, "started_at", label, problems, required: true);
            var ended = Time(props, "ended_at", label, problems, required: false);
            if (started is null) return null;
            if (ended is not null && ended < started)
            {
                problems.Add(new(label, "ended_at is before started_at"));
                return null;
            }
            return new EventFeature(index, name, started.Value, ended, Text(props, "source", 300, index, problems),
                Text(props, "note", 1000, index, problems), geometry);
        });

    /// <summary>"2025-07-23T06:00:00+07:00" → UTC. A time without an offset is ambiguous and refused.</summary>
    public static bool TryParseTime(string text, out DateTime utc)
    {
        utc = default;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return false;
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d\d:?\d\d$");
        if (!hasOffset) return false;
        utc = t.UtcDateTime;
        return true;
    }

    static DateTime? Time(JsonElement props, string name, string label, List<ImportProblem> problems, bool required)
    {
        var text = CommuneFile.Str(props, name);
        if (text is null)
        {
            if (required) problems.Add(new(label, $"missing {name}"));
            return null;
        }
        if (!TryParseTime(text, out var utc))
        {
            problems.Add(new(label, $"{name} '{text}' must be an ISO 8601 time with an offset, e.g. 2025-07-23T06:00:00+07:00"));
            return null;
        }
        return utc;
    }

    static string? Text(JsonElement props, string name, int max, int index, List<ImportProblem> problems)
    {
        var s = SearchKey.Nfc(CommuneFile.Str(props, name))?.Trim();
        if (string.IsNullOrEmpty(s)) return null;
        if (s.Length > max)
        {
            problems.Add(new($"feature #{index}", $"{name} is longer than {max} characters"));
            return null;
        }
        return s;
    }

    delegate T? FeatureReader<T>(int index, JsonElement props, string geometryJson, List<ImportProblem> problems) where T : class;

    static List<T> Parse<T>(string fileName, byte[] json, FeatureReader<T> read) where T : class
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new GeoImportRejected(fileName, [new("", $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message}")]);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || CommuneFile.Str(root, "type") != "FeatureCollection"
                || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
                throw new GeoImportRejected(fileName, [new("", "not a GeoJSON FeatureCollection (expected {\"type\":\"FeatureCollection\",\"features\":[…]})")]);
            if (root.TryGetProperty("crs", out var crs) && !CommuneFile.IsWgs84(crs))
                throw new GeoImportRejected(fileName, [new("", $"wrong CRS: the file declares {crs.GetRawText()}; expected WGS84 longitude/latitude (EPSG:4326)")]);

            var problems = new List<ImportProblem>();
            var result = new List<T>();
            var index = 0;
            foreach (var f in features.EnumerateArray())
            {
                index++;
                var label = $"feature #{index}";
                if (f.ValueKind != JsonValueKind.Object || CommuneFile.Str(f, "type") != "Feature")
                {
                    problems.Add(new(label, "not a GeoJSON Feature"));
                    continue;
                }
                var props = f.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : EmptyObject;
                if (!f.TryGetProperty("geometry", out var g) || g.ValueKind != JsonValueKind.Object)
                {
                    problems.Add(new(label, "has no geometry"));
                    continue;
                }
                var type = CommuneFile.Str(g, "type");
                if (type is not ("Polygon" or "MultiPolygon"))
                {
                    problems.Add(new(label, $"geometry is {type ?? "of no type"}; expected Polygon or MultiPolygon"));
                    continue;
                }
                var coordProblem = g.TryGetProperty("coordinates", out var coords) ? CommuneFile.CheckCoordinates(type, coords) : "geometry has no coordinates";
                if (coordProblem is not null)
                {
                    problems.Add(new(label, coordProblem));
                    continue;
                }
                var item = read(index, props, g.GetRawText(), problems);
                if (item is not null) result.Add(item);
            }
            if (index == 0) problems.Add(new("", "the FeatureCollection has no features"));
            if (problems.Count > 0) throw new GeoImportRejected(fileName, problems);
            return result;
        }
    }

    static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}
