using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordination.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static Coordination.Tests.Hazards.HazardTestData;

namespace Coordination.Tests.Aid;

/// <summary>
/// The mutual-aid defects found by walking the July 2025 flood case as its users would (issue 11): a bad accepted
/// quantity read as "all", borrowed help offered back as own stock, moves made on behalf not heard by the commune,
/// requests that could not be amended, implausible quantities and dead agreements accepted.
/// </summary>
[Collection("postgis")]
public class FieldDefectsTests(PostgisFixture fixture) : IAsyncLifetime
{
    ApiFactory _api = null!;
    string _cs = null!;

    public async Task InitializeAsync()
    {
        _cs = await fixture.CreateDatabaseAsync();
        _api = new ApiFactory(_cs, new Dictionary<string, string?> { ["Aid:Escalation"] = "false" });
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    Task Stock(string commune, string type, int onHand) => AidTestData.StockAsync(_cs, commune, type, onHand);

    Task<(int OnHand, int Reserved)> StockOf(string commune, string type) => AidTestData.StockOfAsync(_cs, commune, type);

    async Task<JsonElement> File(Session s, string commune, params (string Type, int Quantity)[] lines)
    {
        var at = await LabelPointAsync(_cs, commune);
        return await (await s.SendAsync(HttpMethod.Post, "/api/aid-requests", new
        {
            communeCode = commune, lon = at.Lon, lat = at.Lat, hamlet = "Bản Tiến Thành", hazard = "flood", urgency = "life_threatening",
            lines = lines.Select(l => new { resourceType = l.Type, quantity = l.Quantity }).ToArray(),
        })).ExpectJsonAsync(HttpStatusCode.Created);
    }

    async Task<JsonElement> Get(Session s, string url) => await (await s.Http.GetAsync(url)).ExpectJsonAsync(HttpStatusCode.OK);

    async Task<List<JsonElement>> Notifications(Session s) => (await Get(s, "/api/notifications")).EnumerateArray().ToList();

    [Fact]
    public async Task A_bad_accepted_quantity_is_refused_and_reserves_nothing_only_an_absent_one_means_all()
    {
        await Stock(ChauKhe, "boat", 8);
        var concuong = await Session.SignedInAsync(_api, "concuong.leader");
        var chaukhe = await Session.SignedInAsync(_api, "chaukhe.leader");
        var request = await File(concuong, ConCuong, ("boat", 6));
        var line = request.GetProperty("lines")[0].GetProperty("id").GetInt32();
        var pledge = (await (await concuong.SendAsync(HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 5 }))
            .ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();

        foreach (var body in new[] { """{"quantity":0}""", """{"quantity":-1}""", """{"quantity":null}""", """{"quantity":""}""", """{"quantity":"abc"}""",
                     """{"quantity":2.5}""", """{"quantity":6}""", """{"quantity":1e12}""" })
        {
            var problem = await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/accept", JsonNode.Parse(body)))
                .ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("quantity", out _), $"{body}: {problem}");
            Assert.Equal((8, 0), await StockOf(ChauKhe, "boat"));
            var p = (await Get(concuong, $"/api/aid-requests/{request.GetProperty("id").GetInt32()}")).GetProperty("pledges")[0];
            Assert.Equal("requested", p.GetProperty("status").GetString());
        }
        // A number in range is taken as given; only a body without a quantity accepts all that was asked.
        var accepted = await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/accept", new { quantity = 3 })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, accepted.GetProperty("quantityAccepted").GetInt32());
        Assert.Equal((8, 3), await StockOf(ChauKhe, "boat"));
    }

    [Fact]
    public async Task Help_that_arrived_is_not_offered_back_as_own_stock_and_the_statuses_say_what_arrived_and_what_is_missing()
    {
        await Stock(ChauKhe, "boat", 8);
        var concuong = await Session.SignedInAsync(_api, "concuong.leader");
        var chaukhe = await Session.SignedInAsync(_api, "chaukhe.leader");
        var request = await File(concuong, ConCuong, ("boat", 6));
        var id = request.GetProperty("id").GetInt32();
        var line = request.GetProperty("lines")[0].GetProperty("id").GetInt32();
        var pledge = (await (await concuong.SendAsync(HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 6 }))
            .ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/accept", new { quantity = 5 })).ExpectJsonAsync(HttpStatusCode.OK);
        await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/dispatch")).ExpectJsonAsync(HttpStatusCode.OK);
        var onTheWay = await Get(concuong, $"/api/aid-requests/{id}");
        Assert.Equal("partially_in_transit", onTheWay.GetProperty("summary").GetString());
        Assert.Equal(5, onTheWay.GetProperty("lines")[0].GetProperty("inTransit").GetInt32());

        await (await concuong.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/arrive", new { })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal((5, 0), await StockOf(ConCuong, "boat"));   // in Con Cuông's hands while there (the wave-1 rule stays)
        var view = await Get(concuong, $"/api/aid-requests/{id}");
        var l = view.GetProperty("lines")[0];
        Assert.Equal("partially_arrived", view.GetProperty("summary").GetString());
        Assert.Equal(0, l.GetProperty("inTransit").GetInt32());   // nothing is on the road any more
        Assert.Equal(5, l.GetProperty("arrived").GetInt32());
        Assert.Equal(1, l.GetProperty("missing").GetInt32());
        // The borrowed boats are Châu Khê's: not offered to Con Cuông as its own stock, nor to anyone else.
        var matches = await Get(concuong, $"/api/aid-requests/{id}/matches");
        Assert.Equal(1, matches[0].GetProperty("outstanding").GetInt32());
        Assert.DoesNotContain(matches[0].GetProperty("suggestions").EnumerateArray(), x => x.GetProperty("donorCode").GetString() == ConCuong);
        // Con Cuông's own boats bought meanwhile are offered, without the borrowed ones.
        await Stock(ConCuong, "boat", 7);
        var own = (await Get(concuong, $"/api/aid-requests/{id}/matches"))[0].GetProperty("suggestions").EnumerateArray()
            .Single(x => x.GetProperty("donorCode").GetString() == ConCuong);
        Assert.Equal(2, own.GetProperty("available").GetInt32());
        Assert.Equal(1, own.GetProperty("tier").GetInt32());
    }

    [Fact]
    public async Task Moves_made_on_behalf_reach_the_commune_and_a_stale_withdraw_says_what_happened_to_the_ask()
    {
        await Stock(ChauKhe, "boat", 8);
        var concuong = await Session.SignedInAsync(_api, "concuong.leader");
        var commander = await Session.SignedInAsync(_api, "kv5.commander");
        var request = await File(concuong, ConCuong, ("boat", 6));
        var line = request.GetProperty("lines")[0].GetProperty("id").GetInt32();
        var before = (await Notifications(concuong)).Select(n => n.GetProperty("id").GetInt64()).DefaultIfEmpty().Max();

        var pledge = (await (await commander.SendAsync(HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 4 }))
            .ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        var asked = (await Notifications(concuong)).Where(n => n.GetProperty("id").GetInt64() > before).ToList();
        var onBehalf = Assert.Single(asked, n => n.GetProperty("kind").GetString() == "pledge.asked_on_behalf");
        Assert.Equal(pledge, onBehalf.GetProperty("pledgeId").GetInt32());
        Assert.Contains("Chỉ huy khu vực phòng thủ (demo)", onBehalf.GetProperty("textVi").GetString());   // a person's name, not "kv5.commander"
        Assert.DoesNotContain("kv5.commander", onBehalf.GetProperty("textVi").GetString());

        await (await commander.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/cancel")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Contains(await Notifications(concuong), n => n.GetProperty("kind").GetString() == "pledge.cancel_on_behalf" && n.GetProperty("pledgeId").GetInt32() == pledge);
        // The leader's screen was stale and it withdraws too: the answer is about the ask, with its state, not "request not open".
        var stale = await (await concuong.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/cancel")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("pledge_state", stale.GetProperty("code").GetString());
        Assert.Equal("cancelled", stale.GetProperty("state").GetString());
        Assert.Equal(409, stale.GetProperty("status").GetInt32());   // RFC 9457's own member stays the HTTP status
        Assert.Equal("open", (await Get(concuong, $"/api/aid-requests/{request.GetProperty("id").GetInt32()}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_open_request_is_amended_never_below_what_donors_hold_audited_and_notified()
    {
        await Stock(ChauKhe, "boat", 8);
        var concuong = await Session.SignedInAsync(_api, "concuong.leader");
        var chaukhe = await Session.SignedInAsync(_api, "chaukhe.leader");
        var commander = await Session.SignedInAsync(_api, "kv5.commander");
        var request = await File(concuong, ConCuong, ("boat", 6));
        var id = request.GetProperty("id").GetInt32();
        var line = request.GetProperty("lines")[0].GetProperty("id").GetInt32();
        var pledge = (await (await concuong.SendAsync(HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 4 }))
            .ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/accept", new { quantity = 3 })).ExpectJsonAsync(HttpStatusCode.OK);

        // Add a line; the same type twice is refused (change the line instead); bad quantities name the field.
        var amended = await (await concuong.SendAsync(HttpMethod.Post, $"/api/aid-requests/{id}/lines", new { resourceType = "militia", quantity = 20 }))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["boat", "militia"], amended.GetProperty("lines").EnumerateArray().Select(x => x.GetProperty("resourceType").GetString()!).ToArray());
        Assert.Equal("line_exists", (await (await concuong.SendAsync(HttpMethod.Post, $"/api/aid-requests/{id}/lines", new { resourceType = "boat", quantity = 2 }))
            .ExpectProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.True((await (await concuong.SendAsync(HttpMethod.Post, $"/api/aid-requests/{id}/lines", new { resourceType = "generator", quantity = 0 }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("quantity", out _));

        // Raise, then lower: not below the 3 committed (none is awaiting an answer now).
        await (await concuong.SendAsync(HttpMethod.Put, $"/api/aid-requests/{id}/lines/{line}", new { quantity = 10 })).ExpectJsonAsync(HttpStatusCode.OK);
        var below = await (await concuong.SendAsync(HttpMethod.Put, $"/api/aid-requests/{id}/lines/{line}", new { quantity = 2 })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("below_pledged", below.GetProperty("code").GetString());
        Assert.Equal(3, below.GetProperty("held").GetInt32());
        Assert.Equal(10, (await Get(concuong, $"/api/aid-requests/{id}")).GetProperty("lines")[0].GetProperty("quantity").GetInt32());
        var lowered = await (await concuong.SendAsync(HttpMethod.Put, $"/api/aid-requests/{id}/lines/{line}", new { quantity = 3 })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("complete", lowered.GetProperty("lines")[0].GetProperty("pledgedStatus").GetString());
        // Another commune's leader may not amend it.
        Assert.Equal(HttpStatusCode.Forbidden, (await chaukhe.SendAsync(HttpMethod.Put, $"/api/aid-requests/{id}/lines/{line}", new { quantity = 5 })).StatusCode);

        // The command heard of each amendment; the audit has the before and after.
        var commandFeed = await Notifications(commander);
        Assert.Equal(3, commandFeed.Count(n => n.GetProperty("kind").GetString() == "request.amended" && n.GetProperty("requestId").GetInt32() == id));
        await using (var db = PostgisFixture.NewContext(_cs))
            Assert.Equal(3, await db.AuditEvents.CountAsync(a => a.Action == "aid_request.amended" && a.EntityId == id.ToString()));

        // A closed request is not amended.
        await (await concuong.SendAsync(HttpMethod.Post, $"/api/aid-requests/{id}/close")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("request_state", (await (await concuong.SendAsync(HttpMethod.Put, $"/api/aid-requests/{id}/lines/{line}", new { quantity = 5 }))
            .ExpectProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Implausible_quantities_dead_agreements_and_overflowing_numbers_are_refused_by_name()
    {
        var concuong = await Session.SignedInAsync(_api, "concuong.leader");
        var at = await LabelPointAsync(_cs, ConCuong);
        // The catalogue states the most one line may ask for; a million boats is a slip of the keyboard.
        var boat = (await Get(concuong, "/api/resource-types")).EnumerateArray().Single(t => t.GetProperty("code").GetString() == "boat");
        var max = boat.GetProperty("maxPerLine").GetInt32();
        Assert.InRange(max, 50, 5_000);
        var tooMany = await (await concuong.SendAsync(HttpMethod.Post, "/api/aid-requests", new
        {
            communeCode = ConCuong, lon = at.Lon, lat = at.Lat, hamlet = "Bản Xiềng", hazard = "flood", urgency = "urgent",
            lines = new[] { new { resourceType = "boat", quantity = 1_000_000 } },
        })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains($"{max:N0}", tooMany.GetProperty("errors").GetProperty("lines[0].quantity")[0].GetString());
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
        Assert.True(dead.GetProperty("errors").TryGetProperty("validTo", out _), dead.ToString());

        // A number too large for the field is named, not a bare "Bad Request".
        var huge = await (await concuong.SendAsync(HttpMethod.Put, $"/api/communes/{ConCuong}/inventory/boat", JsonNode.Parse("""{"onHand":1000000000000}""")))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(huge.GetProperty("errors").TryGetProperty("onHand", out _), huge.ToString());
        await using var db = PostgisFixture.NewContext(_cs);
        Assert.Equal(0, await db.Agreements.CountAsync());
        Assert.False(await db.Inventory.AnyAsync(i => i.CommuneCode == ConCuong));
    }
}
