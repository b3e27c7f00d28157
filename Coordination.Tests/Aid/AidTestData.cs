using Coordination.Api.MutualAid;

namespace Coordination.Tests.Aid;

/// <summary>Stock set and read straight in the database (what the aid tests arrange and check, not what they test).</summary>
public static class AidTestData
{
    public static async Task StockAsync(string cs, string commune, string type, int onHand)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO inventory (commune_code, resource_type, on_hand, reserved, updated_at, updated_by) VALUES (@c, @t, @n, 0, now(), 'test')
            ON CONFLICT (commune_code, resource_type) DO UPDATE SET on_hand = excluded.on_hand
            """, conn);
        cmd.Parameters.AddWithValue("c", commune); cmd.Parameters.AddWithValue("t", type); cmd.Parameters.AddWithValue("n", onHand);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<(int OnHand, int Reserved)> StockOfAsync(string cs, string commune, string type)
    {
        await using var db = PostgisFixture.NewContext(cs);
        var i = await db.Inventory.AsNoTracking().SingleAsync(x => x.CommuneCode == commune && x.ResourceType == type);
        return (i.OnHand, i.Reserved);
    }

    /// <summary>A request filed for the commune at its representative point, as the API answers it (201).</summary>
    public static async Task<RequestDto> FileAsync(Session s, string cs, string commune, string? description, params (string Type, int Quantity)[] lines)
    {
        var at = await Coordination.Tests.Hazards.HazardTestData.LabelPointAsync(cs, commune);
        return await s.SendAsync<RequestDto>(HttpMethod.Post, "/api/aid-requests", new
        {
            communeCode = commune, lon = at.Lon, lat = at.Lat, hamlet = "Bản Tiến Thành", hazard = "flood", urgency = "life_threatening",
            description, lines = lines.Select(l => new { resourceType = l.Type, quantity = l.Quantity }).ToArray(),
        }, HttpStatusCode.Created);
    }
}
