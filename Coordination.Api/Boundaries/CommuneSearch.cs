namespace Coordination.Api.Boundaries;

/// <summary>Finding communes by a folded name key: current names first, then pre-merger names, best match first.</summary>
public static class CommuneSearch
{
    public static async Task<List<CommuneSummary>> ByNameAsync(IQueryable<Commune> communes, string key, int limit, CancellationToken ct)
    {
        // Folded keys hold only letters, digits and single spaces, so they need no LIKE escaping.
        var pattern = $"%{key}%";
        var rows = await communes
            .Where(c => EF.Functions.Like(c.SearchKey, pattern) || c.FormerKeys.Any(k => EF.Functions.Like(k, pattern)))
            .Select(c => new { c.Code, c.Name, c.Kind, c.ProvinceCode, ProvinceName = c.Province!.Name, c.Population, c.SearchKey, c.FormerNames, c.FormerKeys })
            .ToListAsync(ct);

        var ranked = rows.Select(r =>
            {
                if (r.SearchKey.Contains(key))
                    return (rank: Rank(r.SearchKey, key), summary: new CommuneSummary(r.Code, r.Name, r.Kind, r.ProvinceCode, r.ProvinceName, r.Population, "name", null));
                var i = Array.FindIndex(r.FormerKeys, k => k.Contains(key));
                return (rank: 10 + Rank(StripUnitWord(r.FormerKeys[i]), key),
                        summary: new CommuneSummary(r.Code, r.Name, r.Kind, r.ProvinceCode, r.ProvinceName, r.Population, "formerName", r.FormerNames[i]));
            })
            .OrderBy(x => x.rank).ThenBy(x => SearchKey.Fold(x.summary.Name)).ThenBy(x => x.summary.ProvinceCode)
            .Take(limit).Select(x => x.summary).ToList();
        return ranked;
    }

    /// <summary>Exact name first, then prefix, then a word start, then anywhere.</summary>
    static int Rank(string candidate, string key) =>
        candidate == key ? 0 : candidate.StartsWith(key, StringComparison.Ordinal) ? 1 : candidate.Contains(" " + key, StringComparison.Ordinal) ? 2 : 3;

    /// <summary>Former names carry their kind ("xa chau tien"): rank them by the name itself.</summary>
    static string StripUnitWord(string key)
    {
        foreach (var prefix in new[] { "thi tran ", "xa ", "phuong ", "dac khu " })
            if (key.StartsWith(prefix, StringComparison.Ordinal)) return key[prefix.Length..];
        return key;
    }
}
