using System.Globalization;
using Coordination.Api.MutualAid;
using Coordination.Tests.Aid;
using static Coordination.Tests.Hazards.HazardTestData;

namespace Coordination.Tests.Api;

/// <summary>
/// Idempotency-Key on writes: a phone replaying its offline queue, or a double tap, has each write applied once and
/// gets the first answer again; the same key for another request is refused; concurrent copies wait for the first.
/// </summary>
[Collection("postgis")]
public class IdempotencyTests(PostgisFixture fixture) : ApiTest(fixture)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Aid:Escalation"] = "false" };

    async Task<object> RequestBody(string commune, int boats)
    {
        var at = await LabelPointAsync(Cs, commune);
        return new
        {
            communeCode = commune, lon = at.Lon, lat = at.Lat, hamlet = "Bản Tiến Thành", hazard = "flood", urgency = "urgent",
            lines = new[] { new { resourceType = "boat", quantity = boats } },
        };
    }

    async Task<long> CountAsync(string sql) => long.Parse(await QueryTextAsync($"SELECT ({sql})::text AS \"Value\""), CultureInfo.InvariantCulture);

    /// <summary>Con Cuông asks Châu Khê (holding <paramref name="stock"/> boats) for 6; Châu Khê's session and the ask.</summary>
    async Task<(Session ChauKhe, int Pledge)> AskedForSixBoatsAsync(int stock)
    {
        await AidTestData.StockAsync(Cs, ChauKhe, "boat", stock);
        var concuong = await SignInAsync("concuong.leader");
        var request = await AidTestData.FileAsync(concuong, Cs, ConCuong, null, ("boat", 6));
        var pledge = await concuong.SendAsync<PledgeDto>(HttpMethod.Post, "/api/pledges", new { lineId = request.Lines[0].Id, donorCode = ChauKhe, quantity = 6 },
            HttpStatusCode.Created);
        return (await SignInAsync("chaukhe.leader"), pledge.Id);
    }

    [Fact]
    public async Task A_replayed_request_is_filed_once_and_answered_as_the_first_time()
    {
        var concuong = await SignInAsync("concuong.leader");
        var body = await RequestBody(ConCuong, 6);
        var first = await concuong.SendAsync(HttpMethod.Post, "/api/aid-requests", body, idempotencyKey: "phone-1:0001");
        var created = await first.ExpectAsync<RequestDto>(HttpStatusCode.Created);
        Assert.False(first.Headers.Contains("Idempotency-Replayed"));

        var again = await concuong.SendAsync(HttpMethod.Post, "/api/aid-requests", body, idempotencyKey: "phone-1:0001");
        var replayed = await again.ExpectAsync<RequestDto>(HttpStatusCode.Created);
        Assert.Equal("true", again.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal(created.Id, replayed.Id);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM aid_requests WHERE commune_code = '{ConCuong}'"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM audit_events WHERE action = 'aid_request.filed'"));

        // Without a key (or with another) it is a new request: the key is what makes a write the same one.
        await (await concuong.SendAsync(HttpMethod.Post, "/api/aid-requests", new { }, idempotencyKey: "phone-1:0002")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM aid_requests WHERE commune_code = '{ConCuong}'"));
    }

    [Fact]
    public async Task The_same_key_for_another_write_is_refused_and_changes_nothing()
    {
        await AidTestData.StockAsync(Cs, ChauKhe, "boat", 4);
        var chaukhe = await SignInAsync("chaukhe.leader");
        await (await chaukhe.SendAsync(HttpMethod.Put, $"/api/communes/{ChauKhe}/inventory/boat", new { onHand = 7 }, idempotencyKey: "k-42"))
            .ExpectJsonAsync(HttpStatusCode.OK);
        var reused = await (await chaukhe.SendAsync(HttpMethod.Put, $"/api/communes/{ChauKhe}/inventory/boat", new { onHand = 9 }, idempotencyKey: "k-42"))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(CommonProblems.IdempotencyKeyReused, reused.Code());
        Assert.Equal((7, 0), await AidTestData.StockOfAsync(Cs, ChauKhe, "boat"));

        // Keys are each user's own: another user's "k-42" is another write.
        var admin = await SignInAsync("admin.demo");
        await (await admin.SendAsync(HttpMethod.Put, $"/api/communes/{ChauKhe}/inventory/boat", new { onHand = 9 }, idempotencyKey: "k-42"))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal((9, 0), await AidTestData.StockOfAsync(Cs, ChauKhe, "boat"));

        // A key that is not one is a bad parameter, named
        var bad = await (await chaukhe.SendAsync(HttpMethod.Put, $"/api/communes/{ChauKhe}/inventory/boat", new { onHand = 1 }, idempotencyKey: new string('x', 201)))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.HasError("Idempotency-Key"), bad.ToString());
        Assert.Equal((9, 0), await AidTestData.StockOfAsync(Cs, ChauKhe, "boat"));
    }

    [Fact]
    public async Task Copies_sent_at_once_do_the_write_once_and_all_get_its_answer()
    {
        var (chaukhe, pledge) = await AskedForSixBoatsAsync(stock: 8);

        // Five taps of "accept 5" on a bad link: one acceptance, five identical answers.
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/accept", new { quantity = 5 }, idempotencyKey: "accept-once")));
        var bodies = new List<string>();
        foreach (var a in answers)
        {
            Assert.Equal(HttpStatusCode.OK, a.StatusCode);
            bodies.Add(await a.Content.ReadAsStringAsync());
        }
        Assert.Single(bodies.Distinct());
        Assert.Equal(4, answers.Count(a => a.Headers.Contains("Idempotency-Replayed")));
        Assert.Equal((8, 5), await AidTestData.StockOfAsync(Cs, ChauKhe, "boat"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM audit_events WHERE action = 'pledge.accept' AND entity_id = '{pledge}'"));
    }

    [Fact]
    public async Task A_refused_write_is_refused_again_in_the_same_words_and_nothing_is_written()
    {
        var (chaukhe, pledge) = await AskedForSixBoatsAsync(stock: 3);
        var before = await QueryTextAsync("SELECT (SELECT count(*) FROM audit_events)::text || '/' || (SELECT count(*) FROM notifications)::text AS \"Value\"");

        var refused = await (await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/accept", new { quantity = 5 }, idempotencyKey: "offline-7"))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(AidProblems.NotEnoughStock, refused.Code());
        var replay = await chaukhe.SendAsync(HttpMethod.Post, $"/api/pledges/{pledge}/accept", new { quantity = 5 }, idempotencyKey: "offline-7");
        var again = await replay.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("true", replay.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal(refused.ToString(), again.ToString());
        Assert.Equal((3, 0), await AidTestData.StockOfAsync(Cs, ChauKhe, "boat"));
        Assert.Equal(before, await QueryTextAsync("SELECT (SELECT count(*) FROM audit_events)::text || '/' || (SELECT count(*) FROM notifications)::text AS \"Value\""));
    }

    [Fact]
    public async Task A_kept_answer_is_replayed_for_a_day_at_least_and_forgotten_after_two()
    {
        var chaukhe = await SignInAsync("chaukhe.leader");
        await AidTestData.StockAsync(Cs, ChauKhe, "boat", 1);
        foreach (var key in new[] { "yesterday", "three-days-ago" })
            await (await chaukhe.SendAsync(HttpMethod.Put, $"/api/communes/{ChauKhe}/inventory/boat", new { onHand = 2 }, idempotencyKey: key))
                .ExpectJsonAsync(HttpStatusCode.OK);
        await using (var db = Db())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE idempotent_responses SET created_at = now() - interval '25 hours' WHERE key = 'yesterday'");
            await db.Database.ExecuteSqlRawAsync("UPDATE idempotent_responses SET created_at = now() - interval '72 hours' WHERE key = 'three-days-ago'");
            Assert.Equal(1, await IdempotencyPurge.PurgeAsync(db, DateTime.UtcNow));
        }
        var replay = await chaukhe.SendAsync(HttpMethod.Put, $"/api/communes/{ChauKhe}/inventory/boat", new { onHand = 2 }, idempotencyKey: "yesterday");
        Assert.True(replay.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM idempotent_responses"));
    }

    [Fact]
    public async Task A_file_above_every_limit_is_refused_without_being_kept_and_a_file_under_it_is_kept()
    {
        var commander = await SignInAsync("kv5.commander");
        var tooBig = await commander.PostBodyAsync("/api/subscribers/import", new byte[(int)IdempotencyMiddleware.MaxHashedBytes + 1024], "text/csv",
            idempotencyKey: "huge");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        var overLimit = await commander.PostBodyAsync("/api/subscribers/import", new byte[UploadOptions.DefaultMaxBytes + 1], "text/csv", idempotencyKey: "big");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, overLimit.StatusCode);
        // the first was not hashed (nothing kept), the second is a refusal like any other (kept, replayed)
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM idempotent_responses WHERE key = 'huge'"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM idempotent_responses WHERE key = 'big' AND status_code = 413"));
    }
}
