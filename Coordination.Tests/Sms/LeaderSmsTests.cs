using System.Globalization;
using System.Text.RegularExpressions;
using Coordination.Api.Alerts;
using Coordination.Api.Alerts.Sms;
using Coordination.Api.Identity;
using Coordination.Api.MutualAid;
using Coordination.Tests.Aid;
using Coordination.Tests.Alerts;
using static Coordination.Tests.Alerts.SmsHost;

namespace Coordination.Tests.Sms;

/// <summary>
/// The officials' SMS channel end to end through the signed gateway webhook (README "SMS commands"): the Con Cuông
/// case by SMS alone, who is speaking (registered phones only, within their scope), confirmation codes that are
/// used once and expire, one reply per inbound message, audit rows naming the channel, and notifications by SMS
/// with the per-phone limit. Every reply fits two GSM-7 segments.
/// </summary>
[Collection("postgis")]
public sealed partial class LeaderSmsTests(PostgisFixture fixture) : SmsApiTest(fixture)
{
    const string LeaderPhone = "+84912000001", DutyPhone = "+84912000002", Stranger = "+84912000099";

    protected override bool Twilio => false;
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Sms:Notifications:IntervalSeconds"] = "0.2", ["Sms:Notifications:MaxPerWindow"] = "3", ["Aid:Escalation"] = "false",
    };

    [GeneratedRegex(@"YC (\d+)")] private static partial Regex RequestNumber();
    [GeneratedRegex(@"de nghi (\d+)")] private static partial Regex PledgeNumber();
    [GeneratedRegex(@"XN (\d{4})")] private static partial Regex Code();

    /// <summary>Con Cuông's leader has a registered mobile; Châu Khê's duty desk a mobile duty phone; Châu Khê has 10 boats.</summary>
    async Task RegisterPhonesAsync()
    {
        var admin = await SignInAsync("admin.demo");
        var users = await admin.GetAsync<List<UserDto>>("/api/admin/users");
        var leader = users.Single(u => u.UserName == "concuong.leader");
        await admin.SendAsync<UserDto>(HttpMethod.Put, $"/api/admin/users/{leader.Id}", new
        {
            displayName = leader.DisplayName, role = leader.Role, scopeKind = leader.Scope!.Kind, scopeCode = leader.Scope.Code, alertSender = false, phone = "0912 000 001",
        }, HttpStatusCode.OK);
        var chauKhe = await SignInAsync("chaukhe.leader");
        (await chauKhe.SendAsync(HttpMethod.Put, $"/api/communes/{ChauKhe}/contact", new { dutyPhone = "0912 000 002", dutyOfficer = "Trực ban Châu Khê" })).EnsureSuccessStatusCode();
        await AidTestData.StockAsync(Host.ConnectionString, ChauKhe, "boat", 10);
    }

    static long _id;

    /// <summary>One SMS in through the signed webhook (a new gateway id each time unless given); its one reply, checked to fit two GSM-7 segments.</summary>
    async Task<string> Sms(string from, string body, string? id = null)
    {
        var reply = (await (await Host.GatewayAsync(from, body, id ?? $"t-{Interlocked.Increment(ref _id)}")).ExpectAsync<GatewayReply>(HttpStatusCode.OK)).Reply;
        var count = SmsText.Count(reply);
        Assert.True(count.Encoding == "GSM-7" && count.Segments <= 2, $"reply is {count.Encoding} in {count.Segments} segments: {reply}");
        return reply;
    }

    Task<T> Scalar<T>(string sql) => Host.ScalarAsync<T>(sql);

    static int Number(Regex r, string text)
    {
        var m = r.Match(text);
        Assert.True(m.Success, $"no {r} in: {text}");
        return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for the relay to queue a notification SMS to the phone whose text contains the words.</summary>
    async Task<string> NotifiedAsync(string phone, string words)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var conn = new NpgsqlConnection(Host.ConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT body FROM sms_messages WHERE kind = 'notification' AND phone = @p AND body LIKE @w ORDER BY id DESC LIMIT 1", conn);
            cmd.Parameters.AddWithValue("p", phone);
            cmd.Parameters.AddWithValue("w", "%" + words + "%");
            if (await cmd.ExecuteScalarAsync() is string body) return body;
            await Task.Delay(100);
        }
        Assert.Fail($"no notification SMS to {phone} with \"{words}\"");
        return "";
    }

    /// <summary>Sends the command, checks it asks for a code and changed nothing yet, confirms it; the confirmation's reply.</summary>
    async Task<string> ConfirmedAsync(string from, string command, int pledge)
    {
        var before = await Scalar<string>($"SELECT status FROM pledges WHERE id = {pledge}");
        var ask = await Sms(from, command);
        var code = Number(Code(), ask).ToString(CultureInfo.InvariantCulture);
        Assert.Equal(before, await Scalar<string>($"SELECT status FROM pledges WHERE id = {pledge}"));
        return await Sms(from, "XN " + code);
    }

    [Fact]
    public async Task The_Con_Cuong_case_runs_entirely_by_SMS()
    {
        await RegisterPhonesAsync();
        // File: 6 boats and 20 militia for hamlet Tiến Thành, with diacritics and in any case.
        var filed = await Sms(LeaderPhone, "yc thuyền 6 DQ 20 Tiến Thành");
        var request = Number(RequestNumber(), filed);
        Assert.Equal(ConCuong, await Scalar<string>($"SELECT commune_code FROM aid_requests WHERE id = {request}"));
        Assert.Equal(2L, await Scalar<long>($"SELECT count(*) FROM aid_request_lines WHERE request_id = {request}"));
        Assert.Contains("Tien Thanh", filed);
        Assert.Contains($"HOI {request} CHAU KHE", filed);   // Châu Khê, a ring-1 neighbour with boats, is suggested with the command to ask it
        // Audited like the web, as the leader, with the channel named.
        Assert.Equal("sms", await Scalar<string>($"SELECT channel FROM audit_events WHERE action = 'aid_request.filed' AND entity_id = '{request}'"));
        Assert.Equal("concuong.leader", await Scalar<string>($"SELECT actor_name FROM audit_events WHERE action = 'aid_request.filed' AND entity_id = '{request}'"));

        // Ask Châu Khê for 5 boats; its duty phone receives the ask with the short code to answer.
        var asked = await Sms(LeaderPhone, $"HOI {request} CHAU KHE 5 THUYEN");
        var pledge = Number(PledgeNumber(), asked);
        Assert.Equal(ChauKhe, await Scalar<string>($"SELECT donor_code FROM pledges WHERE id = {pledge}"));
        Assert.Contains($"NHAN {pledge}", await NotifiedAsync(DutyPhone, $"NHAN {pledge}"));

        // Châu Khê accepts fewer (4): asked for a code first, nothing reserved until the code comes back.
        var accepted = await ConfirmedAsync(DutyPhone, $"NHAN {pledge} 4", pledge);
        Assert.Contains($"de nghi {pledge}", accepted);
        Assert.Equal("accepted", await Scalar<string>($"SELECT status FROM pledges WHERE id = {pledge}"));
        Assert.Equal(4, await Scalar<int>($"SELECT quantity_accepted FROM pledges WHERE id = {pledge}"));
        Assert.Equal((10, 4), await AidTestData.StockOfAsync(Host.ConnectionString, ChauKhe, "boat"));
        Assert.Equal("duty.17248", await Scalar<string>($"SELECT actor_name FROM audit_events WHERE action = 'pledge.accept' AND entity_id = '{pledge}'"));
        Assert.Equal("sms", await Scalar<string>($"SELECT channel FROM audit_events WHERE action = 'pledge.accept' AND entity_id = '{pledge}'"));
        // The requester hears of it by SMS, with the command to follow the request; the dispatch tells it how to report the arrival.
        await NotifiedAsync(LeaderPhone, $"Theo doi: TT {request}");

        // Dispatched by the donor, arrived at the requester with the person-turns.
        Assert.Contains("xuat phat", await ConfirmedAsync(DutyPhone, $"DI {pledge}", pledge));
        Assert.Equal("dispatched", await Scalar<string>($"SELECT status FROM pledges WHERE id = {pledge}"));
        await NotifiedAsync(LeaderPhone, $"Khi toi: DEN {pledge}");
        Assert.Contains("da den", await ConfirmedAsync(LeaderPhone, $"DEN {pledge} 900", pledge));
        Assert.Equal("arrived", await Scalar<string>($"SELECT status FROM pledges WHERE id = {pledge}"));
        Assert.Equal(900, await Scalar<int>($"SELECT person_turns FROM pledges WHERE id = {pledge}"));
        Assert.Equal((6, 0), await AidTestData.StockOfAsync(Host.ConnectionString, ChauKhe, "boat"));

        // The status in one SMS.
        var status = await Sms(LeaderPhone, $"TT {request}");
        Assert.Contains($"YC {request} CON CUONG", status);
        Assert.Contains("thuyen 6: nhan 4", status);
    }

    [Fact]
    public async Task Unknown_numbers_learn_nothing_and_officials_act_only_within_their_scope()
    {
        await RegisterPhonesAsync();
        var leader = await SignInAsync("concuong.leader");
        var request = await AidTestData.FileAsync(leader, Host.ConnectionString, ConCuong, null, ("boat", 3));
        var requests = await Scalar<long>("SELECT count(*) FROM aid_requests");

        // An unregistered number: the same answer whatever it asks, and nothing written but the inbound row.
        var unknown = await Sms(Stranger, $"TT {request.Id}");
        Assert.Equal(await Sms(Stranger, "YC THUYEN 6"), unknown);
        Assert.DoesNotContain(request.Id.ToString(CultureInfo.InvariantCulture), unknown);
        Assert.Equal(requests, await Scalar<long>("SELECT count(*) FROM aid_requests"));

        // Con Cuông's leader asks Châu Khê; Con Cuông cannot answer Châu Khê's ask (the donor side), by SMS as on the web.
        var pledge = Number(PledgeNumber(), await Sms(LeaderPhone, $"HOI {request.Id} CHAU KHE 2"));
        var refused = await Sms(LeaderPhone, $"NHAN {pledge}");
        Assert.Contains("Chi xa duoc hoi", refused);
        Assert.DoesNotMatch(Code(), refused);   // refused at once: no code is issued for what would be refused
        Assert.Equal("requested", await Scalar<string>($"SELECT status FROM pledges WHERE id = {pledge}"));
        Assert.Equal(0L, await Scalar<long>("SELECT count(*) FROM sms_confirmations"));

        // A forged webhook changes nothing.
        var inbound = await Scalar<long>("SELECT count(*) FROM inbound_sms");
        Assert.Equal(HttpStatusCode.Forbidden, (await Host.GatewayAsync(DutyPhone, $"NHAN {pledge}", "forged-1", secret: "wrong-secret")).StatusCode);
        Assert.Equal(inbound, await Scalar<long>("SELECT count(*) FROM inbound_sms"));
        Assert.Equal("requested", await Scalar<string>($"SELECT status FROM pledges WHERE id = {pledge}"));
    }

    [Fact]
    public async Task A_confirmation_code_is_used_once_expires_and_is_checked_again_when_used()
    {
        await RegisterPhonesAsync();
        var leader = await SignInAsync("concuong.leader");
        var request = await AidTestData.FileAsync(leader, Host.ConnectionString, ConCuong, null, ("boat", 8));
        var pledge = Number(PledgeNumber(), await Sms(LeaderPhone, $"HOI {request.Id} CHAU KHE 8"));

        // Expired: refused, nothing reserved.
        var code = Number(Code(), await Sms(DutyPhone, $"NHAN {pledge}"));
        await Host.ExecAsync("UPDATE sms_confirmations SET expires_at = now() - interval '1 second'");
        Assert.Contains("het han", await Sms(DutyPhone, $"XN {code}"));
        Assert.Equal("requested", await Scalar<string>($"SELECT status FROM pledges WHERE id = {pledge}"));

        // A code from another phone is not this phone's.
        code = Number(Code(), await Sms(DutyPhone, $"NHAN {pledge}"));
        Assert.Contains("khong dung", await Sms(LeaderPhone, $"XN {code}"));

        // The stock went down meanwhile (the web): the rules are applied again at XN, and it is refused then.
        await AidTestData.StockAsync(Host.ConnectionString, ChauKhe, "boat", 2);
        Assert.Contains("Khong du", await Sms(DutyPhone, $"XN {code}"));
        Assert.Equal("requested", await Scalar<string>($"SELECT status FROM pledges WHERE id = {pledge}"));
        Assert.Equal((2, 0), await AidTestData.StockOfAsync(Host.ConnectionString, ChauKhe, "boat"));

        // Used once: the second XN of a code that worked finds it used.
        code = Number(Code(), await Sms(DutyPhone, $"NHAN {pledge} 2"));
        Assert.Contains($"de nghi {pledge}", await Sms(DutyPhone, $"XN {code}"));
        Assert.Contains("da dung", await Sms(DutyPhone, $"XN {code}"));
        Assert.Equal((2, 2), await AidTestData.StockOfAsync(Host.ConnectionString, ChauKhe, "boat"));
        Assert.Equal(1L, await Scalar<long>($"SELECT count(*) FROM audit_events WHERE action = 'pledge.accept' AND entity_id = '{pledge}'"));
    }

    [Fact]
    public async Task A_bad_message_gets_one_error_reply_and_a_repeated_delivery_is_answered_once()
    {
        await RegisterPhonesAsync();
        // Wrong forms: one reply each, saying the right form; nothing filed.
        Assert.Contains("Dung: YC", await Sms(LeaderPhone, "YC THUYEN"));
        Assert.Contains("Khong co loai", await Sms(LeaderPhone, "YC TAUBAY 3"));
        Assert.Contains("MAYBOM", await Sms(LeaderPhone, "YC MAY 2"));   // ambiguous: the candidates are listed
        Assert.Equal(0L, await Scalar<long>("SELECT count(*) FROM aid_requests"));

        // The same gateway delivery three times: one request, one inbound row, the same reply.
        var first = await Sms(LeaderPhone, "YC CANO 1 BAN XOP", id: "dup-1");
        Assert.Equal(first, await Sms(LeaderPhone, "YC CANO 1 BAN XOP", id: "dup-1"));
        Assert.Equal(first, await Sms(LeaderPhone, "YC CANO 1 BAN XOP", id: "dup-1"));
        Assert.Equal(1L, await Scalar<long>("SELECT count(*) FROM aid_requests"));
        Assert.Equal(1L, await Scalar<long>("SELECT count(*) FROM inbound_sms WHERE external_id = 'dup-1'"));

        // KHO sets the commune's stock, confirmed, all items or none.
        var code = Number(Code(), await Sms(LeaderPhone, "KHO THUYEN 5 AOPHAO 40"));
        Assert.Contains("thuyen 5", await Sms(LeaderPhone, $"XN {code}"));
        Assert.Equal((5, 0), await AidTestData.StockOfAsync(Host.ConnectionString, ConCuong, "boat"));
        Assert.Equal((40, 0), await AidTestData.StockOfAsync(Host.ConnectionString, ConCuong, "life_jacket"));
    }

    /// <summary>One more request of Con Cuông for a boat (a possible duplicate of the others, confirmed).</summary>
    async Task<RequestDto> FileAnotherAsync(Session leader, string description)
    {
        var at = await Coordination.Tests.Hazards.HazardTestData.LabelPointAsync(Host.ConnectionString, ConCuong);
        return await leader.SendAsync<RequestDto>(HttpMethod.Post, "/api/aid-requests", new
        {
            communeCode = ConCuong, lon = at.Lon, lat = at.Lat, hamlet = "Bản Tiến Thành", hazard = "flood", urgency = "urgent", description,
            lines = new[] { new { resourceType = "boat", quantity = 1 } }, confirmDuplicate = true,
        }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Notifications_by_SMS_respect_the_chosen_kinds_and_the_per_phone_limit()
    {
        await RegisterPhonesAsync();
        var leader = await SignInAsync("concuong.leader");
        // Five asks to Châu Khê within a window of three: three SMS to its duty phone, the other two held for a digest.
        for (var i = 0; i < 5; i++)
        {
            var request = await FileAnotherAsync(leader, $"r{i}");
            (await leader.SendAsync(HttpMethod.Post, "/api/pledges", new { lineId = request.Lines[0].Id, donorCode = ChauKhe, quantity = 1 })).EnsureSuccessStatusCode();
        }
        for (var i = 0; i < 100 && await Scalar<long>($"SELECT coalesce(sum(held), 0) FROM notification_sms_budgets WHERE phone = '{DutyPhone}'") < 2; i++) await Task.Delay(100);
        Assert.Equal(3L, await Scalar<long>($"SELECT count(*) FROM sms_messages WHERE kind = 'notification' AND phone = '{DutyPhone}'"));
        Assert.Equal(2, await Scalar<int>($"SELECT held FROM notification_sms_budgets WHERE phone = '{DutyPhone}'"));
        // The window ends: one digest for what was held.
        await Host.ExecAsync($"UPDATE notification_sms_budgets SET window_start = now() - interval '1 hour' WHERE phone = '{DutyPhone}'");
        Assert.Contains("Co them 2 thong bao", await NotifiedAsync(DutyPhone, "Co them"));

        // An official who chose only escalations gets no ask by SMS.
        var admin = await SignInAsync("admin.demo");
        var users = await admin.GetAsync<List<UserDto>>("/api/admin/users");
        var chauKheLeader = users.Single(u => u.UserName == "chaukhe.leader");
        await admin.SendAsync<UserDto>(HttpMethod.Put, $"/api/admin/users/{chauKheLeader.Id}", new
        {
            displayName = chauKheLeader.DisplayName, role = chauKheLeader.Role, scopeKind = "commune", scopeCode = ChauKhe, alertSender = false,
            phone = "0912000003",
        }, HttpStatusCode.OK);
        // The official chooses the kinds themselves; an unknown kind is refused and changes nothing.
        var self = await SignInAsync("chaukhe.leader");
        await (await self.SendAsync(HttpMethod.Put, "/api/auth/me/sms", new { smsNotify = new[] { "escalation", "gossip" } })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Null((await self.GetAsync<SmsSettingsDto>("/api/auth/me/sms")).SmsNotify);
        var mine = await self.SendAsync<SmsSettingsDto>(HttpMethod.Put, "/api/auth/me/sms", new { smsNotify = new[] { "escalation" } }, HttpStatusCode.OK);
        Assert.Equal("+84912000003", mine.Phone);
        Assert.Equal(["escalation"], mine.SmsNotify!);
        var last = await FileAnotherAsync(leader, "last");
        (await leader.SendAsync(HttpMethod.Post, "/api/pledges", new { lineId = last.Lines[0].Id, donorCode = ChauKhe, quantity = 1 })).EnsureSuccessStatusCode();
        var relayed = await Scalar<long>("SELECT last_notification_id FROM notification_sms_cursors");
        for (var i = 0; i < 100 && await Scalar<long>("SELECT last_notification_id FROM notification_sms_cursors") == relayed; i++) await Task.Delay(100);
        Assert.Equal(0L, await Scalar<long>("SELECT count(*) FROM sms_messages WHERE phone = '+84912000003'"));

        // A phone speaks for one official: a second user with it is refused.
        var problem = await (await admin.SendAsync(HttpMethod.Post, "/api/admin/users", new
        {
            userName = "other.leader", displayName = "Khác", role = "commune_leader", scopeKind = "commune", scopeCode = ConCuong, phone = "0912 000 003",
        })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(IdentityProblems.PhoneTaken, problem.GetProperty("code").GetString());
    }
}

/// <summary>
/// The same exchange through the Android gateway, both ways, with nothing between the test and the app but the phone:
/// the leaders' SMS arrive as signed sms:received events from the fake phone, and every reply and notification
/// leaves through the outbox, the dispatcher and the phone's send API — the Châu Khê duty phone receives the ask
/// with its short command, answers with fewer, and receives the confirmation code and then the result.
/// </summary>
[Collection("postgis")]
public sealed partial class LeaderSmsThroughThePhoneTests(PostgisFixture fixture) : GatewayApiTest(fixture)
{
    protected override bool Twilio => false;
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var s = base.Settings;
            s["Sms:Notifications:IntervalSeconds"] = "0.2";
            s["Aid:Escalation"] = "false";
            return s;
        }
    }

    [GeneratedRegex(@"YC (\d+)")] private static partial Regex RequestNumber();
    [GeneratedRegex(@"de nghi (\d+)")] private static partial Regex PledgeNumber();
    [GeneratedRegex(@"XN (\d{4})")] private static partial Regex Code();

    /// <summary>What the phone has sent to a number, in order.</summary>
    async Task<List<string>> SentToAsync(string phone) =>
        (await Gateway.ReceivedAsync()).GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("phoneNumber").GetString() == phone).Select(m => m.GetProperty("text").GetString()!).ToList();

    /// <summary>Texts the phone, then waits until the phone has sent that number a new message matching the pattern; returns it.</summary>
    async Task<string> ExchangeAsync(string from, string text, Regex expect)
    {
        var before = (await SentToAsync(from)).Count;
        await Gateway.InboundAsync(from, text);
        for (var i = 0; i < 300; i++)
        {
            var sent = await SentToAsync(from);
            if (sent.Skip(before).FirstOrDefault(expect.IsMatch) is { } reply) return reply;
            await Task.Delay(100);
        }
        Assert.Fail($"no reply to \"{text}\" matching {expect}; the phone sent {from}: {string.Join(" | ", await SentToAsync(from))}");
        return "";
    }

    static string Group(Regex r, string text) => r.Match(text).Groups[1].Value;

    [Fact]
    public async Task Con_Cuong_files_asks_and_Chau_Khe_answers_entirely_through_the_phone()
    {
        var admin = await SignInAsync("admin.demo");
        var leader = (await admin.GetAsync<List<UserDto>>("/api/admin/users")).Single(u => u.UserName == "concuong.leader");
        await admin.SendAsync<UserDto>(HttpMethod.Put, $"/api/admin/users/{leader.Id}", new
        {
            displayName = leader.DisplayName, role = leader.Role, scopeKind = "commune", scopeCode = ConCuong, alertSender = false, phone = "0912 000 021",
        }, HttpStatusCode.OK);
        var chauKhe = await SignInAsync("chaukhe.leader");
        (await chauKhe.SendAsync(HttpMethod.Put, $"/api/communes/{ChauKhe}/contact", new { dutyPhone = "0912 000 022" })).EnsureSuccessStatusCode();
        await AidTestData.StockAsync(Host.ConnectionString, ChauKhe, "boat", 10);
        const string conCuong = "+84912000021", chauKheDuty = "+84912000022";

        var request = Group(RequestNumber(), await ExchangeAsync(conCuong, "YC THUYEN 6 DQ 20 TIEN THANH", RequestNumber()));
        var asked = await ExchangeAsync(conCuong, $"HOI {request} CHAU KHE 5 THUYEN", PledgeNumber());
        var pledge = Group(PledgeNumber(), asked);
        // The ask reaches Châu Khê's duty phone with the command to answer it.
        await PollAsync(() => SentToAsync(chauKheDuty), l => l.Any(t => t.Contains($"NHAN {pledge}")), "the ask at Châu Khê's duty phone");
        var code = Group(Code(), await ExchangeAsync(chauKheDuty, $"NHAN {pledge} 4", Code()));
        Assert.Equal("requested", await Host.ScalarAsync<string>($"SELECT status FROM pledges WHERE id = {pledge}"));
        await ExchangeAsync(chauKheDuty, $"XN {code}", new Regex($"Da nhan de nghi {pledge}: 4 thuyen"));
        Assert.Equal(4, await Host.ScalarAsync<int>($"SELECT quantity_accepted FROM pledges WHERE id = {pledge}"));
        // Con Cuông's leader is told by SMS, with the command to follow the request.
        await PollAsync(() => SentToAsync(conCuong), l => l.Any(t => t.Contains($"TT {request}") && t.Contains("Chau Khe")), "the acceptance at Con Cuông's phone");
        // One reply per message: the phone sent each number exactly what it was owed, no duplicates.
        var received = await Gateway.ReceivedAsync();
        Assert.Equal(0, received.GetProperty("duplicates").GetInt32());
    }

    [GeneratedRegex(@"CUU #(\d+)")] private static partial Regex ReportNumber();

    [Fact]
    public async Task A_citizens_call_for_help_is_acknowledged_and_answered_again_when_handled()
    {
        const string citizen = "+84912000031";
        var ack = await ExchangeAsync(citizen, "CUU BAN XIENG XA CON CUONG 12 nuoc len mai nha", ReportNumber());
        var report = Group(ReportNumber(), ack);
        Assert.Contains("12 nguoi", ack);
        Assert.Equal(ConCuong, await Host.ScalarAsync<string>($"SELECT commune_code FROM help_reports WHERE id = {report}"));
        // Con Cuông's leader sees it and marks it handled: the citizen gets a second SMS, through the phone.
        var leader = await SignInAsync("concuong.leader");
        (await leader.SendAsync(HttpMethod.Post, $"/api/help-reports/{report}/handle", new { outcome = "handled" })).EnsureSuccessStatusCode();
        var second = await PollAsync(() => SentToAsync(citizen), l => l.Count == 2, "the second SMS to the citizen");
        Assert.Contains($"#{report}", second[1]);
        // A bad CUU is answered with the right form, and files nothing.
        Assert.Contains("CUU <", await ExchangeAsync("+84912000032", "CUU", new Regex("CUU <")));
        Assert.Equal(1L, await Host.ScalarAsync<long>("SELECT count(*) FROM help_reports"));
    }
}
