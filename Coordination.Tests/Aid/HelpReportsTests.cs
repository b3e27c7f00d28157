using Coordination.Api.MutualAid;
using Coordination.Api.MutualAid.HelpReports;
using Coordination.Api.MutualAid.Sms;
using static Coordination.Tests.Hazards.HazardTestData;

namespace Coordination.Tests.Aid;

/// <summary>
/// Citizens' CUU/SOS SMS against PostGIS: where a report belongs (a hamlet named, a pre-merger commune name, the
/// sender's subscribed commune), what the citizen is answered (never another citizen's data), the rate limit and
/// repeated deliveries; then the commune's screen: list, handle, duplicate, convert into an aid request.
/// </summary>
[Collection("postgis")]
public class HelpReportsTests(PostgisFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    static readonly SmsGrammar Grammar = SmsGrammar.For(Catalogue.Default.Select(t => (t.Code, t.NameVi)));
    static readonly DateTime T0 = new(2026, 7, 22, 3, 0, 0, DateTimeKind.Utc);
    int _message;

    static SmsCommand.Help Parse(string text)
    {
        var (command, error) = Grammar.Parse(text);
        Assert.Null(error);
        return Assert.IsType<SmsCommand.Help>(command);
    }

    /// <summary>One inbound SMS through the intake, as the gateway's handler will call it (a fresh message id unless given).</summary>
    async Task<string> Sms(string phone, string text, DateTime? at = null, string? id = null, string channel = "gateway")
    {
        await using var db = Db();
        var reply = await HelpReportIntake.FileAsync(db, channel, id ?? $"m{++_message}", phone, Parse(text), at ?? T0, CancellationToken.None);
        output.WriteLine($"{phone} «{text}» → «{reply}»");
        return reply;
    }

    async Task<List<HelpReport>> Reports()
    {
        await using var db = Db();
        return await db.Set<HelpReport>().AsNoTracking().OrderBy(r => r.Id).ToListAsync();
    }

    async Task<int> HamletAsync(string commune, string name, double east = 300)
    {
        var at = East(await LabelPointAsync(Cs, commune), east);
        await using var conn = new NpgsqlConnection(Cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO hamlets (commune_code, name, search_key, location, flood_prone, is_sample, updated_at, updated_by)
            VALUES (@c, @n, @k, ST_SetSRID(ST_MakePoint(@x, @y), 4326), false, false, now(), 'test') RETURNING id
            """, conn);
        cmd.Parameters.AddWithValue("c", commune); cmd.Parameters.AddWithValue("n", name); cmd.Parameters.AddWithValue("k", SearchKey.Fold(name));
        cmd.Parameters.AddWithValue("x", at.Lon); cmd.Parameters.AddWithValue("y", at.Lat);
        return (int)(await cmd.ExecuteScalarAsync())!;
    }

    async Task SubscribeAsync(string phone, params string[] communes)
    {
        await using var conn = new NpgsqlConnection(Cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            WITH s AS (INSERT INTO subscribers (phone, prefers_folded, consent_source, consent_at, opted_out, test_group, created_at, updated_at)
                       VALUES (@p, false, 'official', now(), false, false, now(), now()) RETURNING id)
            INSERT INTO subscriber_communes (subscriber_id, commune_code) SELECT s.id, c FROM s, unnest(@c::text[]) AS c
            """, conn);
        cmd.Parameters.AddWithValue("p", phone); cmd.Parameters.AddWithValue("c", communes);
        await cmd.ExecuteNonQueryAsync();
    }

    static void OneGsmSms(string reply)
    {
        Assert.True(reply.Length <= 160, $"{reply.Length} characters: {reply}");
        Assert.True(reply.All(ch => ch is >= ' ' and <= '~' && ch is not ('[' or ']' or '{' or '}' or '\\' or '^' or '~' or '|')), $"not plain GSM-7: {reply}");
    }

    [Fact]
    public async Task A_hamlet_named_in_the_text_places_the_report_in_its_commune()
    {
        var xop = await HamletAsync(ChauKhe, "Bản Xốp");
        var tienThanh = await HamletAsync(ConCuong, "Thôn Tiến Thành");
        await SubscribeAsync("+84912000001", ConCuong);

        // With diacritics: answered with them; the hamlet of the registry, the number, what is needed as written.
        var reply = await Sms("0912 000 002", "SOS Bản Xốp 5 cần thuyền");
        var first = Assert.Single(await Reports());
        Assert.Equal((ChauKhe, (int?)xop, (int?)5, "Bản Xốp", "cần thuyền"), (first.CommuneCode, first.HamletId, first.People, first.Place, first.What));
        Assert.Equal("+84912000002", first.Phone);
        Assert.Equal(HelpReportStatus.Open, first.Status);
        Assert.False(first.Plain);
        Assert.Equal($"Đã nhận tin CỨU #{first.Id} của bạn: 5 người ở Bản Xốp, xã Châu Khê. Xã sẽ liên hệ. Gọi 112 nếu khẩn cấp.", reply);

        // Without diacritics, from a subscriber of Con Cuông: "Tiến Thành" is also a pre-merger commune (now in Bình
        // Minh), but the hamlet of the sender's own commune wins; the reply is one GSM-7 SMS.
        var plain = await Sms("+84912000001", "CUU TIEN THANH 12 nuoc ngap mai nha");
        var second = (await Reports())[1];
        Assert.Equal((ConCuong, (int?)tienThanh, (int?)12, "TIEN THANH", "nuoc ngap mai nha"), (second.CommuneCode, second.HamletId, second.People, second.Place, second.What));
        Assert.True(second.Plain);
        Assert.Equal($"Da nhan tin CUU #{second.Id} cua ban: 12 nguoi o Thon Tien Thanh, xa Con Cuong. Xa se lien he. Goi 112 neu khan cap.", plain);
        OneGsmSms(plain);

        // A hamlet and its commune, the number of people first.
        await Sms("+84912000003", "cuu 3 nguoi ban xop chau khe sat lo");
        var third = (await Reports())[2];
        Assert.Equal((ChauKhe, (int?)xop, "ban xop chau khe", "sat lo"), (third.CommuneCode, third.HamletId, third.Place, third.What));

        // Those who act for the commune (the audience "commune": its leaders and the command above) are told at once,
        // with the number to call back first (a notification relayed by SMS to a keypad phone may be shortened).
        await using var db = Db();
        var told = await db.Notifications.Where(n => n.Kind == "help.reported").OrderBy(n => n.Id).ToListAsync();
        Assert.Equal([ChauKhe, ConCuong, ChauKhe], told.Select(n => n.CommuneCode).ToArray());
        Assert.All(told, n => Assert.Equal(Audience.Commune, n.Audience));
        Assert.Equal($"Tin CỨU #{second.Id} (gọi lại 0912000001): 12 người ở Thôn Tiến Thành cần giúp: nuoc ngap mai nha.", told[1].TextVi);
        Assert.StartsWith($"Help report #{second.Id} (call back 0912000001): 12 people at Thôn Tiến Thành", told[1].TextEn);
        Assert.Equal(3, await db.AuditEvents.CountAsync(e => e.Action == HelpAudit.Reported));
    }

    [Fact]
    public async Task Pre_merger_commune_names_are_understood()
    {
        // Con Cuông was merged from Thị trấn Trà Lân, Xã Chi Khê and Xã Yên Khê in 2025.
        var reply = await Sms("+84912000011", "CUU Yen Khe 4 cay do chan duong");
        var r = Assert.Single(await Reports());
        Assert.Equal((ConCuong, (int?)null, (int?)4, "Yen Khe", "cay do chan duong"), (r.CommuneCode, r.HamletId, r.People, r.Place, r.What));
        Assert.Contains("4 nguoi o Yen Khe, xa Con Cuong", reply);
        OneGsmSms(reply);
        await Sms("+84912000012", "SOS 2 người xã Chi Khê lũ quét");
        Assert.Equal((ConCuong, "xã Chi Khê", "lũ quét"), ((await Reports())[1].CommuneCode, (await Reports())[1].Place, (await Reports())[1].What));
        // And the current name, with its kind word.
        await Sms("+84912000013", "CUU xa Chau Khe 6");
        Assert.Equal(ChauKhe, (await Reports())[2].CommuneCode);
    }

    [Fact]
    public async Task Without_a_place_the_report_goes_to_the_senders_subscribed_commune_and_without_either_the_citizen_is_asked()
    {
        await SubscribeAsync("+84912000021", ChauKhe);
        var reply = await Sms("+84912000021", "CUU 7 nguoi nha sap");
        var r = Assert.Single(await Reports());
        Assert.Equal((ChauKhe, (int?)7, (string?)null, "nha sap"), (r.CommuneCode, r.People, r.Place, r.What));
        Assert.Equal($"Da nhan tin CUU #{r.Id} cua ban: 7 nguoi o xa Chau Khe. Xa se lien he. Goi 112 neu khan cap.", reply);

        // An unknown place from a number subscribed nowhere: asked for the commune, nothing filed.
        var asked = await Sms("+84912000022", "CUU Atlantis 3 nguoi");
        Assert.StartsWith("Chua ro ban o xa nao. Nhan lai: CUU <thon/ban> <xa> <so nguoi>", asked);
        OneGsmSms(asked);
        Assert.Single(await Reports());
        // Two subscribed communes and no place: which one is not guessed.
        await SubscribeAsync("+84912000023", ChauKhe, ConCuong);
        Assert.StartsWith("Chua ro ban o xa nao", await Sms("+84912000023", "SOS 2"));
        Assert.Single(await Reports());
        // With diacritics, asked with them.
        Assert.StartsWith("Chưa rõ bạn ở xã nào", await Sms("+84912000022", "CỨU Đâu đó 3"));
    }

    [Fact]
    public async Task A_number_files_at_most_three_reports_in_half_an_hour_and_a_repeated_delivery_files_nothing()
    {
        await SubscribeAsync("+84912000031", ConCuong);
        for (var i = 0; i < 3; i++) Assert.StartsWith("Da nhan tin CUU #", await Sms("+84912000031", $"CUU {i + 1}", T0.AddMinutes(i)));
        var over = await Sms("+84912000031", "CUU 9 nguoi", T0.AddMinutes(10));
        Assert.Equal("Xa da nhan cac tin CUU cua so nay va se lien he. Goi 112 neu khan cap.", over);
        Assert.Equal(3, (await Reports()).Count);
        // Another number is not limited by it; the window passes.
        Assert.StartsWith("Da nhan tin CUU #", await Sms("+84912000032", "CUU xa Con Cuong 1", T0.AddMinutes(10)));
        Assert.StartsWith("Da nhan tin CUU #", await Sms("+84912000031", "CUU 9 nguoi", T0.AddMinutes(31)));
        Assert.Equal(5, (await Reports()).Count);

        // The gateway delivers the same message again: the same acknowledgement, no second report.
        var once = await Sms("+84912000033", "CUU xa Con Cuong 2 ong Lo Van Nam bi thuong", T0, id: "gw-77");
        var again = await Sms("+84912000033", "CUU xa Con Cuong 2 ong Lo Van Nam bi thuong", T0.AddSeconds(30), id: "gw-77");
        Assert.Equal(once, again);
        Assert.Equal(6, (await Reports()).Count);
        // The same id on another channel is another message.
        await Sms("+84912000033", "CUU xa Con Cuong 2", T0, id: "gw-77", channel: "twilio");
        Assert.Equal(7, (await Reports()).Count);
        // The same id from another number (a gateway's mistake): nothing filed, and nothing of the first report said.
        var other = await Sms("+84912000034", "CUU xa Con Cuong 5", T0, id: "gw-77");
        Assert.Equal(7, (await Reports()).Count);
        var first = (await Reports()).Single(r => r.ExternalId == "gw-77" && r.Channel == "gateway");
        Assert.DoesNotContain($"#{first.Id}", other);
        Assert.DoesNotContain("Lo Van Nam", other);
        Assert.DoesNotContain("2 nguoi", other);
    }

    [Fact]
    public async Task A_reply_never_tells_one_citizen_about_another()
    {
        await HamletAsync(ChauKhe, "Bản Xốp");
        await Sms("+84912000041", "CUU Ban Xop 5 ba Vi Thi Lan bi thuong nang, goi 0987654321");
        var first = Assert.Single(await Reports());
        foreach (var text in new[] { "CUU Ban Xop 2", "CUU Ban Xop", "CUU 3", "SOS Atlantis 4" })
        {
            var reply = await Sms("+84912000042", text);
            Assert.DoesNotContain("Vi Thi Lan", reply);
            Assert.DoesNotContain("0987654321", reply);
            Assert.DoesNotContain("912000041", reply);
            Assert.DoesNotContain($"#{first.Id} ", reply);
            Assert.DoesNotContain("5 nguoi", reply);
        }
        // And the intake joins the inbound handler's transaction: rolled back there, nothing stays.
        await using var db = Db();
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await HelpReportIntake.FileAsync(db, "gateway", "rolled-back", "+84912000043", Parse("CUU Ban Xop 1"), T0, CancellationToken.None);
            await tx.RollbackAsync();
        }
        Assert.DoesNotContain(await Reports(), r => r.ExternalId == "rolled-back");
    }

    // ------------------------------------------------------------------ the commune's screen

    /// <summary>The second SMS queued for the number (through the outbox), in order, joined by '|'.</summary>
    Task<string> Outbox(string phone) => QueryTextAsync(
        $"SELECT coalesce(string_agg(body, '|' ORDER BY id), '') AS \"Value\" FROM sms_messages WHERE kind = 'help_report' AND phone = '{phone}'");

    async Task<int> ReportAsync(string phone, string text, DateTime at)
    {
        await Sms(phone, text, at);
        return (await Reports()).Last().Id;
    }

    [Fact]
    public async Task Those_who_act_for_the_commune_list_its_open_reports_oldest_first_with_the_phone()
    {
        var hamlet = await HamletAsync(ConCuong, "Thôn Tiến Thành");
        var later = await ReportAsync("+84912000051", "CUU xa Con Cuong 3 nuoc len", T0.AddMinutes(5));
        var earlier = await ReportAsync("+84912000052", "CUU Tien Thanh Con Cuong 8", T0);
        var elsewhere = await ReportAsync("+84912000053", "CUU xa Chau Khe 2", T0);

        foreach (var user in new[] { "concuong.leader", "kv5.commander", "nghean.operator", "admin.demo" })
        {
            var list = await (await SignInAsync(user)).GetAsync<List<HelpReportDto>>($"/api/help-reports?commune={ConCuong}&status=open");
            Assert.Equal([earlier, later], list.Select(r => r.Id).ToArray());
            Assert.Equal("+84912000052", list[0].Phone);
            Assert.False(list[0].PhoneMasked);
            Assert.Equal((hamlet, "Thôn Tiến Thành", (int?)8), (list[0].HamletId!.Value, list[0].HamletName, list[0].People));
            Assert.NotNull(list[0].Lon);
        }
        // Without a commune: every commune the user acts for.
        var own = await (await SignInAsync("chaukhe.leader")).GetAsync<List<HelpReportDto>>("/api/help-reports?status=open");
        Assert.Equal([elsewhere], own.Select(r => r.Id).ToArray());

        var neighbour = await SignInAsync("chaukhe.leader");
        var forbidden = await (await neighbour.Http.GetAsync($"/api/help-reports?commune={ConCuong}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(CommonProblems.Forbidden, forbidden.Code());
        await (await neighbour.Http.GetAsync($"/api/help-reports/{earlier}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Anonymous().Http.GetAsync($"/api/help-reports?commune={ConCuong}")).StatusCode);
        Assert.True((await (await neighbour.Http.GetAsync("/api/help-reports?status=lost")).ExpectProblemAsync(HttpStatusCode.BadRequest)).HasError("status"));
        Assert.Equal(HelpProblems.NotFound, (await (await neighbour.Http.GetAsync("/api/help-reports/999999")).ExpectProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task Handled_once_a_second_hand_is_409_a_duplicate_names_its_report_and_outsiders_are_403()
    {
        var a = await ReportAsync("+84912000061", "CUU xa Con Cuong 3 nuoc len", T0);
        var b = await ReportAsync("+84912000062", "CUU xa Con Cuong 3 nuoc len nhanh", T0.AddMinutes(1));
        var leader = await SignInAsync("concuong.leader");

        var outsider = await (await (await SignInAsync("chaukhe.leader")).SendAsync(HttpMethod.Post, $"/api/help-reports/{a}/handle", new { outcome = "handled" }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(CommonProblems.Forbidden, outsider.Code());
        Assert.Equal(HelpReportStatus.Open, (await Reports()).Single(r => r.Id == a).Status);

        var bad = await (await leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{a}/handle", new { outcome = "ignored" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.HasError("outcome"));
        var noTarget = await (await leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{b}/handle", new { outcome = "duplicate" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noTarget.HasError("duplicateOf"));
        Assert.True((await (await leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{b}/handle", new { outcome = "duplicate", duplicateOf = b }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest)).HasError("duplicateOf"));

        var handled = await leader.SendAsync<HelpReportDto>(HttpMethod.Post, $"/api/help-reports/{a}/handle", new { outcome = "handled", note = "Đã gọi lại, dân quân đang đến" }, HttpStatusCode.OK);
        Assert.Equal((HelpReportStatus.Handled, "concuong.leader", "Đã gọi lại, dân quân đang đến"), (handled.Status, handled.HandledBy, handled.Note));
        Assert.NotNull(handled.HandledAt);
        // Twice (another leader's screen was stale): 409 with the status it has now.
        var twice = await (await leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{a}/handle", new { outcome = "handled" })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HelpProblems.State, twice.Code());
        Assert.Equal("handled", twice.Member<string>("state"));
        // The citizen's second SMS went into the outbox with the move, once; không dấu as they wrote.
        Assert.Equal($"Xa Con Cuong da xu ly tin CUU #{a} cua ban. Goi 112 neu khan cap.", await Outbox("+84912000061"));
        Assert.Equal("", await Outbox("+84912000062"));

        var duplicate = await (await SignInAsync("kv5.commander")).SendAsync<HelpReportDto>(HttpMethod.Post, $"/api/help-reports/{b}/handle", new { outcome = "duplicate", duplicateOf = a }, HttpStatusCode.OK);
        Assert.Equal((HelpReportStatus.Duplicate, (int?)a), (duplicate.Status, duplicate.DuplicateOf));
        Assert.Empty(await leader.GetAsync<List<HelpReportDto>>($"/api/help-reports?commune={ConCuong}&status=open"));
        var told = await Outbox("+84912000062");
        Assert.StartsWith($"Xa Con Cuong da nhan tin CUU #{b} cua ban", told);
        Assert.DoesNotContain($"#{a}", told);   // not the other citizen's report

        await using var db = Db();
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == HelpAudit.Handled));
        // The commander acted for the commune: the commune hears of it, naming the person.
        Assert.Single(await db.Notifications.Where(n => n.Kind == "help.duplicate_on_behalf" && n.CommuneCode == ConCuong).ToListAsync());
    }

    [Fact]
    public async Task Two_people_handling_the_same_report_at_once_one_wins_the_other_gets_409()
    {
        var a = await ReportAsync("+84912000065", "CUU xa Con Cuong 4", T0);
        var leader = await SignInAsync("concuong.leader");
        var commander = await SignInAsync("kv5.commander");
        var answers = await Task.WhenAll(
            leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{a}/handle", new { outcome = "handled" }),
            commander.SendAsync(HttpMethod.Post, $"/api/help-reports/{a}/convert", new { resourceType = "boat", quantity = 1, hazard = "flood",
                lon = (await LabelPointAsync(Cs, ConCuong)).Lon, lat = (await LabelPointAsync(Cs, ConCuong)).Lat }));
        var statuses = answers.Select(r => r.StatusCode).Order().ToArray();
        Assert.Contains(HttpStatusCode.Conflict, statuses);
        Assert.Single(statuses, s => s is HttpStatusCode.OK or HttpStatusCode.Created);
        // The loser left nothing behind: no aid request when the handle won, one SMS to the citizen either way.
        var report = (await Reports()).Single(r => r.Id == a);
        Assert.Equal(report.Status == HelpReportStatus.Converted ? "1" : "0", await QueryTextAsync("SELECT count(*)::text AS \"Value\" FROM aid_requests"));
        Assert.DoesNotContain("|", await Outbox("+84912000065"));
        Assert.NotEqual("", await Outbox("+84912000065"));
    }

    [Fact]
    public async Task The_same_Idempotency_Key_handles_once_and_answers_the_same()
    {
        var a = await ReportAsync("+84912000071", "CUU xa Con Cuong 3", T0);
        var leader = await SignInAsync("concuong.leader");
        var first = await leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{a}/handle", new { outcome = "handled" }, idempotencyKey: "tap-1");
        var second = await leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{a}/handle", new { outcome = "handled" }, idempotencyKey: "tap-1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotency-Replayed").Single());
        await using var db = Db();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == HelpAudit.Handled));
        Assert.DoesNotContain("|", await Outbox("+84912000071"));
    }

    [Fact]
    public async Task Converted_into_an_aid_request_in_one_transaction_once()
    {
        var hamlet = await HamletAsync(ConCuong, "Thôn Tiến Thành");
        var a = await ReportAsync("+84912000081", "CUU Tien Thanh Con Cuong 12 nuoc ngap mai nha", T0);
        await SubscribeAsync("+84912000082", ConCuong);
        var b = await ReportAsync("+84912000082", "CUU 2 nguoi bi ket", T0);
        var leader = await SignInAsync("concuong.leader");
        string Requests() => "SELECT count(*)::text AS \"Value\" FROM aid_requests";

        // A bad line refuses the whole conversion: no request, the report still open.
        var bad = await (await leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{a}/convert", new { resourceType = "boat", quantity = 0, hazard = "flood" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.HasError("lines[0].quantity"), bad.ToString());
        Assert.Equal("0", await QueryTextAsync(Requests()));
        // Out of scope: 403, nothing filed.
        await (await (await SignInAsync("chaukhe.leader")).SendAsync(HttpMethod.Post, $"/api/help-reports/{a}/convert", new { resourceType = "boat", quantity = 2, hazard = "flood" }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("0", await QueryTextAsync(Requests()));

        // Prefilled from the report: the hamlet's name and point, the citizen's text (not the number).
        var response = await leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{a}/convert", new { resourceType = "boat", quantity = 2, hazard = "flood" });
        var converted = await response.ExpectAsync<ConvertedHelpReport>(HttpStatusCode.Created);
        Assert.Equal($"/api/aid-requests/{converted.Request.Id}", response.Headers.Location?.ToString());
        Assert.Equal((HelpReportStatus.Converted, (int?)converted.Request.Id), (converted.Report.Status, converted.Report.AidRequestId));
        Assert.Equal((ConCuong, "Thôn Tiến Thành", "open", Urgency.LifeThreatening), (converted.Request.CommuneCode, converted.Request.Hamlet, converted.Request.Status, converted.Request.Urgency));
        Assert.Equal($"Tin CỨU #{a}: 12 người, nuoc ngap mai nha", converted.Request.Description);
        Assert.Equal(("boat", 2), (converted.Request.Lines[0].ResourceType, converted.Request.Lines[0].Quantity));
        Assert.Equal("1", await QueryTextAsync(Requests()));
        Assert.Equal(hamlet.ToString(), await QueryTextAsync($"SELECT hamlet_id::text AS \"Value\" FROM aid_requests WHERE id = {converted.Request.Id}"));

        // Again: 409, no second request.
        var twice = await (await leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{a}/convert", new { resourceType = "boat", quantity = 2, hazard = "flood" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HelpProblems.State, twice.Code());
        Assert.Equal("converted", twice.Member<string>("state"));
        Assert.Equal(HttpStatusCode.Conflict, (await leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{a}/handle", new { outcome = "handled" })).StatusCode);
        Assert.Equal("1", await QueryTextAsync(Requests()));
        Assert.Equal($"Xa Con Cuong da lap yeu cau ho tro cho tin CUU #{a} cua ban va dang dieu nguoi, phuong tien.", await Outbox("+84912000081"));

        // A report without a hamlet needs the place on the map; the same hazard soon after is a possible duplicate.
        var noPlace = await (await leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{b}/convert", new { resourceType = "boat", quantity = 1, hazard = "flood" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noPlace.HasError("location"));
        var at = await LabelPointAsync(Cs, ConCuong);
        var dup = await (await leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{b}/convert", new { resourceType = "boat", quantity = 1, hazard = "flood", lon = at.Lon, lat = at.Lat }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(AidProblems.PossibleDuplicate, dup.Code());
        Assert.Equal(HelpReportStatus.Open, (await Reports()).Single(r => r.Id == b).Status);
        Assert.Equal("", await Outbox("+84912000082"));   // refused: no SMS either
        var second = await (await leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{b}/convert",
            new { lines = new[] { new { resourceType = "militia", quantity = 10 } }, hazard = "flood", lon = at.Lon, lat = at.Lat, confirmDuplicate = true }))
            .ExpectAsync<ConvertedHelpReport>(HttpStatusCode.Created);
        Assert.Equal(converted.Request.Id, second.Request.PossibleDuplicateOf);

        // A converted report is part of an aid request any official may read: there, the citizen's number is masked.
        var donor = await (await SignInAsync("chaukhe.leader")).GetAsync<HelpReportDto>($"/api/help-reports/{a}");
        Assert.True(donor.PhoneMasked);
        Assert.Equal("+8491****081", donor.Phone);
        Assert.Equal("+84912000081", (await leader.GetAsync<HelpReportDto>($"/api/help-reports/{a}")).Phone);
        await using var db = Db();
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == HelpAudit.Converted));
    }
}
