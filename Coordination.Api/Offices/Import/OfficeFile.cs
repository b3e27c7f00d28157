using Coordination.Api.Boundaries.Import;

namespace Coordination.Api.Offices.Import;

/// <summary>One office row as read and checked from a GeoJSON or CSV file.</summary>
public sealed record OfficeRow(int Row, string CommuneCode, string Kind, string Name, string? Address, string? Phone,
    double Lon, double Lat, string? Ref, bool IsShelter, int? ShelterCapacity, List<string> Notes)
{
    public string Label => $"row {Row} ('{Name}')";
}

/// <summary>
/// Offices from GeoJSON (Point features) or CSV (header: commune_code,kind,name,address,phone,lon,lat,ref,is_shelter,shelter_capacity).
/// Structural problems refuse the file and are named by row; what Excel does to CSVs is repaired and noted:
/// a BOM, Windows-1258 text, ';' as separator with ',' decimals, and leading zeros lost from codes.
/// </summary>
public static class OfficeFile
{
    static readonly string[] Required = ["commune_code", "kind", "name", "lon", "lat"];
    public static readonly string[] Columns = ["commune_code", "kind", "name", "address", "phone", "lon", "lat", "ref", "is_shelter", "shelter_capacity"];

    public static bool LooksLikeGeoJson(byte[] bytes)
    {
        foreach (var b in bytes) if (!char.IsWhiteSpace((char)b) && b != 0xEF && b != 0xBB && b != 0xBF) return b == '{';
        return false;
    }

    public static IReadOnlyList<OfficeRow> Parse(string fileName, byte[] bytes) =>
        LooksLikeGeoJson(bytes) ? ParseGeoJson(fileName, bytes) : ParseCsv(fileName, bytes);

    static List<OfficeRow> ParseGeoJson(string fileName, byte[] bytes)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes); }
        catch (JsonException e) { throw new GeoImportRejected(fileName, [new("", $"not valid JSON (line {e.LineNumber + 1}): {e.Message}")]); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || CommuneFile.Str(root, "type") != "FeatureCollection"
                || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
                throw new GeoImportRejected(fileName, [new("", "not a GeoJSON FeatureCollection")]);
            if (root.TryGetProperty("crs", out var crs) && !CommuneFile.IsWgs84(crs))
                throw new GeoImportRejected(fileName, [new("", $"wrong CRS {crs.GetRawText()}; expected WGS84 (EPSG:4326)")]);
            var rows = new List<OfficeRow>();
            var problems = new List<ImportProblem>();
            var i = 0;
            foreach (var f in features.EnumerateArray())
            {
                i++;
                if (f.ValueKind != JsonValueKind.Object || !f.TryGetProperty("geometry", out var g) || g.ValueKind != JsonValueKind.Object
                    || CommuneFile.Str(g, "type") != "Point" || !g.TryGetProperty("coordinates", out var c) || c.ValueKind != JsonValueKind.Array
                    || c.GetArrayLength() < 2 || c[0].ValueKind != JsonValueKind.Number || c[1].ValueKind != JsonValueKind.Number)
                {
                    problems.Add(new($"feature #{i}", "expected a Feature with a Point geometry [longitude, latitude]"));
                    continue;
                }
                var props = f.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
                string? Get(string name) => props.ValueKind != JsonValueKind.Object || !props.TryGetProperty(name, out var v) ? null
                    : v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(), _ => null };
                var row = Check(i, $"feature #{i}", Get, c[0].GetDouble().ToString(CultureInfo.InvariantCulture), c[1].GetDouble().ToString(CultureInfo.InvariantCulture), decimalComma: false, problems);
                if (row is not null) rows.Add(row);
            }
            if (i == 0) problems.Add(new("", "the FeatureCollection has no features"));
            return Finish(fileName, rows, problems);
        }
    }

    static List<OfficeRow> ParseCsv(string fileName, byte[] bytes)
    {
        var (text, encodingNote) = Csv.Decode(bytes);
        var lines = Csv.SplitRecords(text);
        if (lines.Count == 0 || lines[0].Count == 0) throw new GeoImportRejected(fileName, [new("", "the file is empty")]);
        var headerLine = lines[0];
        var header = headerLine.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var missing = Required.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
            throw new GeoImportRejected(fileName, [new("header", $"missing column(s) {string.Join(", ", missing)}; expected {string.Join(",", Columns)}")]);
        var semicolon = Csv.Separator(text) == ';';
        var rows = new List<OfficeRow>();
        var problems = new List<ImportProblem>();
        for (var n = 1; n < lines.Count; n++)
        {
            var fields = lines[n];
            if (fields.All(string.IsNullOrWhiteSpace)) continue;
            string? Get(string name)
            {
                var k = header.IndexOf(name);
                return k < 0 || k >= fields.Count ? null : fields[k];
            }
            var row = Check(n + 1, $"row {n + 1}", Get, Get("lon"), Get("lat"), decimalComma: semicolon, problems);
            if (row is not null)
            {
                if (encodingNote is not null) row.Notes.Add(encodingNote);
                rows.Add(row);
            }
        }
        if (rows.Count == 0 && problems.Count == 0) problems.Add(new("", "the file has a header but no rows"));
        return Finish(fileName, rows, problems);
    }

    static List<OfficeRow> Finish(string fileName, List<OfficeRow> rows, List<ImportProblem> problems)
    {
        foreach (var dup in rows.Where(r => r.Ref is not null).GroupBy(r => (r.CommuneCode, r.Ref)).Where(g => g.Count() > 1))
            problems.Add(new(dup.Skip(1).First().Label, $"ref '{dup.Key.Ref}' appears twice for commune {dup.Key.CommuneCode} (also {dup.First().Label})"));
        if (problems.Count > 0) throw new GeoImportRejected(fileName, problems);
        return rows;
    }

    static OfficeRow? Check(int rowNumber, string label, Func<string, string?> get, string? lonText, string? latText, bool decimalComma, List<ImportProblem> problems)
    {
        var notes = new List<string>();
        var name = SearchKey.Nfc(get("name"))?.Trim();
        if (!string.IsNullOrEmpty(name)) label += $" ('{name}')";
        var bad = new List<string>();
        if (string.IsNullOrEmpty(name)) bad.Add("missing name");
        else if (name.Length > 200) bad.Add("name is longer than 200 characters");
        var code = get("commune_code")?.Trim();
        if (string.IsNullOrEmpty(code) || !code.All(char.IsAsciiDigit) || code.Length > 6) bad.Add($"commune_code '{code}' must be an official commune code (digits)");
        else if (code.Length < 5) { notes.Add($"commune_code {code} had lost its leading zero(s)"); code = code.PadLeft(5, '0'); }
        var kind = SearchKey.Nfc(get("kind"))?.Trim().ToLowerInvariant();
        if (kind is null || !OfficeKind.All.Contains(kind)) bad.Add($"kind '{kind}' is not one of {string.Join(", ", OfficeKind.All)}");
        var lon = Csv.Number(lonText, decimalComma);
        var lat = Csv.Number(latText, decimalComma);
        if (lon is null || lat is null) bad.Add($"lon/lat '{lonText}', '{latText}' are not numbers");
        else if (lon is < 102 or > 118 || lat is < 6 or > 24)
            bad.Add($"position [{lon}, {lat}] is not in Vietnam as longitude/latitude: wrong CRS or swapped columns? expected WGS84 (EPSG:4326)");
        var address = SearchKey.Nfc(get("address"))?.Trim();
        if (address?.Length > 300) bad.Add("address is longer than 300 characters");
        var phone = SearchKey.Nfc(get("phone"))?.Trim();
        if (phone is { Length: > 0 } && (phone.Length > 20 || !phone.All(ch => char.IsAsciiDigit(ch) || ch is '+' or ' ' or '.' or '-')))
            bad.Add($"phone '{phone}' may hold digits, spaces, '+', '.', '-' (at most 20 characters)");
        var reference = get("ref")?.Trim();
        if (reference?.Length > 60) bad.Add("ref is longer than 60 characters");
        var shelterText = get("is_shelter")?.Trim().ToLowerInvariant();
        bool shelter = false;
        if (!string.IsNullOrEmpty(shelterText))
        {
            if (shelterText is "true" or "1" or "yes" or "có" or "x") shelter = true;
            else if (shelterText is not ("false" or "0" or "no" or "không")) bad.Add($"is_shelter '{shelterText}' must be true/false");
        }
        int? capacity = null;
        var capText = get("shelter_capacity")?.Trim();
        if (!string.IsNullOrEmpty(capText))
        {
            if (!int.TryParse(capText, NumberStyles.None, CultureInfo.InvariantCulture, out var cap)) bad.Add($"shelter_capacity '{capText}' must be a whole number of persons");
            else capacity = cap;
        }
        if (capacity is not null && !shelter) bad.Add("shelter_capacity given but is_shelter is not true");
        if (bad.Count > 0)
        {
            problems.Add(new(label, string.Join("; ", bad)));
            return null;
        }
        return new OfficeRow(rowNumber, code!, kind!, name!, string.IsNullOrEmpty(address) ? null : address,
            string.IsNullOrEmpty(phone) ? null : phone, lon!.Value, lat!.Value, string.IsNullOrEmpty(reference) ? null : reference,
            shelter, capacity, notes);
    }
}
