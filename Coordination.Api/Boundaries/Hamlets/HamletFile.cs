namespace Coordination.Api.Boundaries.Hamlets;

/// <summary>One hamlet row as read from a CSV file (the row number as a spreadsheet shows it: the header is row 1).</summary>
public sealed record HamletRow(int Row, string CommuneCode, string Name, string SearchKey, double Lon, double Lat, int? Households, int? Population, bool FloodProne);

/// <summary>A read file: its good rows, one problem per bad row (with rowProblems for the client's sentences), notes.</summary>
public sealed record HamletFileRead(List<HamletRow> Rows, List<FieldError> Problems, List<RowProblem> RowProblems, List<string> Notes);

/// <summary>
/// Hamlets from CSV: <c>commune_code,name,lon,lat,households,population,flood_prone</c> (commune_code may be left out
/// when the import names its commune). What Excel does to CSVs is repaired and noted: a BOM, Windows-1258 text,
/// ';' as separator with ',' decimals, leading zeros lost from codes.
/// </summary>
public static class HamletFile
{
    public const int MaxRows = 5000;
    public static readonly string[] Columns = ["commune_code", "name", "lon", "lat", "households", "population", "flood_prone"];

    /// <summary>Null header problem when the file can be read row by row; otherwise why not.</summary>
    public static (HamletFileRead? File, ValidationProblem? Refusal) Read(byte[] bytes, string? commune)
    {
        var (text, encodingNote) = Csv.Decode(bytes);
        var records = Csv.SplitRecords(text);
        var header = records.Count > 0 ? records[0].Select(h => h.Trim().ToLowerInvariant()).ToList() : [];
        string[] required = commune is null ? ["commune_code", "name", "lon", "lat"] : ["name", "lon", "lat"];
        if (required.Any(c => !header.Contains(c)))
            return (null, Problems.BadParameter("file", $"the header must name the columns {string.Join(", ", required)} (optional: {string.Join(", ", Columns.Except(required))}).",
                CommonProblems.FieldMalformed, new { Columns }));
        if (records.Count - 1 > MaxRows)
            return (null, Problems.BadParameter("file", $"at most {MaxRows:N0} rows per file.", CommonProblems.FieldOutOfRange, new { Max = MaxRows }));

        var decimalComma = Csv.Separator(text) == ';';
        var file = new HamletFileRead([], [], [], encodingNote is null ? [] : [encodingNote]);
        var seen = new Dictionary<(string, string), int>();
        var lostZero = 0;
        for (var n = 1; n < records.Count; n++)
        {
            var f = records[n];
            if (f.All(string.IsNullOrWhiteSpace)) continue;
            var row = n + 1;
            string? Get(string name) { var k = header.IndexOf(name); return k < 0 || k >= f.Count ? null : f[k].Trim(); }
            var bad = new List<(string Code, string Message, string Column, string? Value)>();

            var code = Get("commune_code");
            if (string.IsNullOrEmpty(code)) code = commune;
            else if (code.All(char.IsAsciiDigit) && code.Length is > 0 and < 5) { code = code.PadLeft(5, '0'); lostZero++; }
            if (code is null || !Problems.IsCommuneCode(code)) bad.Add((HamletProblems.RowCommuneUnknown, $"commune_code '{code}' is not a commune code", "commune_code", code));
            else if (commune is not null && code != commune) bad.Add((HamletProblems.RowCommuneUnknown, $"commune_code {code} is not the commune imported into ({commune})", "commune_code", code));

            var name = SearchKey.Nfc(Get("name")) ?? "";
            var key = SearchKey.Fold(name);
            if (key.Length == 0) bad.Add((HamletProblems.RowNameMissing, "no name", "name", null));
            else if (name.Length > HamletRules.MaxName) bad.Add((HamletProblems.RowNameTooLong, $"name is longer than {HamletRules.MaxName} characters", "name", null));

            var lon = Csv.Number(Get("lon"), decimalComma);
            var lat = Csv.Number(Get("lat"), decimalComma);
            if (!HamletRules.HasLocation(lon, lat))
                bad.Add((HamletProblems.RowPositionInvalid, $"lon/lat '{Get("lon")}', '{Get("lat")}' are not a WGS84 position in Vietnam", "lon", $"{Get("lon")}, {Get("lat")}"));

            int? Count(string column)
            {
                var v = Get(column);
                if (string.IsNullOrEmpty(v)) return null;
                if (int.TryParse(v.Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c <= HamletRules.MaxCount) return c;
                bad.Add((HamletProblems.RowCountInvalid, $"{column} '{v}' is not a whole number up to {HamletRules.MaxCount:N0}", column, v));
                return null;
            }
            var households = Count("households");
            var population = Count("population");
            if (!Csv.TryFlag(Get("flood_prone"), out var floodProne))
                bad.Add((HamletProblems.RowFlagInvalid, $"flood_prone '{Get("flood_prone")}' is not yes/no", "flood_prone", Get("flood_prone")));

            if (bad.Count == 0 && seen.TryGetValue((code!, key), out var earlier))
                bad.Add((HamletProblems.RowDuplicate, $"the same hamlet as row {earlier}", "name", earlier.ToString(CultureInfo.InvariantCulture)));
            if (bad.Count > 0)
            {
                file.Problems.Add(new FieldError("file", CommonProblems.FieldMalformed, $"row {row}: {string.Join("; ", bad.Select(b => b.Message))}"));
                file.RowProblems.AddRange(bad.Select(b => new RowProblem(row, b.Code, b.Column, SearchKey.Nfc(b.Value))));
                continue;
            }
            seen[(code!, key)] = row;
            file.Rows.Add(new HamletRow(row, code!, name, key, lon!.Value, lat!.Value, households, population, floodProne == true));
        }
        if (lostZero > 0) file.Notes.Add($"{lostZero} commune code(s) had lost their leading zero(s) (Excel) and were restored");
        if (file.Rows.Count == 0 && file.Problems.Count == 0) file.Problems.Add(new FieldError("file", CommonProblems.FieldRequired, "the file has a header but no rows"));
        return (file, null);
    }
}
