using Coordination.Api.Hazards;
using Coordination.Api.MutualAid;
using static Coordination.Tests.Hazards.HazardTestData;

namespace Coordination.Tests.Aid;

/// <summary>Requests, matching in 4-on-the-spot order, pledges and their stock, against the real app and PostGIS.</summary>
[Collection("postgis")]
public class MutualAidTests(PostgisFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{

    Task Stock(string commune, string type, int onHand) => AidTestData.StockAsync(Cs, commune, type, onHand);

    Task<(int OnHand, int Reserved)> StockOf(string commune, string type) => AidTestData.StockOfAsync(Cs, commune, type);

    /// <summary>Communes around Con Cuông by tier, straight from the adjacency and defense-area tables.</summary>
    async Task<(string[] Ring1, string[] Ring2, string[] Area, string[] Province)> TiersAsync(string code)
    {
        await using var db = Db();
        var pairs = await db.Adjacencies.Where(a => a.Contact == "neighbour").Select(a => new { a.CodeA, a.CodeB }).ToListAsync();
        string[] Next(IEnumerable<string> of) => pairs.Where(p => of.Contains(p.CodeA)).Select(p => p.CodeB).Concat(pairs.Where(p => of.Contains(p.CodeB)).Select(p => p.CodeA)).Distinct().ToArray();
        var ring1 = Next([code]).Order().ToArray();
        var ring2 = Next(ring1).Except(ring1).Except([code]).Order().ToArray();
        var area = await db.DefenseAreaCommunes.Where(m => m.DefenseAreaId == db.DefenseAreaCommunes.Where(x => x.CommuneCode == code).Select(x => x.DefenseAreaId).First())
            .Select(m => m.CommuneCode).ToListAsync();
        var province = await db.Communes.Where(c => c.ProvinceCode == "40").Select(c => c.Code).ToListAsync();
        var near = ring1.Concat(ring2).Append(code).ToHashSet();
        return (ring1, ring2, area.Where(c => !near.Contains(c)).Order().ToArray(), province.Where(c => !near.Contains(c) && !area.Contains(c)).Order().ToArray());
    }

    Task<RequestDto> File(Session s, string commune, params (string Type, int Quantity)[] lines) =>
        AidTestData.FileAsync(s, Cs, commune, "Nước lên nhanh, cần thuyền", lines);

    [Fact]
    public async Task Matching_follows_the_four_tiers_prefers_agreements_excludes_affected_donors_and_fills_partially()
    {
        var (ring1, ring2, area, province) = await TiersAsync(ConCuong);
        Assert.Contains(ChauKhe, ring1);
        Assert.NotEmpty(ring2); Assert.NotEmpty(area); Assert.NotEmpty(province);
        var otherRing1 = ring1.First(c => c != ChauKhe);
        // Stock: own 2, Châu Khê 5 (agreement), another ring-1 commune 10 (nearer or not, no agreement), ring 2: 20, area: 3, province: 4.
        await Stock(ConCuong, "boat", 2);
        await Stock(ChauKhe, "boat", 5);
        await Stock(otherRing1, "boat", 10);
        await Stock(ring2[0], "boat", 20);
        await Stock(area[0], "boat", 3);
        await Stock(province[0], "boat", 4);
        await Stock(province[1], "boat", 0);   // nothing available: never suggested

        var concuong = await SignInAsync("concuong.leader");
        var chaukhe = await SignInAsync("chaukhe.leader");
        // A standing agreement: Châu Khê lends up to 10 boats to Con Cuông, active once both sides sign.
        var agreement = await concuong.SendAsync<AgreementDto>(HttpMethod.Post, "/api/agreements", new
        {
            communeA = ConCuong, communeB = ChauKhe, contactA = "0238 3873 100", contactB = "0238 3873 200",
            lines = new[] { new { lenderCode = ChauKhe, resourceType = "boat", maxQuantity = 10 } },
        }, HttpStatusCode.Created);
        var agreementId = agreement.Id;
        Assert.False(agreement.Active);
        Assert.False((await concuong.SendAsync<AgreementDto>(HttpMethod.Post, $"/api/agreements/{agreementId}/sign", null, HttpStatusCode.OK)).Active);
        Assert.Equal(HttpStatusCode.Conflict, (await concuong.SendAsync(HttpMethod.Post, $"/api/agreements/{agreementId}/sign")).StatusCode);   // not twice
        Assert.True((await chaukhe.SendAsync<AgreementDto>(HttpMethod.Post, $"/api/agreements/{agreementId}/sign", null, HttpStatusCode.OK)).Active);

        // The ring-2 commune has its own open request: affected, set apart.
        await File(await SignInAsync("admin.demo"), ring2[0], ("food_ration", 100));

        var request = await File(concuong, ConCuong, ("boat", 50));
        var id = request.Id;
        var matches = await (await concuong.Http.GetAsync($"/api/aid-requests/{id}/matches")).ExpectJsonAsync(HttpStatusCode.OK);
        var line = matches.As<List<LineMatch>>()[0];
        var s = line.Suggestions;
        foreach (var x in s) output.WriteLine($"{x.Tier} {x.DonorCode} {x.SuggestedQuantity} {x.ReasonEn}");
        var order = s.Select(x => (x.Tier, x.DonorCode)).ToList();
        Assert.Equal((1, ConCuong), order[0]);
        Assert.Equal((2, ChauKhe), order[1]);   // the agreement partner before the other ring-1 commune
        Assert.Equal((2, otherRing1), order[2]);
        Assert.DoesNotContain(order, o => o.Item2 == ring2[0]);
        Assert.Equal([1, 2, 2, 4, 5], order.Select(o => o.Item1).Take(5).ToArray());
        Assert.DoesNotContain(order, o => o.Item2 == province[1]);
        // Partial fills: 2 + 5 + 10 + 3 + 4 = 24 of 50, in order.
        Assert.Equal([2, 5, 10, 3, 4], s.Take(5).Select(x => x.SuggestedQuantity).ToArray());
        var reason = s[1].ReasonEn;
        Assert.Contains("ring 1", reason);
        Assert.Contains($"agreement #{agreementId}", reason);
        Assert.Contains("5 boats available", reason);
        Assert.Matches(@"shares \d+\.\d km of border", reason);
        var excluded = Assert.Single(line.Excluded);
        Assert.Equal(ring2[0], excluded.DonorCode);
        Assert.Contains("has its own open request", excluded.ReasonEn);

        // A leader may not override the exclusion; the commander may, and the ring-2 donor is back in its tier.
        Assert.Equal(HttpStatusCode.Forbidden, (await concuong.Http.GetAsync($"/api/aid-requests/{id}/matches?includeAffected=true")).StatusCode);
        var commander = await SignInAsync("kv5.commander");
        var overridden = await commander.GetAsync<List<LineMatch>>($"/api/aid-requests/{id}/matches?includeAffected=true");
        var withAffected = overridden[0].Suggestions;
        var back = withAffected.Single(x => x.DonorCode == ring2[0]);
        Assert.Equal(3, back.Tier);
        Assert.True(back.Affected);

        // Deterministic: the same question, the same answer.
        Assert.Equal(matches.ToString(), (await (await concuong.Http.GetAsync($"/api/aid-requests/{id}/matches")).ExpectJsonAsync(HttpStatusCode.OK)).ToString());
    }

    [Fact]
    public async Task A_pledge_goes_from_ask_to_return_moving_stock_on_both_sides_and_forbidden_moves_are_409()
    {
        await Stock(ChauKhe, "boat", 8);
        await Stock(ChauKhe, "drinking_water", 100);
        var concuong = await SignInAsync("concuong.leader");
        var chaukhe = await SignInAsync("chaukhe.leader");
        var request = await File(concuong, ConCuong, ("boat", 6), ("drinking_water", 40));
        var boatLine = request.Lines[0].Id;
        var waterLine = request.Lines[1].Id;
        Assert.Equal("open", request.Summary);

        // The requester asks; only the donor answers (the requester cannot accept its own ask).
        var ask = await concuong.SendAsync<PledgeDto>(HttpMethod.Post, "/api/pledges", new { lineId = boatLine, donorCode = ChauKhe, quantity = 6 }, HttpStatusCode.Created);
        var pledge = ask.Id;
        Assert.Equal(HttpStatusCode.Forbidden, (await concuong.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/accept", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/dispatch")).StatusCode);   // not accepted yet
        // Accept for less: 4 of 6 — reserved at once.
        var accepted = await chaukhe.SendAsync<PledgeDto>(HttpMethod.Post, $"/api/pledges/{pledge}/accept", new { quantity = 4, note = "4 thuyền, 8 người chèo" }, HttpStatusCode.OK);
        Assert.Equal(4, accepted.QuantityAccepted);
        Assert.Equal((8, 4), await StockOf(ChauKhe, "boat"));
        Assert.Equal(HttpStatusCode.Conflict, (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/accept", new { })).StatusCode);   // twice
        var view = await concuong.GetAsync<RequestDto>($"/api/aid-requests/{request.Id}");
        Assert.Equal("partial", view.Lines[0].PledgedStatus);
        Assert.Equal("partially_pledged", view.Summary);
        // The inventory cannot drop below what is reserved.
        Assert.Equal(HttpStatusCode.Conflict, (await chaukhe.SendAsync(HttpMethod.Put, $"/api/communes/{ChauKhe}/inventory/boat", new { onHand = 3 })).StatusCode);

        await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/dispatch")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal((4, 0), await StockOf(ChauKhe, "boat"));
        Assert.Equal(HttpStatusCode.Conflict, (await concuong.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/consume")).StatusCode);   // not arrived, and boats come back
        await (await concuong.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/arrive", new { })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal((4, 0), await StockOf(ConCuong, "boat"));   // in the requester's hands while there
        Assert.Equal(HttpStatusCode.Conflict, (await concuong.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/consume")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await concuong.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/return")).StatusCode);   // the donor confirms the return
        await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/return")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal((0, 0), await StockOf(ConCuong, "boat"));
        Assert.Equal((8, 0), await StockOf(ChauKhe, "boat"));

        // Water is consumed, never returned; a decline frees nothing and changes nothing.
        var w = (await concuong.SendAsync<PledgeDto>(HttpMethod.Post, "/api/pledges", new { lineId = waterLine, donorCode = ChauKhe, quantity = 40 }, HttpStatusCode.Created)).Id;
        await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{w}/accept", new { })).ExpectJsonAsync(HttpStatusCode.OK);
        await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{w}/dispatch")).ExpectJsonAsync(HttpStatusCode.OK);
        await (await concuong.SendAsync(HttpMethod.Post, $"/api/pledges/{w}/arrive", new { })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Conflict, (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{w}/return")).StatusCode);
        Assert.Equal((40, 0), await StockOf(ConCuong, "drinking_water"));
        await (await concuong.SendAsync(HttpMethod.Post, $"/api/pledges/{w}/consume")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal((0, 0), await StockOf(ConCuong, "drinking_water"));
        Assert.Equal((60, 0), await StockOf(ChauKhe, "drinking_water"));

        var final = await concuong.GetAsync<RequestDto>($"/api/aid-requests/{request.Id}");
        Assert.Equal("complete", final.Lines[1].ArrivedStatus);
        Assert.Equal("partial", final.Lines[0].ArrivedStatus);

        // Closing the request withdraws an unanswered ask and frees an accepted one.
        await Stock(ChauKhe, "boat", 8);
        var again = (await concuong.SendAsync<PledgeDto>(HttpMethod.Post, "/api/pledges", new { lineId = boatLine, donorCode = ChauKhe, quantity = 2 }, HttpStatusCode.Created)).Id;
        await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{again}/accept", new { })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal((8, 2), await StockOf(ChauKhe, "boat"));
        await (await concuong.SendAsync(HttpMethod.Post, $"/api/aid-requests/{request.Id}/close")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal((8, 0), await StockOf(ChauKhe, "boat"));
        Assert.Equal(HttpStatusCode.Conflict, (await concuong.SendAsync(HttpMethod.Post, $"/api/aid-requests/{request.Id}/open")).StatusCode);
    }

    [Fact]
    public async Task A_hundred_concurrent_accepts_never_over_commit_the_stock()
    {
        const int stock = 37, pledges = 100;
        await Stock(ChauKhe, "life_jacket", stock);
        var concuong = await SignInAsync("concuong.leader");
        var request = await File(concuong, ConCuong, ("life_jacket", 1000));
        var line = request.Lines[0].Id;
        // 100 asks of 1 each, straight into the table (asks are not what is under test).
        var ids = new List<int>();
        await using (var conn = new NpgsqlConnection(Cs))
        {
            await conn.OpenAsync();
            for (var i = 0; i < pledges; i++)
            {
                await using var cmd = new NpgsqlCommand("""
                    INSERT INTO pledges (request_line_id, donor_code, quantity_requested, status, requested_by, on_behalf, exclusion_overridden, created_at)
                    VALUES (@l, @d, 1, 'requested', 'concuong.leader', false, false, now()) RETURNING id
                    """, conn);
                cmd.Parameters.AddWithValue("l", line); cmd.Parameters.AddWithValue("d", ChauKhe);
                ids.Add((int)(await cmd.ExecuteScalarAsync())!);
            }
        }
        // Each accept from its own client (a programmatic client with the donor leader's bearer token; each request
        // gets its own database connection in the app), all released together through a barrier.
        var login = await Api.CreateClient(new() { HandleCookies = false }).PostAsJsonAsync("/api/auth/login?mode=token",
            new { userName = "chaukhe.leader", password = Session.DemoPassword });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var clients = Enumerable.Range(0, pledges).Select(_ =>
        {
            var c = Api.CreateClient(new() { HandleCookies = false });
            c.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return c;
        }).ToList();
        // An async barrier: every task has arrived before any is released (a blocking Barrier would starve the thread pool).
        var arrived = new CountdownEvent(pledges);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = ids.Select((id, i) => Task.Run(async () =>
        {
            arrived.Signal();
            await gate.Task;
            return (await clients[i].PostAsJsonAsync($"/api/pledges/{id}/accept", new { })).StatusCode;
        })).ToArray();
        Assert.True(arrived.Wait(TimeSpan.FromSeconds(30)), "not all accepts reached the barrier");
        gate.SetResult();
        var results = await Task.WhenAll(tasks);
        output.WriteLine(string.Join(", ", results.GroupBy(r => r).Select(g => $"{(int)g.Key}: {g.Count()}")));
        Assert.Equal(stock, results.Count(r => r == HttpStatusCode.OK));
        Assert.Equal(pledges - stock, results.Count(r => r == HttpStatusCode.Conflict));
        Assert.Equal((stock, stock), await StockOf(ChauKhe, "life_jacket"));
        await using var db = Db();
        Assert.Equal(stock, await db.Pledges.CountAsync(p => p.Status == "accepted"));
    }

    [Fact]
    public async Task A_neighbour_across_the_province_border_counts_in_its_ring()
    {
        const string XuanBinh = "16177";   // Thanh Hóa, across the border from Nghệ An
        await using (var seed = Db())
            await new Coordination.Api.Boundaries.Import.GeoImporter(seed, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Coordination.Api.Boundaries.Import.GeoImporter>.Instance)
                .ImportCommunesAsync(GeoJsonFiles.Write(GeoJsonFiles.Collection(GeoJsonFiles.NationwideFeature(XuanBinh))));
        string requester;
        await using (var db = Db())
            requester = await db.Adjacencies.Where(a => a.Contact == "neighbour" && (a.CodeA == XuanBinh || a.CodeB == XuanBinh))
                .Select(a => a.CodeA == XuanBinh ? a.CodeB : a.CodeA).OrderBy(c => c).FirstAsync();
        await Stock(XuanBinh, "motor_boat", 2);
        var admin = await SignInAsync("admin.demo");
        var request = await File(admin, requester, ("motor_boat", 1));
        var matches = await admin.GetAsync<List<LineMatch>>($"/api/aid-requests/{request.Id}/matches");
        var s = Assert.Single(matches[0].Suggestions);
        Assert.Equal(XuanBinh, s.DonorCode);
        Assert.Equal(2, s.Tier);
        Assert.Equal("38", s.ProvinceCode);
        // A leader may address it across the border (the answer belongs to Xuân Bình's side).
        var line = request.Lines[0].Id;
        await (await admin.SendAsync(HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = XuanBinh, quantity = 1 })).ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_donor_inside_an_active_flood_is_set_apart_until_the_flood_is_closed()
    {
        await Stock(ChauKhe, "boat", 4);
        var chaukhe = await SignInAsync("chaukhe.leader");
        var concuong = await SignInAsync("concuong.leader");
        var flood = await chaukhe.SendAsync<FloodEventDto>(HttpMethod.Post, "/api/flood-events",
            new { name = "Lũ bản Xiềng", geometry = Square(await LabelPointAsync(Cs, ChauKhe), 300) }, HttpStatusCode.Created);
        Assert.Equal([ChauKhe], flood.Communes.ToArray());
        var request = await File(concuong, ConCuong, ("boat", 2));
        var id = request.Id;
        var line = request.Lines[0].Id;

        var during = (await concuong.GetAsync<List<LineMatch>>($"/api/aid-requests/{id}/matches"))[0];
        Assert.DoesNotContain(during.Suggestions, x => x.DonorCode == ChauKhe);
        var apart = Assert.Single(during.Excluded);
        Assert.Contains("inside the active flood event 'Lũ bản Xiềng'", apart.ReasonEn);
        Assert.Equal(HttpStatusCode.Conflict, (await concuong.SendAsync(HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 2 })).StatusCode);

        await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/flood-events/{flood.Id}/close", new { })).ExpectJsonAsync(HttpStatusCode.OK);
        var after = (await concuong.GetAsync<List<LineMatch>>($"/api/aid-requests/{id}/matches"))[0];
        Assert.Contains(after.Suggestions, x => x.DonorCode == ChauKhe && x.Tier == 2);
        Assert.Empty(after.Excluded);
    }
}
