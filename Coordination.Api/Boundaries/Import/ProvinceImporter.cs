namespace Coordination.Api.Boundaries.Import;

/// <summary>Loads the 34 provinces: attributes from provinces-2025.json, display shapes from provinces-2025.geojson.</summary>
public sealed class ProvinceImporter(CoordinationDb db, ILogger<ProvinceImporter> log)
{
    public async Task<int> ImportAsync(string attributesPath, string? shapesPath, CancellationToken ct = default)
    {
        using var attrs = JsonDocument.Parse(CommuneFile.ReadBytes(attributesPath));
        using JsonDocument? shapes = shapesPath is not null && File.Exists(shapesPath) ? JsonDocument.Parse(CommuneFile.ReadBytes(shapesPath)) : null;
        var shapeByCode = shapes?.RootElement.GetProperty("features").EnumerateArray()
            .ToDictionary(f => f.GetProperty("properties").GetProperty("code").GetString()!) ?? [];

        var n = await db.InRawTransactionAsync(async conn =>
        {
            var n = 0;
            foreach (var p in attrs.RootElement.EnumerateArray())
            {
                var code = p.GetProperty("code").GetString()!;
                shapeByCode.TryGetValue(code, out var shape);
                await using var cmd = new NpgsqlCommand("""
                    INSERT INTO provinces AS p (code, name, name_en, population, area_km2, merged_from, geom)
                    VALUES (@code, @name, @name_en, @population, @area, @merged,
                            ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(@geom), 4326)), 3)))
                    ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
                        population = excluded.population, area_km2 = excluded.area_km2,
                        merged_from = excluded.merged_from, geom = coalesce(excluded.geom, p.geom)
                    WHERE (p.name, p.name_en, p.population, p.area_km2, p.merged_from)
                          IS DISTINCT FROM (excluded.name, excluded.name_en, excluded.population, excluded.area_km2, excluded.merged_from)
                       OR p.geom IS NULL AND excluded.geom IS NOT NULL
                    """, conn);
                cmd.Parameters.AddWithValue("code", code);
                cmd.Parameters.AddWithValue("name", SearchKey.Nfc(p.GetProperty("name").GetString())!);
                cmd.Parameters.AddWithValue("name_en", (object?)Prop(shape, "name_en") ?? DBNull.Value);
                cmd.Parameters.AddWithValue("population", p.TryGetProperty("population", out var pop) && pop.ValueKind == JsonValueKind.Number ? pop.GetInt64() : DBNull.Value);
                cmd.Parameters.AddWithValue("area", p.TryGetProperty("area_km2", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : DBNull.Value);
                cmd.Parameters.AddWithValue("merged", (object?)SearchKey.Nfc(p.TryGetProperty("merged_from", out var m) ? m.GetString() : null) ?? DBNull.Value);
                cmd.Parameters.Add(new NpgsqlParameter("geom", NpgsqlTypes.NpgsqlDbType.Text)
                    { Value = shape.ValueKind == JsonValueKind.Object ? shape.GetProperty("geometry").GetRawText() : DBNull.Value });
                n += await cmd.ExecuteNonQueryAsync(ct);
            }
            return n;
        }, ct);
        if (n > 0) log.LogInformation("Provinces: {Count} inserted or updated", n);
        return n;
    }

    static string? Prop(JsonElement feature, string name) =>
        feature.ValueKind == JsonValueKind.Object && feature.GetProperty("properties").TryGetProperty(name, out var v) ? v.GetString() : null;
}
