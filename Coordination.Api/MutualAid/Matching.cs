using Coordination.Api.Hazards;

namespace Coordination.Api.MutualAid;

public sealed record Suggestion(int Tier, string TierName, string DonorCode, string DonorName, string ProvinceCode, int Available, int SuggestedQuantity,
    double? SharedBorderM, string? Via, int? AgreementId, int? AgreementMax, double DistanceM, bool Affected, string? AffectedReason,
    string ReasonVi, string ReasonEn);

public sealed record LineMatch(int LineId, string ResourceType, int Quantity, int Covered, int Outstanding,
    IReadOnlyList<Suggestion> Suggestions, IReadOnlyList<Suggestion> Excluded);

/// <summary>
/// Donors for a request line in "4 tại chỗ" order — 1 own stock, 2 ring-1 neighbours, 3 ring-2 neighbours,
/// 4 the rest of the defense area, 5 the rest of the province — found in one SQL statement over the adjacency
/// table, the inventory's primary key and the communes' representative points. Within a tier: an active
/// agreement covering the type first, then distance to the request, then available quantity, then code
/// (deterministic). Donors that are themselves affected (an open request of their own, or inside an active flood
/// event) are set apart unless a commander overrides. Suggested quantities fill the outstanding need in order.
/// </summary>
public static class Matching
{
    public static readonly string[] TierNames = ["", "own", "ring1", "ring2", "defense_area", "province"];
    static readonly System.Globalization.CultureInfo Vi = System.Globalization.CultureInfo.GetCultureInfo("vi-VN"), En = System.Globalization.CultureInfo.InvariantCulture;
    static string Km(double metres, IFormatProvider culture) => (metres / 1000).ToString("0.0", culture);

    static readonly string Sql = $"""
        WITH req AS (
            SELECT r.id, r.commune_code AS code, r.location, c.province_code,
                   (SELECT defense_area_id FROM defense_area_communes WHERE commune_code = r.commune_code) AS area
            FROM aid_requests r JOIN communes c ON c.code = r.commune_code WHERE r.id = @request),
        ring1 AS (
            SELECT CASE WHEN a.code_a = req.code THEN a.code_b ELSE a.code_a END AS code, a.shared_m
            FROM adjacency a, req WHERE a.contact = 'neighbour' AND (a.code_a = req.code OR a.code_b = req.code)),
        ring2 AS (
            SELECT DISTINCT ON (x.code) x.code, x.via FROM (
                SELECT CASE WHEN a.code_a = r1.code THEN a.code_b ELSE a.code_a END AS code, r1.code AS via, a.shared_m
                FROM ring1 r1 JOIN adjacency a ON a.contact = 'neighbour' AND (a.code_a = r1.code OR a.code_b = r1.code)) x
            WHERE x.code NOT IN (SELECT code FROM ring1) AND x.code <> (SELECT code FROM req)
            ORDER BY x.code, x.shared_m DESC),
        cand AS (
            SELECT code, min(tier) AS tier FROM (
                SELECT code, 1 AS tier FROM req
                UNION ALL SELECT code, 2 FROM ring1
                UNION ALL SELECT code, 3 FROM ring2
                UNION ALL SELECT m.commune_code, 4 FROM defense_area_communes m, req WHERE m.defense_area_id = req.area
                UNION ALL SELECT c.code, 5 FROM communes c, req WHERE c.province_code = req.province_code) t
            GROUP BY code),
        on_loan AS (   -- help that arrived and is still there belongs to its donor: it is nobody's stock to give
            SELECT r.commune_code AS code, sum(p.quantity_accepted) AS n
            FROM pledges p JOIN aid_request_lines l ON l.id = p.request_line_id JOIN aid_requests r ON r.id = l.request_id
            WHERE p.status = 'arrived' AND l.resource_type = @type AND p.donor_code <> r.commune_code
            GROUP BY r.commune_code),
        asked AS (   -- donors already holding a live pledge on this line are not suggested again
            SELECT donor_code FROM pledges WHERE request_line_id = @line AND status IN ('requested', 'accepted', 'dispatched', 'arrived'))
        SELECT k.tier, k.code, c.name, c.province_code, (i.available - coalesce(ol.n, 0))::int AS available, r1.shared_m, (SELECT v.name FROM communes v WHERE v.code = r2.via) AS via,
            ag.id AS agreement_id, ag.max_quantity,
            ST_Distance(req.location::geography, c.label_point::geography) AS distance_m,
            (SELECT o.id FROM aid_requests o WHERE o.commune_code = k.code AND o.status = 'open' AND o.id <> req.id ORDER BY o.id LIMIT 1) AS own_request,
            {ActiveFloods.NameCovering("k.code")} AS in_event
        FROM cand k
        CROSS JOIN req
        JOIN inventory i ON i.commune_code = k.code AND i.resource_type = @type AND i.available > 0
        LEFT JOIN on_loan ol ON ol.code = k.code
        JOIN communes c ON c.code = k.code
        LEFT JOIN ring1 r1 ON r1.code = k.code
        LEFT JOIN ring2 r2 ON r2.code = k.code
        LEFT JOIN LATERAL (
            SELECT a.id, l.max_quantity FROM agreements a JOIN agreement_lines l ON l.agreement_id = a.id
            WHERE l.lender_code = k.code AND l.resource_type = @type
              AND ((a.commune_a = k.code AND a.commune_b = req.code) OR (a.commune_b = k.code AND a.commune_a = req.code))
              AND a.signed_a_at IS NOT NULL AND a.signed_b_at IS NOT NULL
              AND a.valid_from <= @today AND (a.valid_to IS NULL OR a.valid_to >= @today)
            ORDER BY a.id LIMIT 1) ag ON true
        WHERE k.code NOT IN (SELECT donor_code FROM asked) AND i.available - coalesce(ol.n, 0) > 0
        ORDER BY k.tier, ag.id IS NULL, distance_m, available DESC, k.code
        """;

    public static async Task<LineMatch?> MatchLineAsync(NpgsqlConnection conn, int requestId, int lineId, DateTime now, bool includeAffected, CancellationToken ct)
    {
        string type; int quantity, covered; string unitVi, unitEn;
        await using (var cmd = new NpgsqlCommand("""
            SELECT l.resource_type, l.quantity, t.unit_vi, t.unit_en,
                coalesce((SELECT sum(coalesce(p.quantity_accepted, p.quantity_requested)) FROM pledges p
                          WHERE p.request_line_id = l.id AND p.status IN ('requested', 'accepted', 'dispatched', 'arrived', 'returned', 'consumed')), 0)::int
            FROM aid_request_lines l JOIN resource_types t ON t.code = l.resource_type WHERE l.id = @line AND l.request_id = @request
            """, conn))
        {
            cmd.Parameters.AddWithValue("line", lineId);
            cmd.Parameters.AddWithValue("request", requestId);
            await cmd.PrepareAsync(ct);   // planned once per connection, then reused (the plan is a third of the time)
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return null;
            (type, quantity, unitVi, unitEn, covered) = (r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetInt32(4));
        }

        var suggestions = new List<Suggestion>();
        var excluded = new List<Suggestion>();
        var outstanding = Math.Max(0, quantity - covered);
        var toFill = outstanding;
        await using (var cmd = new NpgsqlCommand(Sql, conn))
        {
            cmd.Parameters.AddWithValue("request", requestId);
            cmd.Parameters.AddWithValue("line", lineId);
            cmd.Parameters.AddWithValue("type", type);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("today", DateOnly.FromDateTime(now.AddHours(7)));   // dates of agreements are Vietnamese calendar days
            await cmd.PrepareAsync(ct);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var tier = r.GetInt32(0);
                var ownRequest = r.IsDBNull(10) ? (int?)null : r.GetInt32(10);
                var inEvent = r.IsDBNull(11) ? null : r.GetString(11);
                // The requester's own stock is never "affected" against itself.
                var affected = tier > 1 && (ownRequest is not null || inEvent is not null);
                var affectedVi = !affected ? null : ownRequest is not null ? $"đang có yêu cầu hỗ trợ #{ownRequest}" : $"nằm trong vùng lũ đang diễn ra «{inEvent}»";
                var affectedEn = !affected ? null : ownRequest is not null ? $"has its own open request #{ownRequest}" : $"inside the active flood event '{inEvent}'";
                var available = r.GetInt32(4);
                var shared = r.IsDBNull(5) ? (double?)null : r.GetDouble(5);
                var via = r.IsDBNull(6) ? null : r.GetString(6);
                var agreement = r.IsDBNull(7) ? (int?)null : r.GetInt32(7);
                var agreementMax = r.IsDBNull(8) ? (int?)null : r.GetInt32(8);
                var distance = Math.Round(r.GetDouble(9));
                var take = affected && !includeAffected ? 0 : Math.Min(available, toFill);
                if (!(affected && !includeAffected)) toFill -= take;

                var vi = new List<string> { tier switch { 1 => "kho của xã", 2 => "xã liền kề (vòng 1)", 3 => "vòng 2", 4 => "cùng khu vực phòng thủ", _ => "trong tỉnh" } };
                var en = new List<string> { tier switch { 1 => "own stock", 2 => "ring 1", 3 => "ring 2", 4 => "same defense area", _ => "same province" } };
                if (shared is not null) { vi.Add($"chung {Km(shared.Value, Vi)} km ranh giới"); en.Add($"shares {Km(shared.Value, En)} km of border"); }
                if (via is not null) { vi.Add($"qua xã {via}"); en.Add($"via {via}"); }
                if (agreement is not null) { vi.Add($"quy chế phối hợp #{agreement} (tới {agreementMax} {unitVi})"); en.Add($"agreement #{agreement} (up to {agreementMax} {unitEn})"); }
                vi.Add($"sẵn có {available} {unitVi}"); en.Add($"{available} {unitEn} available");
                if (tier > 1) { vi.Add($"cách {Km(distance, Vi)} km"); en.Add($"{Km(distance, En)} km away"); }
                if (affected) { vi.Add(affectedVi!); en.Add(affectedEn!); }

                var s = new Suggestion(tier, TierNames[tier], r.GetString(1), r.GetString(2), r.GetString(3), available, take, shared, via,
                    agreement, agreementMax, distance, affected, affectedEn, string.Join(" · ", vi), string.Join(" · ", en));
                (affected && !includeAffected ? excluded : suggestions).Add(s);
            }
        }
        return new LineMatch(lineId, type, quantity, covered, outstanding, suggestions, excluded);
    }
}
