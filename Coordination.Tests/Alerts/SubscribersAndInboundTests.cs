using System.Xml.Linq;
using Coordination.Api.Alerts.Cap;
using Coordination.Api.Alerts;
using Coordination.Api.Alerts.Sms;
using static Coordination.Tests.Alerts.SmsHost;

namespace Coordination.Tests.Alerts;

/// <summary>
/// Subscribers (single and CSV, bad input named and nothing written), inbound keywords through the local gateway and
/// Twilio's webhook (signatures, TwiML, ambiguity, pre-merger names), alert input errors, scope, CAP 1.2 and the
/// Atom feed from the running app, and the webhook rate limit.
/// </summary>
[Collection("postgis")]
public class SubscribersAndInboundTests(PostgisFixture fixture, ITestOutputHelper output) : SmsApiTest(fixture)
{

    protected override bool Twilio => false;
    protected override IDictionary<string, string?> Settings =>
        new Dictionary<string, string?> { ["Twilio:AuthToken"] = FakeTwilioServer.AuthToken, ["Sms:WebhookPermitLimit"] = "40" };

    Task<long> Count(string table) => Host.ScalarAsync<long>($"SELECT count(*) FROM {table}");

    [Fact]
    public async Task A_number_is_normalised_and_bad_numbers_or_communes_change_nothing()
    {
        var leader = await SignInAsync("chaukhe.leader");
        var s = await leader.SendAsync<SubscriberDto>(HttpMethod.Post, "/api/subscribers", new { phone = "0912 345 678", communes = new[] { ChauKhe } }, HttpStatusCode.Created);
        Assert.Equal("+84912345678", s.Phone);
        Assert.Equal("official", s.ConsentSource);
        // The same number again merges; a landline, an invalid number, an unknown commune, another commune: refused.
        await (await leader.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "+84912345678", communes = new[] { ChauKhe } })).ExpectJsonAsync(HttpStatusCode.OK);
        var landline = await (await leader.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "024 3825 1234", communes = new[] { ChauKhe } })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("landline", landline.GetProperty("detail").GetString());
        await (await leader.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0912", communes = new[] { ChauKhe } })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await leader.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0987 654 321", communes = new[] { "99999" } })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await leader.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0987 654 321", communes = new[] { ConCuong } })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await leader.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0987 654 321", communes = Array.Empty<string>() })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(1, await Count("subscribers"));
        Assert.Equal(1, await Count("subscriber_communes"));
        // Another commune's leader does not see the number.
        var other = await SignInAsync("concuong.leader");
        await (await other.Http.GetAsync($"/api/subscribers?commune={ChauKhe}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await other.GetAsync<List<SubscriberDto>>("/api/subscribers?phone=0912345678"));
        Assert.Single(await leader.GetAsync<List<SubscriberDto>>($"/api/subscribers?commune={ChauKhe}"));
    }

    [Fact]
    public async Task A_csv_with_bad_rows_names_them_and_writes_nothing_and_a_good_one_imports_in_one_go()
    {
        var commander = await SignInAsync("kv5.commander");
        var bad = "phone,communes,folded\n0912345678,17248,no\n024 3825 1234,17248,\n0987654321,99999,\n0355111222,17248,maybe\n";
        var problem = await (await commander.PostBodyAsync("/api/subscribers/import", Encoding.UTF8.GetBytes(bad), "text/csv")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var rows = problem.GetProperty("errors").GetProperty("file").EnumerateArray().Select(e => e.GetString()!).ToList();
        output.WriteLine(string.Join("\n", rows));
        Assert.Contains(rows, r => r.StartsWith("row 3:", StringComparison.Ordinal) && r.Contains("landline"));
        Assert.Contains(rows, r => r.StartsWith("row 4:", StringComparison.Ordinal) && r.Contains("99999"));
        Assert.Contains(rows, r => r.StartsWith("row 5:", StringComparison.Ordinal) && r.Contains("maybe"));
        Assert.DoesNotContain(rows, r => r.StartsWith("row 2:", StringComparison.Ordinal));
        // The same rows as facts the client words in its own language: row, code, column, value, in row order.
        var facts = problem.GetProperty("rowProblems").EnumerateArray()
            .Select(e => $"{e.GetProperty("row").GetInt32()} {e.GetProperty("code").GetString()} {e.GetProperty("column").GetString()} {e.GetProperty("value").GetString()}").ToList();
        Assert.Equal(["3 alerts.import.phone_invalid phone 024 3825 1234", "4 alerts.import.commune_unknown communes 99999",
            "5 alerts.import.flag_invalid folded maybe"], facts);
        Assert.Equal(0, await Count("subscribers"));

        // Excel's way: BOM, ';' separator, a phone that lost its leading 0, a number on two rows; one opted-out number.
        await Host.ExecAsync("INSERT INTO subscribers (phone, prefers_folded, consent_source, consent_at, opted_out, opted_out_at, test_group, created_at, updated_at) VALUES ('+84977000111', false, 'sms', now(), true, now(), false, now(), now())");
        var good = "\uFEFFphone;communes;folded;note\n912345678;17248;có;Trưởng thôn\n0987 654 321;17248 17254;;\n0987654321;17254;;\n0977000111;17248;;\n";
        var result = await (await commander.PostBodyAsync("/api/subscribers/import", Encoding.UTF8.GetBytes(good), "text/csv")).ExpectAsync<ImportResult>(HttpStatusCode.OK);
        output.WriteLine(result.ToString());
        Assert.Equal(2, result.Created);
        Assert.Equal(5, Assert.Single(result.OptedOutNotAdded).Row);
        Assert.Equal(3, await Count("subscribers"));
        Assert.True(await Host.ScalarAsync<bool>("SELECT prefers_folded FROM subscribers WHERE phone = '+84912345678'"));
        Assert.Equal("Trưởng thôn", await Host.ScalarAsync<string>("SELECT note FROM subscribers WHERE phone = '+84912345678'"));
        Assert.Equal(2, await Host.ScalarAsync<long>("SELECT count(*) FROM subscriber_communes sc JOIN subscribers s ON s.id = sc.subscriber_id WHERE s.phone = '+84987654321'"));
        Assert.Equal(0, await Host.ScalarAsync<long>("SELECT count(*) FROM subscriber_communes sc JOIN subscribers s ON s.id = sc.subscriber_id WHERE s.phone = '+84977000111'"));
        // A leader may not import into a commune it does not act for: 403, nothing written.
        var leader = await SignInAsync("chaukhe.leader");
        await (await leader.PostBodyAsync("/api/subscribers/import", Encoding.UTF8.GetBytes("phone,communes\n0901234567,17254\n"), "text/csv")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(3, await Count("subscribers"));
    }

    Task<HttpResponseMessage> Gateway(string from, string body, string? id = null, string? secret = GatewaySecret, long? at = null) =>
        Host.GatewayAsync(from, body, id, secret, at);

    async Task<string> Reply(string from, string body, string? id = null) =>
        (await (await Gateway(from, body, id)).ExpectAsync<GatewayReply>(HttpStatusCode.OK)).Reply;

    [Fact]
    public async Task Keywords_subscribe_opt_out_and_back_with_or_without_diacritics()
    {
        var r = await Reply("0912345678", "DK 17248");
        Assert.Contains("Chau Khe", r);   // written without diacritics: answered without them
        Assert.Equal("sms", await Host.ScalarAsync<string>("SELECT consent_source FROM subscribers WHERE phone = '+84912345678'"));
        // Without diacritics the reply comes without them too; a name works as well as a code.
        var plain = await Reply("0912345678", "dk con cuong");
        Assert.Contains("Con Cuong", plain);
        Assert.Equal(plain, SmsText.Fold(plain));
        Assert.Equal(2, await Count("subscriber_communes"));
        // Names collide once diacritics are gone: Thành Sơn and Thanh Sơn were both merged away in 2025.
        var ambiguous = await Reply("0912345678", "DK Thanh Son");
        output.WriteLine(ambiguous);
        output.WriteLine(await Host.ScalarAsync<string>("SELECT array_to_string(former_keys, '|') || ' / ' || search_key FROM communes WHERE code = '17335'"));
        Assert.Contains("17335", ambiguous);
        Assert.Contains("17759", ambiguous);
        Assert.Equal(2, await Count("subscriber_communes"));
        var exact = await Reply("0912345678", "DK Thành Sơn");   // typed with diacritics: one candidate, a pre-merger name
        Assert.Contains("Thành Bình Thọ", exact);
        Assert.Equal(3, await Count("subscriber_communes"));
        Assert.Contains("khong tim thay", (await Reply("0912345678", "DK Atlantis")).ToLowerInvariant());

        Assert.Contains("Ngừng", await Reply("0912345678", "Hủy"), StringComparison.OrdinalIgnoreCase);
        Assert.True(await Host.ScalarAsync<bool>("SELECT opted_out FROM subscribers WHERE phone = '+84912345678'"));
        Assert.Contains("DK", await Reply("0912345678", "tro giup"));
        await Reply("0912345678", "START");
        Assert.False(await Host.ScalarAsync<bool>("SELECT opted_out FROM subscribers WHERE phone = '+84912345678'"));
        await Reply("0912345678", "stop");
        Assert.True(await Host.ScalarAsync<bool>("SELECT opted_out FROM subscribers WHERE phone = '+84912345678'"));
        // The same inbound message delivered twice (same id) is handled once.
        await Reply("0912345678", "START", id: "gw-1");
        await Reply("0912345678", "HUY", id: "gw-2");
        await Reply("0912345678", "START", id: "gw-1");
        Assert.True(await Host.ScalarAsync<bool>("SELECT opted_out FROM subscribers WHERE phone = '+84912345678'"));
        Assert.Equal(1, await Host.ScalarAsync<long>("SELECT count(*) FROM inbound_sms WHERE external_id = 'gw-1'"));
    }

    [Fact]
    public async Task Unsigned_stale_or_forged_webhooks_are_403_and_change_nothing()
    {
        await (await Gateway("0912345678", "DK 17248", secret: null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await Gateway("0912345678", "DK 17248", secret: "wrong")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await Gateway("0912345678", "DK 17248", at: DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds())).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await Gateway("", "DK 17248")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await Gateway("0912345678", new string('x', 1601))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await Count("subscribers"));
        Assert.Equal(0, await Count("inbound_sms"));

        // Twilio's inbound webhook: signed over the public URL → TwiML reply; unsigned → 403.
        using var http = new HttpClient();
        var url = $"{Host.Url}/api/sms/twilio/inbound";
        var fields = new Dictionary<string, string> { ["MessageSid"] = "SM1", ["From"] = "+84912345678", ["To"] = "+15005550006", ["Body"] = "DK Châu Khê", ["NumMedia"] = "0" };
        var forged = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        forged.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute("not-the-token", url, fields));
        await (await http.SendAsync(forged)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await Count("subscribers"));
        var signed = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        signed.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(FakeTwilioServer.AuthToken, url, fields));
        var response = await http.SendAsync(signed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("Châu Khê", twiml.Root!.Element("Message")!.Value);
        Assert.Equal(1, await Count("subscribers"));
    }

    [Fact]
    public async Task Webhooks_are_rate_limited_with_retry_after()
    {
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 60 && limited is null; i++)
        {
            var r = await Gateway("0912345678", "HELP", id: $"rl-{i}");
            if (r.StatusCode == HttpStatusCode.TooManyRequests) limited = r;
        }
        Assert.NotNull(limited);
        Assert.True(limited!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        await limited.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
    }

    static object Alert(int template, object? communes = null, object? area = null, object? circle = null, string? severity = "Severe", string? status = null,
        string? headline = "Lũ quét", string? @event = "lũ quét", string? place = "Nhà văn hoá thôn") => new
    {
        templateId = template, values = new { place }, communes, area, circle, severity, status, headline, @event, instruction = "Di chuyển lên chỗ cao.", category = "Met",
    };

    [Fact]
    public async Task Bad_alerts_are_refused_with_the_reason_and_nothing_is_written()
    {
        var template = await Host.TemplateAsync("[PCTT] {event} tại {communes} lúc {time}. {instruction} Nơi tránh: {place}");
        var commander = await SignInAsync("kv5.commander");
        async Task Bad(object body, string field, HttpStatusCode status = HttpStatusCode.BadRequest)
        {
            var p = await (await commander.SendAsync(HttpMethod.Post, "/api/alerts", body)).ExpectProblemAsync(status);
            if (status == HttpStatusCode.BadRequest) Assert.True(p.HasError(field), $"expected an error on {field}: {p}");
        }
        await Bad(Alert(template, new[] { ChauKhe }, place: null), "values");                              // {place} not given
        await Bad(new { templateId = template, communes = new[] { ChauKhe }, values = new { place = "UBND" }, text = "free" }, "text");
        await Bad(new { text = "Tự do", communes = new[] { ChauKhe }, @event = "lũ", headline = "Lũ" }, "text");  // free text not allowed here
        await Bad(new { templateId = 9999, communes = new[] { ChauKhe }, @event = "lũ", headline = "Lũ" }, "templateId");
        await Bad(Alert(template, new[] { "99999" }), "communes");
        await Bad(Alert(template), "communes");
        await Bad(Alert(template, new[] { ChauKhe }, severity: "Catastrophic"), "severity");
        await Bad(Alert(template, new[] { ChauKhe }, status: "Draft"), "status");
        await Bad(Alert(template, new[] { ChauKhe }, headline: ""), "headline");
        await Bad(Alert(template, area: new { type = "Polygon", coordinates = new[] { new[] { new[] { 104.6, 19.0 }, new[] { 104.7, 19.1 }, new[] { 104.6, 19.1 }, new[] { 104.7, 19.0 }, new[] { 104.6, 19.0 } } } }), "area");
        await Bad(Alert(template, circle: new { lat = 19.05, lon = 104.65, radiusKm = 500 }), "circle");
        await Bad(Alert(template, new[] { "17335" }), "communes", HttpStatusCode.Forbidden);   // outside the area's scope
        var long300 = new string('Ư', 300);
        var wide = await Host.TemplateAsync("{a}{b}{c}{d}{e}{f}", "Rộng");
        await Bad(new { templateId = wide, values = new { a = long300, b = long300, c = long300, d = long300, e = long300, f = long300 },
            communes = new[] { ChauKhe }, @event = "lũ", headline = "Lũ" }, "text");                    // 1,800 characters > 1,600
        var leader = await SignInAsync("chaukhe.leader");                                   // no alert-sender grant
        await (await leader.SendAsync(HttpMethod.Post, "/api/alerts/preview", Alert(template, new[] { ChauKhe }))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await Count("alerts"));
        Assert.Equal(0, await Count("sms_messages"));

        // A drawn area picks the communes it intersects (PostGIS), all inside the commander's area here.
        await commander.SendAsync(HttpMethod.Post, "/api/subscribers", new { phone = "0912 345 678", communes = new[] { ChauKhe } });
        var centre = await Host.ScalarAsync<string>($"SELECT ST_X(label_point) || ',' || ST_Y(label_point) FROM communes WHERE code = '{ChauKhe}'");
        var (lon, lat) = (double.Parse(centre.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(centre.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture));
        var preview = await commander.SendAsync<PreviewDto>(HttpMethod.Post, "/api/alerts/preview", new
        {
            templateId = template, values = new { place = "UBND xã" }, circle = new { lat, lon, radiusKm = 0.5 }, @event = "lũ", headline = "Lũ", instruction = "Sơ tán.",
        }, HttpStatusCode.OK);
        Assert.Contains(preview.Communes, c => c.Code == ChauKhe);
        Assert.Equal(1, preview.Recipients);
    }

    [Fact]
    public async Task Every_alert_is_a_valid_CAP_document_and_actual_ones_are_in_the_atom_feed()
    {
        var template = await Host.TemplateAsync("[PCTT] Cảnh báo {event} tại {communes}. {instruction}");
        var commander = await SignInAsync("kv5.commander");
        // A small box around Châu Khê's label point, inside the commander's area.
        var lon = await Host.ScalarAsync<double>($"SELECT round(ST_X(label_point)::numeric, 3) FROM communes WHERE code = '{ChauKhe}'");
        var lat = await Host.ScalarAsync<double>($"SELECT round(ST_Y(label_point)::numeric, 3) FROM communes WHERE code = '{ChauKhe}'");
        var ring = new[] { new[] { lon - 0.01, lat - 0.01 }, new[] { lon + 0.01, lat - 0.01 }, new[] { lon + 0.01, lat + 0.01 }, new[] { lon - 0.01, lat + 0.01 }, new[] { lon - 0.01, lat - 0.01 } };
        var first = await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", new
        {
            templateId = template, area = new { type = "Polygon", coordinates = new[] { ring } }, @event = "Lũ quét", headline = "Lũ quét trên sông Cả",
            instruction = "Di chuyển lên chỗ cao.", severity = "Severe",
        }, HttpStatusCode.Created);
        var id = first.Id;
        var update = await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", new
        {
            templateId = template, msgType = "Update", references = id, @event = "Lũ quét", headline = "Lũ quét: nước đang rút", instruction = "Chưa về nhà.", severity = "Moderate",
        }, HttpStatusCode.Created);
        var test = await commander.SendAsync<AlertDto>(HttpMethod.Post, "/api/alerts", new
        {
            templateId = template, communes = new[] { ChauKhe }, status = "Exercise", @event = "Diễn tập", headline = "Diễn tập", instruction = "Không phải thật.",
        }, HttpStatusCode.Created);

        using var anonymous = new HttpClient { BaseAddress = new Uri(Host.Url) };
        foreach (var a in new[] { first, update })
        {
            var response = await anonymous.GetAsync($"/api/alerts/{a.Id}/cap.xml");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/cap+xml", response.Content.Headers.ContentType?.MediaType);
            var xml = await response.Content.ReadAsStringAsync();
            var doc = XDocument.Parse(xml);
            Assert.Empty(CapDocument.Validate(doc));
            XNamespace cap = CapDocument.Namespace;
            Assert.Equal(a.Identifier, doc.Root!.Element(cap + "identifier")!.Value);
            Assert.EndsWith("+07:00", doc.Root.Element(cap + "sent")!.Value);
            var area = doc.Root.Element(cap + "info")!.Element(cap + "area")!;
            Assert.Contains(area.Elements(cap + "geocode"), g => g.Element(cap + "value")!.Value == ChauKhe);
            if (a.Id == id)
            {
                var polygon = area.Element(cap + "polygon")!.Value.Split(' ');
                Assert.Equal(FormattableString.Invariant($"{lat - 0.01:0.######},{lon - 0.01:0.######}"), polygon[0]);   // lat,lon
                Assert.Equal(polygon[0], polygon[^1]);
            }
            else Assert.Contains(first.Identifier, doc.Root.Element(cap + "references")!.Value);
        }
        // An exercise is not public; officials can read it.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/alerts/{test.Id}/cap.xml")).StatusCode);
        Assert.Empty(CapDocument.Validate(XDocument.Parse(await commander.Http.GetStringAsync($"/api/alerts/{test.Id}/cap.xml"))));

        var feed = XDocument.Parse(await anonymous.GetStringAsync("/api/alerts/feed.atom"));
        XNamespace atom = CapFeed.AtomNamespace;
        var ids = feed.Root!.Elements(atom + "entry").Select(e => e.Element(atom + "id")!.Value).ToList();
        Assert.Equal([update.Identifier, first.Identifier], ids);
    }
}
