namespace Coordination.Api.Boundaries.Import;

/// <summary>
/// Loads defense-area groupings from JSON: <c>{"sample": bool, "_note": "…", "areas": [{"name", "province_code", "communes": ["17248", …]}]}</c>.
/// Every area is checked first (name, known province, communes that exist in that province, no commune in two
/// areas); any problem rejects the whole file and writes nothing.
/// </summary>
public sealed class DefenseAreaImporter(CoordinationDb db, ILogger<DefenseAreaImporter> log)
{
    sealed record AreaRow(string Name, string ProvinceCode, List<string> Communes);

    /// <param name="replace">
    /// true: each province named in the file gets exactly the file's areas (the command line's edit path);
    /// false: only provinces that have no areas yet and whose communes are loaded (start-up seeding).
    /// </param>
    public async Task<int> ImportAsync(string path, bool replace, CancellationToken ct = default)
    {
        var fileName = Path.GetFileName(path);
        if (!File.Exists(path)) throw new GeoImportRejected(fileName, [new("", $"file not found: {path}")]);
        var (areas, sample, note) = Parse(fileName, await File.ReadAllBytesAsync(path, ct));

        var provinces = areas.Select(a => a.ProvinceCode).Distinct().ToList();
        var communeProvince = await db.Communes.Where(c => provinces.Contains(c.ProvinceCode))
            .ToDictionaryAsync(c => c.Code, c => c.ProvinceCode, ct);
        var withAreas = await db.DefenseAreas.Select(d => d.ProvinceCode).Distinct().ToListAsync(ct);
        if (!replace)
            areas = areas.Where(a => !withAreas.Contains(a.ProvinceCode) && communeProvince.ContainsValue(a.ProvinceCode)).ToList();
        if (areas.Count == 0) return 0;

        var problems = new List<ImportProblem>();
        var knownProvinces = await db.Provinces.Select(p => p.Code).ToListAsync(ct);
        var seen = new Dictionary<string, string>();
        foreach (var a in areas)
        {
            if (!knownProvinces.Contains(a.ProvinceCode)) problems.Add(new($"area '{a.Name}'", $"unknown province {a.ProvinceCode}"));
            foreach (var code in a.Communes)
            {
                if (!communeProvince.TryGetValue(code, out var p) || p != a.ProvinceCode)
                    problems.Add(new($"area '{a.Name}'", $"commune {code} is not a loaded commune of province {a.ProvinceCode}"));
                else if (!seen.TryAdd(code, a.Name))
                    problems.Add(new($"area '{a.Name}'", $"commune {code} is also in area '{seen[code]}'"));
            }
        }
        if (problems.Count > 0) throw new GeoImportRejected(fileName, problems);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var touched = areas.Select(a => a.ProvinceCode).Distinct().ToList();
        await db.DefenseAreas.Where(d => touched.Contains(d.ProvinceCode)).ExecuteDeleteAsync(ct);
        db.DefenseAreas.AddRange(areas.Select(a => new DefenseArea
        {
            Name = a.Name, ProvinceCode = a.ProvinceCode, IsSample = sample, Note = note,
            Communes = a.Communes.Select(c => new DefenseAreaCommune { CommuneCode = c }).ToList(),
        }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        log.LogInformation("Defense areas: {Count} {Kind}areas loaded for province(s) {Provinces} from {File}",
            areas.Count, sample ? "SAMPLE " : "", string.Join(", ", touched), fileName);
        return areas.Count;
    }

    static (List<AreaRow> areas, bool sample, string? note) Parse(string fileName, byte[] json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var sample = root.TryGetProperty("sample", out var s) && s.ValueKind == JsonValueKind.True;
            var note = root.TryGetProperty("_note", out var n) ? SearchKey.Nfc(n.GetString()) : null;
            var problems = new List<ImportProblem>();
            var areas = new List<AreaRow>();
            var i = 0;
            foreach (var a in root.GetProperty("areas").EnumerateArray())
            {
                i++;
                var name = SearchKey.Nfc(a.TryGetProperty("name", out var nm) ? nm.GetString() : null);
                var province = a.TryGetProperty("province_code", out var pc) ? pc.GetString() : null;
                var communes = a.TryGetProperty("communes", out var cs) && cs.ValueKind == JsonValueKind.Array
                    ? cs.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.String ? c.GetString()! : c.GetRawText()).ToList() : [];
                if (string.IsNullOrEmpty(name)) problems.Add(new($"area #{i}", "missing name"));
                else if (province is null) problems.Add(new($"area '{name}'", "missing province_code"));
                else if (communes.Count == 0) problems.Add(new($"area '{name}'", "has no communes"));
                else areas.Add(new AreaRow(name, province, communes));
            }
            if (problems.Count > 0) throw new GeoImportRejected(fileName, problems);
            return (areas, sample, note);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new GeoImportRejected(fileName, [new("", $"not a defense-area file ({{\"areas\": [{{\"name\", \"province_code\", \"communes\"}}]}}): {e.Message}")]);
        }
    }
}
