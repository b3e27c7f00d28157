using System.Text.Json.Nodes;
using Coordination.Api.MutualAid;
using static Coordination.Tests.Hazards.HazardTestData;

namespace Coordination.Tests.Aid;

/// <summary>
/// The mutual-aid defects found by walking the July 2025 flood case as its users would (issue 11): a bad accepted
/// quantity read as "all", borrowed help offered back as own stock, moves made on behalf not heard by the commune,
/// requests that could not be amended, implausible quantities and dead agreements accepted.
/// </summary>
[Collection("postgis")]
public class FieldDefectsTests(PostgisFixture fixture) : ApiTest(fixture)
{

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Aid:Escalation"] = "false" };

    Task Stock(string commune, string type, int onHand) => AidTestData.StockAsync(Cs, commune, type, onHand);

    Task<(int OnHand, int Reserved)> StockOf(string commune, string type) => AidTestData.StockOfAsync(Cs, commune, type);

    Task<RequestDto> File(Session s, string commune, params (string Type, int Quantity)[] lines) => AidTestData.FileAsync(s, Cs, commune, null, lines);

    static Task<List<NotificationDto>> Notifications(Session s) => s.GetAsync<List<NotificationDto>>("/api/notifications");

    [Fact]
    public async Task A_bad_accepted_quantity_is_refused_and_reserves_nothing_only_an_absent_one_means_all()
    {
        await Stock(ChauKhe, "boat", 8);
        var concuong = await SignInAsync("concuong.leader");
        var chaukhe = await SignInAsync("chaukhe.leader");
        var request = await File(concuong, ConCuong, ("boat", 6));
        var line = request.Lines[0].Id;
        var pledge = (await concuong.SendAsync<PledgeDto>(HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 5 }, HttpStatusCode.Created)).Id;

        foreach (var body in new[] { """{"quantity":0}""", """{"quantity":-1}""", """{"quantity":null}""", """{"quantity":""}""", """{"quantity":"abc"}""",
                     """{"quantity":2.5}""", """{"quantity":6}""", """{"quantity":1e12}""" })
        {
            var problem = await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/accept", JsonNode.Parse(body)))
                .ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.HasError("quantity"), $"{body}: {problem}");
            Assert.Equal((8, 0), await StockOf(ChauKhe, "boat"));
            var p = (await concuong.GetAsync<RequestDto>($"/api/aid-requests/{request.Id}")).Pledges[0];
            Assert.Equal("requested", p.Status);
        }
        // A number in range is taken as given; only a body without a quantity accepts all that was asked.
        var accepted = await chaukhe.SendAsync<PledgeDto>(HttpMethod.Post, $"/api/pledges/{pledge}/accept", new { quantity = 3 }, HttpStatusCode.OK);
        Assert.Equal(3, accepted.QuantityAccepted);
        Assert.Equal((8, 3), await StockOf(ChauKhe, "boat"));
    }

    [Fact]
    public async Task Help_that_arrived_is_not_offered_back_as_own_stock_and_the_statuses_say_what_arrived_and_what_is_missing()
    {
        await Stock(ChauKhe, "boat", 8);
        var concuong = await SignInAsync("concuong.leader");
        var chaukhe = await SignInAsync("chaukhe.leader");
        var request = await File(concuong, ConCuong, ("boat", 6));
        var id = request.Id;
        var line = request.Lines[0].Id;
        var pledge = (await concuong.SendAsync<PledgeDto>(HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 6 }, HttpStatusCode.Created)).Id;
        await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/accept", new { quantity = 5 })).ExpectJsonAsync(HttpStatusCode.OK);
        await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/dispatch")).ExpectJsonAsync(HttpStatusCode.OK);
        var onTheWay = await concuong.GetAsync<RequestDto>($"/api/aid-requests/{id}");
        Assert.Equal("partially_in_transit", onTheWay.Summary);
        Assert.Equal(5, onTheWay.Lines[0].InTransit);

        await (await concuong.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/arrive", new { })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal((5, 0), await StockOf(ConCuong, "boat"));   // in Con Cuông's hands while there (the wave-1 rule stays)
        var view = await concuong.GetAsync<RequestDto>($"/api/aid-requests/{id}");
        var l = view.Lines[0];
        Assert.Equal("partially_arrived", view.Summary);
        Assert.Equal(0, l.InTransit);   // nothing is on the road any more
        Assert.Equal(5, l.Arrived);
        Assert.Equal(1, l.Missing);
        // The borrowed boats are Châu Khê's: not offered to Con Cuông as its own stock, nor to anyone else.
        var matches = await concuong.GetAsync<List<LineMatch>>($"/api/aid-requests/{id}/matches");
        Assert.Equal(1, matches[0].Outstanding);
        Assert.DoesNotContain(matches[0].Suggestions, x => x.DonorCode == ConCuong);
        // Con Cuông's own boats bought meanwhile are offered, without the borrowed ones.
        await Stock(ConCuong, "boat", 7);
        var own = (await concuong.GetAsync<List<LineMatch>>($"/api/aid-requests/{id}/matches"))[0].Suggestions.Single(x => x.DonorCode == ConCuong);
        Assert.Equal(2, own.Available);
        Assert.Equal(1, own.Tier);
    }

    [Fact]
    public async Task Moves_made_on_behalf_reach_the_commune_and_a_stale_withdraw_says_what_happened_to_the_ask()
    {
        await Stock(ChauKhe, "boat", 8);
        var concuong = await SignInAsync("concuong.leader");
        var commander = await SignInAsync("kv5.commander");
        var request = await File(concuong, ConCuong, ("boat", 6));
        var line = request.Lines[0].Id;
        var before = (await Notifications(concuong)).Select(n => n.Id).DefaultIfEmpty().Max();

        var pledge = (await commander.SendAsync<PledgeDto>(HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 4 }, HttpStatusCode.Created)).Id;
        var asked = (await Notifications(concuong)).Where(n => n.Id > before).ToList();
        var onBehalf = Assert.Single(asked, n => n.Kind == "pledge.asked_on_behalf");
        Assert.Equal(pledge, onBehalf.PledgeId);
        Assert.Contains("Chỉ huy khu vực phòng thủ (demo)", onBehalf.TextVi);   // a person's name, not "kv5.commander"
        Assert.DoesNotContain("kv5.commander", onBehalf.TextVi);

        await (await commander.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/cancel")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Contains(await Notifications(concuong), n => n.Kind == "pledge.cancel_on_behalf" && n.PledgeId == pledge);
        // The leader's screen was stale and it withdraws too: the answer is about the ask, with its state, not "request not open".
        var stale = await (await concuong.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/cancel")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("aid.pledge.state", stale.Code());
        Assert.Equal("cancelled", stale.Member<string>("state"));
        Assert.Equal(409, stale.Status());   // RFC 9457's own member stays the HTTP status
        Assert.Equal("open", (await concuong.GetAsync<RequestDto>($"/api/aid-requests/{request.Id}")).Status);
    }

    [Fact]
    public async Task An_open_request_is_amended_never_below_what_donors_hold_audited_and_notified()
    {
        await Stock(ChauKhe, "boat", 8);
        var concuong = await SignInAsync("concuong.leader");
        var chaukhe = await SignInAsync("chaukhe.leader");
        var commander = await SignInAsync("kv5.commander");
        var request = await File(concuong, ConCuong, ("boat", 6));
        var id = request.Id;
        var line = request.Lines[0].Id;
        var pledge = (await concuong.SendAsync<PledgeDto>(HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 4 }, HttpStatusCode.Created)).Id;
        await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/accept", new { quantity = 3 })).ExpectJsonAsync(HttpStatusCode.OK);

        // Add a line; the same type twice is refused (change the line instead); bad quantities name the field.
        var amended = await concuong.SendAsync<RequestDto>(HttpMethod.Post, $"/api/aid-requests/{id}/lines", new { resourceType = "militia", quantity = 20 }, HttpStatusCode.OK);
        Assert.Equal(["boat", "militia"], amended.Lines.Select(x => x.ResourceType).ToArray());
        Assert.Equal("aid.line.exists", (await (await concuong.SendAsync(HttpMethod.Post, $"/api/aid-requests/{id}/lines", new { resourceType = "boat", quantity = 2 }))
            .ExpectProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.True((await (await concuong.SendAsync(HttpMethod.Post, $"/api/aid-requests/{id}/lines", new { resourceType = "generator", quantity = 0 }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest)).HasError("quantity"));

        // Raise, then lower: not below the 3 committed (none is awaiting an answer now).
        await (await concuong.SendAsync(HttpMethod.Put, $"/api/aid-requests/{id}/lines/{line}", new { quantity = 10 })).ExpectJsonAsync(HttpStatusCode.OK);
        var below = await (await concuong.SendAsync(HttpMethod.Put, $"/api/aid-requests/{id}/lines/{line}", new { quantity = 2 })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("aid.inventory.below_pledged", below.Code());
        Assert.Equal(3, below.Member<int>("held"));
        Assert.Equal(10, (await concuong.GetAsync<RequestDto>($"/api/aid-requests/{id}")).Lines[0].Quantity);
        var lowered = await concuong.SendAsync<RequestDto>(HttpMethod.Put, $"/api/aid-requests/{id}/lines/{line}", new { quantity = 3 }, HttpStatusCode.OK);
        Assert.Equal("complete", lowered.Lines[0].PledgedStatus);
        // Another commune's leader may not amend it.
        Assert.Equal(HttpStatusCode.Forbidden, (await chaukhe.SendAsync(HttpMethod.Put, $"/api/aid-requests/{id}/lines/{line}", new { quantity = 5 })).StatusCode);

        // The command heard of each amendment; the audit has the before and after.
        var commandFeed = await Notifications(commander);
        Assert.Equal(3, commandFeed.Count(n => n.Kind == "request.amended" && n.RequestId == id));
        await using (var db = Db())
            Assert.Equal(3, await db.AuditEvents.CountAsync(a => a.Action == "aid_request.amended" && a.EntityId == id.ToString()));

        // A closed request is not amended.
        await (await concuong.SendAsync(HttpMethod.Post, $"/api/aid-requests/{id}/close")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("aid.request.state", (await (await concuong.SendAsync(HttpMethod.Put, $"/api/aid-requests/{id}/lines/{line}", new { quantity = 5 }))
            .ExpectProblemAsync(HttpStatusCode.Conflict)).Code());
    }

    [Fact]
    public async Task Implausible_quantities_dead_agreements_and_overflowing_numbers_are_refused_by_name()
    {
        var concuong = await SignInAsync("concuong.leader");
        var at = await LabelPointAsync(Cs, ConCuong);
        // The catalogue states the most one line may ask for; a million boats is a slip of the keyboard.
        var boat = (await concuong.GetAsync<List<ResourceTypeDto>>("/api/resource-types")).Single(t => t.Code == "boat");
        var max = boat.MaxPerLine!.Value;
        Assert.InRange(max, 50, 5_000);
        var tooMany = await (await concuong.SendAsync(HttpMethod.Post, "/api/aid-requests", new
        {
            communeCode = ConCuong, lon = at.Lon, lat = at.Lat, hamlet = "Bản Xiềng", hazard = "flood", urgency = "urgent",
            lines = new[] { new { resourceType = "boat", quantity = 1_000_000 } },
        })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains($"{max:N0}", tooMany.Error("lines[0].quantity"));
        await (await concuong.SendAsync(HttpMethod.Post, "/api/aid-requests", new
        {
            communeCode = ConCuong, lon = at.Lon, lat = at.Lat, hamlet = "Bản Xiềng", hazard = "flood", urgency = "urgent",
            lines = new[] { new { resourceType = "boat", quantity = max } },
        })).ExpectJsonAsync(HttpStatusCode.Created);

        // An agreement that ended before today could never be active.
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));
        var dead = await (await concuong.SendAsync(HttpMethod.Post, "/api/agreements", new
        {
            communeA = ConCuong, communeB = ChauKhe, validFrom = today.AddYears(-2).ToString("yyyy-MM-dd"), validTo = today.AddYears(-1).ToString("yyyy-MM-dd"),
            lines = new[] { new { lenderCode = ChauKhe, resourceType = "boat", maxQuantity = 5 } },
        })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(dead.HasError("validTo"), dead.ToString());

        // A number too large for the field is named, not a bare "Bad Request".
        var huge = await (await concuong.SendAsync(HttpMethod.Put, $"/api/communes/{ConCuong}/inventory/boat", JsonNode.Parse("""{"onHand":1000000000000}""")))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(huge.HasError("onHand"), huge.ToString());
        await using var db = Db();
        Assert.Equal(0, await db.Agreements.CountAsync());
        Assert.False(await db.Inventory.AnyAsync(i => i.CommuneCode == ConCuong));
    }
}
