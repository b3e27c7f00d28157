using Coordination.Api.MutualAid;
using Coordination.Api.Identity;
using Microsoft.Extensions.DependencyInjection;
using static Coordination.Tests.Hazards.HazardTestData;

namespace Coordination.Tests.Aid;

/// <summary>Bad input, scope, duplicates, notifications and escalation for mutual aid.</summary>
[Collection("postgis")]
public class AidRulesTests(PostgisFixture fixture) : ApiTest(fixture)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Aid:Escalation"] = "false" };   // escalation driven by the test

    Task<string> Snapshot() => QueryTextAsync("""
            SELECT concat_ws('|', (SELECT count(*) FROM aid_requests), (SELECT count(*) FROM aid_request_lines), (SELECT count(*) FROM pledges),
                (SELECT md5(coalesce(string_agg(commune_code || resource_type || on_hand || '/' || reserved, ',' ORDER BY 1), '')) FROM inventory),
                (SELECT count(*) FROM agreements), (SELECT count(*) FROM notifications)) AS "Value"
            """);

    async Task<(double Lon, double Lat)> Inside(string commune) => await LabelPointAsync(Cs, commune);

    static object Body(string commune, (double Lon, double Lat) at, object[] lines, string hazard = "flood") => new
    {
        communeCode = commune, lon = at.Lon, lat = at.Lat, hamlet = "Bản Xiềng", hazard, urgency = "urgent", lines,
    };

    async Task Refused(Session s, HttpMethod method, string url, object body, HttpStatusCode status, string field)
    {
        var before = await Snapshot();
        var r = await s.SendAsync(method, url, body);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == status, $"{url}: expected {(int)status}, got {(int)r.StatusCode}: {text}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, text);
        Assert.Equal(before, await Snapshot());
    }

    [Fact]
    public async Task Bad_requests_are_400_with_the_field_named_and_nothing_written()
    {
        var leader = await SignInAsync("concuong.leader");
        var at = await Inside(ConCuong);
        var far = await Inside(ChauTien);
        object Line(object type, object qty) => new { resourceType = type, quantity = qty };
        await Refused(leader, HttpMethod.Post, "/api/aid-requests", Body(ConCuong, at, [Line("boat", -3)]), HttpStatusCode.BadRequest, "lines[0].quantity");
        await Refused(leader, HttpMethod.Post, "/api/aid-requests", Body(ConCuong, at, [Line("boat", 0)]), HttpStatusCode.BadRequest, "lines[0].quantity");
        await Refused(leader, HttpMethod.Post, "/api/aid-requests", Body(ConCuong, at, [Line("boat", 50_000_000)]), HttpStatusCode.BadRequest, "lines[0].quantity");
        await Refused(leader, HttpMethod.Post, "/api/aid-requests", Body(ConCuong, at, [Line("boat", 2), Line("unicorn", 1)]), HttpStatusCode.BadRequest, "lines[1].resourceType");
        await Refused(leader, HttpMethod.Post, "/api/aid-requests", Body(ConCuong, at, [Line("boat", 2), Line("boat", 1)]), HttpStatusCode.BadRequest, "appears twice");
        await Refused(leader, HttpMethod.Post, "/api/aid-requests", Body(ConCuong, at, []), HttpStatusCode.BadRequest, "at least one line");
        await Refused(leader, HttpMethod.Post, "/api/aid-requests", Body(ConCuong, far, [Line("boat", 2)]), HttpStatusCode.BadRequest, "not in commune 17254");
        await Refused(leader, HttpMethod.Post, "/api/aid-requests", Body(ConCuong, at, [Line("boat", 2)], "volcano"), HttpStatusCode.BadRequest, "hazard");
        // Another commune's request is not Con Cuông's leader's to file.
        await Refused(leader, HttpMethod.Post, "/api/aid-requests", Body(ChauKhe, await Inside(ChauKhe), [Line("boat", 2)]), HttpStatusCode.Forbidden, "17248");
        // Inventory: negative, absurd, unknown type.
        await Refused(leader, HttpMethod.Put, $"/api/communes/{ConCuong}/inventory/boat", new { onHand = -1 }, HttpStatusCode.BadRequest, "onHand");
        await Refused(leader, HttpMethod.Put, $"/api/communes/{ConCuong}/inventory/boat", new { onHand = 2_000_000_000 }, HttpStatusCode.BadRequest, "onHand");
        await Refused(leader, HttpMethod.Put, $"/api/communes/{ConCuong}/inventory/unicorn", new { onHand = 1 }, HttpStatusCode.BadRequest, "unknown resource type");
        await Refused(leader, HttpMethod.Put, $"/api/communes/{ChauKhe}/inventory/boat", new { onHand = 1 }, HttpStatusCode.Forbidden, "17248");

        // A good request, then pledges with bad quantities or for a stranger's line.
        var request = await leader.SendAsync<RequestDto>(HttpMethod.Post, "/api/aid-requests", Body(ConCuong, at, [Line("boat", 5)]), HttpStatusCode.Created);
        var line = request.Lines[0].Id;
        await Refused(leader, HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 6 }, HttpStatusCode.BadRequest, "a pledge cannot be for more");
        await Refused(leader, HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = "99999", quantity = 1 }, HttpStatusCode.BadRequest, "donorCode");
        await Refused(await SignInAsync("chaukhe.leader"), HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 1 }, HttpStatusCode.Forbidden, "17254");
        await Refused(leader, HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 1, overrideExclusion = true }, HttpStatusCode.Forbidden, "commander");
    }

    [Fact]
    public async Task A_second_open_request_for_the_same_hazard_is_flagged_not_silently_created()
    {
        var leader = await SignInAsync("concuong.leader");
        var at = await Inside(ConCuong);
        var first = await leader.SendAsync<RequestDto>(HttpMethod.Post, "/api/aid-requests", Body(ConCuong, at, [new { resourceType = "boat", quantity = 2 }]), HttpStatusCode.Created);
        await Refused(leader, HttpMethod.Post, "/api/aid-requests", Body(ConCuong, at, [new { resourceType = "food_ration", quantity = 200 }]), HttpStatusCode.Conflict,
            $"open request #{first.Id}");
        var second = await leader.SendAsync<RequestDto>(HttpMethod.Post, "/api/aid-requests", new
        {
            communeCode = ConCuong, lon = at.Lon, lat = at.Lat, hamlet = "Bản Khe", hazard = "flood", urgency = "needed",
            lines = new[] { new { resourceType = "food_ration", quantity = 200 } }, confirmDuplicate = true,
        }, HttpStatusCode.Created);
        Assert.Equal(first.Id, second.PossibleDuplicateOf);
        // Another hazard is not a duplicate.
        var landslide = await (await leader.SendAsync(HttpMethod.Post, "/api/aid-requests", Body(ConCuong, at, [new { resourceType = "excavator", quantity = 1 }], "landslide"))).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, landslide.GetProperty("possibleDuplicateOf").ValueKind);
    }

    [Fact]
    public async Task The_donor_hears_of_an_ask_live_and_an_unanswered_ask_escalates_once_with_the_next_suggestion()
    {
        await using (var conn = new NpgsqlConnection(Cs))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO inventory (commune_code, resource_type, on_hand, reserved, updated_at) VALUES (@a, 'boat', 5, 0, now()), (@b, 'boat', 3, 0, now())
                """, conn);
            cmd.Parameters.AddWithValue("a", ChauKhe);
            var other = await new NpgsqlCommand($"SELECT CASE WHEN code_a = '{ConCuong}' THEN code_b ELSE code_a END FROM adjacency WHERE contact = 'neighbour' AND '{ConCuong}' IN (code_a, code_b) AND '{ChauKhe}' NOT IN (code_a, code_b) ORDER BY 1 LIMIT 1", conn).ExecuteScalarAsync();
            cmd.Parameters.AddWithValue("b", (string)other!);
            await cmd.ExecuteNonQueryAsync();
        }
        var requester = await SignInAsync("concuong.leader");
        var donor = await SignInAsync("chaukhe.leader");
        var commander = await SignInAsync("kv5.commander");

        // The donor's live stream, opened before the ask.
        var stream = await donor.Http.GetStreamAsync("/api/notifications/stream");
        var reader = new StreamReader(stream);
        Assert.Equal(": connected", await reader.ReadLineAsync());

        var request = await requester.SendAsync<RequestDto>(HttpMethod.Post, "/api/aid-requests", Body(ConCuong, await Inside(ConCuong), [new { resourceType = "boat", quantity = 5 }]),
            HttpStatusCode.Created);
        var requestId = request.Id;
        var line = request.Lines[0].Id;
        var ask = await requester.SendAsync<PledgeDto>(HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 5 }, HttpStatusCode.Created);

        string? data = null;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
            while (data is null)
            {
                var l = await reader.ReadLineAsync(timeout.Token);
                if (l is not null && l.StartsWith("data: ", StringComparison.Ordinal)) data = l["data: ".Length..];
            }
        var n = JsonDocument.Parse(data).RootElement.As<NotificationDto>();
        Assert.Equal("pledge.asked", n.Kind);
        Assert.Equal(ask.Id, n.PledgeId);
        Assert.Contains("Con Cuông", n.TextVi);
        Assert.Contains("5 chiếc Thuyền, xuồng", n.TextVi);

        // Who sees what: the commander saw the request open (command audience); the requester's leader did not get the donor's ask.
        var commanderSees = await commander.GetAsync<List<NotificationDto>>("/api/notifications");
        Assert.Contains(commanderSees, x => x.Kind == "request.opened" && x.RequestId == requestId);
        var requesterSees = await requester.GetAsync<List<NotificationDto>>("/api/notifications");
        Assert.DoesNotContain(requesterSees, x => x.Kind is "pledge.asked" or "request.opened");

        // An hour and a bit later nobody has answered: escalation tells the requester and the command, once, with the next suggestion.
        int Escalate(DateTime now)
        {
            using var scope = Api.Services.CreateScope();
            return PledgeEscalation.EscalateDueAsync(scope.ServiceProvider.GetRequiredService<Coordination.Api.Data.CoordinationDb>(),
                scope.ServiceProvider.GetRequiredService<AuditLog>(), now, TimeSpan.FromMinutes(60), default).GetAwaiter().GetResult();
        }
        Assert.Equal(0, Escalate(DateTime.UtcNow.AddMinutes(30)));
        Assert.Equal(1, Escalate(DateTime.UtcNow.AddMinutes(61)));
        Assert.Equal(0, Escalate(DateTime.UtcNow.AddMinutes(120)));   // once
        var told = (await requester.GetAsync<List<NotificationDto>>("/api/notifications")).Single(x => x.Kind == "pledge.escalated");
        Assert.Contains("next suggestion:", told.TextEn);
        Assert.DoesNotContain("Châu Khê (", told.TextEn);   // the silent donor is not suggested again
        Assert.Contains(await commander.GetAsync<List<NotificationDto>>("/api/notifications"), x => x.Kind == "pledge.escalated");

        // Escalating the request to the province: the command's call, not a leader's.
        Assert.Equal(HttpStatusCode.Forbidden, (await requester.SendAsync(HttpMethod.Post, $"/api/aid-requests/{requestId}/escalate")).StatusCode);
        var escalated = await commander.SendAsync<RequestDto>(HttpMethod.Post, $"/api/aid-requests/{requestId}/escalate", null, HttpStatusCode.OK);
        Assert.Equal("kv5.commander", escalated.EscalatedBy);
        Assert.Equal(HttpStatusCode.Conflict, (await commander.SendAsync(HttpMethod.Post, $"/api/aid-requests/{requestId}/escalate")).StatusCode);
        var operatorSees = await (await SignInAsync("nghean.operator")).GetAsync<List<NotificationDto>>("/api/notifications");
        Assert.Contains(operatorSees, x => x.Kind == "request.escalated");
    }

    [Fact]
    public async Task Requests_are_filed_by_those_who_act_for_the_commune_and_asks_are_answered_only_by_the_donor_side()
    {
        var sessions = await SignInAllAsync(Actors);
        await (await sessions["chaukhe.leader"].SendAsync(HttpMethod.Put, $"/api/communes/{ChauKhe}/inventory/boat", new { onHand = 100 })).ExpectJsonAsync(HttpStatusCode.OK);
        var at = await Inside(ChauKhe);
        var filed = new List<int>();
        foreach (var a in Actors)
        {
            var expected = a switch { null => HttpStatusCode.Unauthorized, "concuong.leader" => HttpStatusCode.Forbidden, _ => HttpStatusCode.Created };
            var before = await Snapshot();
            var r = await sessions[a ?? "anonymous"].SendAsync(HttpMethod.Post, "/api/aid-requests", new
            {
                communeCode = ChauKhe, lon = at.Lon, lat = at.Lat, hamlet = $"Bản của {a}", hazard = "flood", urgency = "needed",
                lines = new[] { new { resourceType = "food_ration", quantity = 10 } }, confirmDuplicate = true,
            });
            Assert.True(expected == r.StatusCode, $"{a}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            if (expected != HttpStatusCode.Created) Assert.Equal(before, await Snapshot());
            else filed.Add((await r.ExpectAsync<RequestDto>(HttpStatusCode.Created)).Id);
        }
        // Châu Khê's own requests would make it an affected donor: withdraw them before it is asked to give.
        foreach (var id in filed)
            await (await sessions["chaukhe.leader"].SendAsync(HttpMethod.Post, $"/api/aid-requests/{id}/cancel")).ExpectJsonAsync(HttpStatusCode.OK);

        // Con Cuông asks Châu Khê; only Châu Khê's side may accept — also its commander, operator and administrators.
        var request = await sessions["concuong.leader"].SendAsync<RequestDto>(HttpMethod.Post, "/api/aid-requests",
            Body(ConCuong, await Inside(ConCuong), [new { resourceType = "boat", quantity = 50 }]), HttpStatusCode.Created);
        var line = request.Lines[0].Id;
        int? pending = null;
        foreach (var a in Actors)
        {
            pending ??= (await sessions["concuong.leader"].SendAsync<PledgeDto>(HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 2 },
                HttpStatusCode.Created)).Id;
            var expected = a switch { null => HttpStatusCode.Unauthorized, "concuong.leader" => HttpStatusCode.Forbidden, _ => HttpStatusCode.OK };
            var before = await Snapshot();
            var r = await sessions[a ?? "anonymous"].SendAsync(HttpMethod.Post, $"/api/pledges/{pending}/accept", new { });
            Assert.True(expected == r.StatusCode, $"{a}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            if (expected == HttpStatusCode.OK) pending = null; else Assert.Equal(before, await Snapshot());
        }

        // The province operator reads these changes in its audit log: rows placed in a commune are placed in its province.
        var log = await sessions["nghean.operator"].GetAsync<List<AuditDto>>("/api/audit");
        var actions = log.Select(e => e.Action).ToHashSet();
        Assert.Contains("pledge.accept", actions);
        Assert.Contains("inventory.changed", actions);
        Assert.All(log.Where(e => e.Action == "pledge.accept"), e => Assert.Equal("40", e.ProvinceCode));
    }

    [Fact]
    public async Task A_commander_whose_scope_is_not_a_defense_area_sees_no_notifications()
    {
        var leader = await SignInAsync("concuong.leader");
        var request = await (await leader.SendAsync(HttpMethod.Post, "/api/aid-requests", Body(ConCuong, await Inside(ConCuong), [new { resourceType = "boat", quantity = 2 }])))
            .ExpectJsonAsync(HttpStatusCode.Created);
        var requestId = request.GetProperty("id").GetInt32();
        // As seeded, the commander of the area sees the request open.
        var commander = await SignInAsync("kv5.commander");
        Assert.Contains((await commander.Http.GetFromJsonAsync<JsonElement>("/api/notifications")).EnumerateArray(),
            x => x.GetProperty("kind").GetString() == "request.opened" && x.GetProperty("requestId").GetInt32() == requestId);

        // The same role with the same code, but the scope is not a defense area (the admin API refuses this; the
        // database does not): the role alone grants nothing, as for every other permission.
        await using (var db = Db())
            Assert.Equal(1, await db.Users.Where(u => u.UserName == "kv5.commander").ExecuteUpdateAsync(u => u.SetProperty(x => x.ScopeKind, ScopeKinds.Commune)));
        var misfiled = await SignInAsync("kv5.commander");
        Assert.Empty((await misfiled.Http.GetFromJsonAsync<JsonElement>("/api/notifications")).EnumerateArray());
        Assert.Empty((await misfiled.Http.GetFromJsonAsync<JsonElement>("/api/notifications?after=0")).EnumerateArray());
    }

    sealed class CommandCounter : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public int Count;
        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(System.Data.Common.DbCommand command,
            Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result,
            CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Count);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    [Fact]
    public async Task Requests_with_their_lines_and_pledges_load_in_five_queries_however_many_there_are()
    {
        var leader = await SignInAsync("concuong.leader");
        var at = await Inside(ConCuong);
        var ids = new List<int>();
        foreach (var (type, hazard) in new[] { ("boat", "flood"), ("excavator", "landslide"), ("food_ration", "storm") })
        {
            var r = await (await leader.SendAsync(HttpMethod.Post, "/api/aid-requests", Body(ConCuong, at, [new { resourceType = type, quantity = 2 }, new { resourceType = "tarpaulin", quantity = 3 }], hazard)))
                .ExpectJsonAsync(HttpStatusCode.Created);
            ids.Add(r.GetProperty("id").GetInt32());
            await (await leader.SendAsync(HttpMethod.Post, "/api/pledges", new { lineId = r.GetProperty("lines")[0].GetProperty("id").GetInt32(), donorCode = ChauKhe, quantity = 1, overrideExclusion = false }))
                .ExpectJsonAsync(HttpStatusCode.Created);
        }
        async Task<(int Queries, int Requests)> Load(IReadOnlyList<int> which)
        {
            var counter = new CommandCounter();
            var options = new DbContextOptionsBuilder<Coordination.Api.Data.CoordinationDb>();
            Coordination.Api.Data.DbOptionsExtensions.UseCoordination(options, Cs).AddInterceptors(counter);
            await using var db = new Coordination.Api.Data.CoordinationDb(options.Options);
            var list = await RequestsApi.LoadManyAsync(db, which, default);
            Assert.All(list, r => Assert.Equal(2, r.Lines.Count));
            Assert.All(list, r => Assert.Single(r.Pledges));
            return (counter.Count, list.Count);
        }
        Assert.Equal((5, 1), await Load([ids[0]]));
        Assert.Equal((5, 3), await Load(ids));
    }

    [Fact]
    public async Task Refusals_carry_their_code_the_facts_to_word_them_and_a_code_per_wrong_field()
    {
        var leader = await SignInAsync("concuong.leader");
        string Code(JsonElement p) => p.GetProperty("code").GetString()!;
        Assert.Equal(AidProblems.RequestNotFound, Code(await (await leader.SendAsync(HttpMethod.Get, "/api/aid-requests/999999")).ExpectProblemAsync(HttpStatusCode.NotFound)));
        Assert.Equal(AidProblems.PledgeNotFound, Code(await (await leader.SendAsync(HttpMethod.Post, "/api/pledges/999999/accept", new { })).ExpectProblemAsync(HttpStatusCode.NotFound)));

        var bad = await (await leader.SendAsync(HttpMethod.Post, "/api/aid-requests",
            Body(ConCuong, await Inside(ChauTien), [new { resourceType = "boat", quantity = 0 }, new { resourceType = "unicorn", quantity = 1 }]))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(CommonProblems.Invalid, Code(bad));
        var fields = bad.GetProperty("fieldCodes");
        Assert.Equal(AidProblems.FieldOutsideCommune, fields.GetProperty("location")[0].GetString());
        Assert.Equal(CommonProblems.FieldOutOfRange, fields.GetProperty("lines[0].quantity")[0].GetString());
        Assert.Equal(CommonProblems.FieldUnknown, fields.GetProperty("lines[1].resourceType")[0].GetString());
        Assert.Equal(bad.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(), fields.EnumerateObject().Select(e => e.Name).Order());

        var request = await (await leader.SendAsync(HttpMethod.Post, "/api/aid-requests", Body(ConCuong, await Inside(ConCuong), [new { resourceType = "boat", quantity = 5 }])))
            .ExpectJsonAsync(HttpStatusCode.Created);
        var line = request.GetProperty("lines")[0].GetProperty("id").GetInt32();
        var ask = await (await leader.SendAsync(HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 2 })).ExpectJsonAsync(HttpStatusCode.Created);
        var notMine = await (await leader.SendAsync(HttpMethod.Post, $"/api/pledges/{ask.GetProperty("id").GetInt32()}/accept", new { })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(AidProblems.DonorSideOnly, Code(notMine));
        Assert.Equal(ChauKhe, notMine.GetProperty("donorCode").GetString());
        Assert.Equal("accept", notMine.GetProperty("move").GetString());
        Assert.Equal(AidProblems.EscalateCommandOnly,
            Code(await (await leader.SendAsync(HttpMethod.Post, $"/api/aid-requests/{request.GetProperty("id").GetInt32()}/escalate")).ExpectProblemAsync(HttpStatusCode.Forbidden)));
        var twice = await (await leader.SendAsync(HttpMethod.Post, "/api/pledges", new { lineId = line, donorCode = ChauKhe, quantity = 1 })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(AidProblems.AlreadyAsked, Code(twice));
        Assert.Equal(ChauKhe, twice.GetProperty("donorCode").GetString());
    }
}
