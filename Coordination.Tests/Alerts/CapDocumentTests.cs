using System.Xml.Linq;
using Coordination.Api.Alerts.Cap;

namespace Coordination.Tests.Alerts;

/// <summary>CAP 1.2 documents for the SMS alerts: the writer's rules, the embedded XSD, and the Atom index.</summary>
public class CapDocumentTests
{
    static readonly XNamespace Cap = CapDocument.Namespace;
    static readonly XNamespace Atom = CapFeed.AtomNamespace;
    static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    static readonly DateTimeOffset Sent = new(2025, 7, 26, 8, 0, 0, Vn);

    // An open ring given (Lon, Lat) around Phúc Xá (Ba Đình, Hà Nội); the writer must close it.
    static readonly IReadOnlyList<(double Lon, double Lat)> Ring =
        [(105.8470, 21.0470), (105.8560, 21.0470), (105.8560, 21.0520), (105.8470, 21.0520)];

    static CapAlert FloodAlert(string msgType = "Alert", IReadOnlyList<CapReference>? references = null) => new(
        Identifier: "VN-DDMFC-2025-0726-001",
        Sender: "canhbao@phongchongthientai.vn",
        Sent: Sent,
        Status: "Actual",
        MsgType: msgType,
        Scope: "Public",
        References: references ?? [],
        Infos:
        [
            new CapInfo(
                Language: "vi-VN",
                Categories: ["Met", "Safety"],
                Event: "Lũ quét và sạt lở đất",
                Urgency: "Immediate",
                Severity: "Severe",
                Certainty: "Likely",
                Effective: Sent,
                Expires: Sent.AddHours(24),
                SenderName: "Ban Chỉ huy Phòng chống thiên tai và Tìm kiếm cứu nạn",
                Headline: "Cảnh báo lũ quét khu vực ven sông Hồng",
                Description: "Mực nước sông Hồng tại Hà Nội đang lên nhanh.",
                Instruction: "Di chuyển người và tài sản lên nơi cao ngay.",
                Areas: [Area()]),
            new CapInfo(
                Language: "en-US",
                Categories: ["Met", "Safety"],
                Event: "Flash flood and landslide",
                Urgency: "Immediate",
                Severity: "Severe",
                Certainty: "Likely",
                Effective: Sent,
                Expires: Sent.AddHours(24),
                SenderName: "Steering Committee for Natural Disaster Prevention",
                Headline: "Flash flood warning along the Red River",
                Description: "The Red River at Hanoi is rising fast.",
                Instruction: "Move people and property to high ground now.",
                Areas: [Area()]),
        ]);

    static CapArea Area() => new(
        AreaDesc: "Phường Phúc Xá, Quận Ba Đình, Hà Nội",
        Polygons: [Ring],
        Circles: [new CapCircle(21.0285, 105.8542, 2.5)],
        Geocodes: [("VN-COMMUNE", "00001"), ("VN-COMMUNE", "00004")]);

    [Fact]
    public void A_full_Vietnamese_alert_with_two_languages_validates_against_the_CAP_12_schema()
    {
        var doc = CapDocument.Write(FloodAlert());

        Assert.Empty(CapDocument.Validate(doc));
        Assert.Equal(Cap + "alert", doc.Root!.Name);
        var infos = doc.Root.Elements(Cap + "info").ToList();
        Assert.Equal(["vi-VN", "en-US"], infos.Select(i => (string)i.Element(Cap + "language")!));
        Assert.Equal(["Met", "Safety"], infos[0].Elements(Cap + "category").Select(c => c.Value));
        var area = infos[0].Element(Cap + "area")!;
        Assert.Single(area.Elements(Cap + "polygon"));
        Assert.Equal("21.0285,105.8542 2.5", (string)area.Element(Cap + "circle")!);
        Assert.Equal(["00001", "00004"], area.Elements(Cap + "geocode").Select(g => (string)g.Element(Cap + "value")!));
        Assert.All(area.Elements(Cap + "geocode"), g => Assert.Equal("VN-COMMUNE", (string)g.Element(Cap + "valueName")!));

        // The text form re-parses to a document that still validates, and says UTF-8.
        var xml = CapDocument.ToXml(FloodAlert());
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", xml);
        Assert.Contains("\n  <identifier>VN-DDMFC-2025-0726-001</identifier>", xml);
        Assert.Contains("Lũ quét và sạt lở đất", xml);
        Assert.Empty(CapDocument.Validate(XDocument.Parse(xml)));
    }

    [Fact]
    public void Times_keep_the_given_offset_write_UTC_as_minus_zero_and_have_no_fractional_seconds()
    {
        var doc = CapDocument.Write(FloodAlert());
        Assert.Equal("2025-07-26T08:00:00+07:00", (string)doc.Root!.Element(Cap + "sent")!);
        Assert.Equal("2025-07-27T08:00:00+07:00", (string)doc.Root.Element(Cap + "info")!.Element(Cap + "expires")!);

        var withMillis = new DateTimeOffset(2025, 7, 26, 1, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);
        var utc = CapDocument.Write(FloodAlert() with { Sent = withMillis });
        var sent = (string)utc.Root!.Element(Cap + "sent")!;
        Assert.Equal("2025-07-26T01:00:00-00:00", sent);
        Assert.DoesNotContain("Z", sent);
        Assert.DoesNotContain(".", sent);
        Assert.Empty(CapDocument.Validate(utc));

        Assert.Equal("2025-07-26T08:00:00+07:00", CapDocument.FormatTime(Sent.AddMilliseconds(999)));
        Assert.Equal("2025-01-02T03:04:05-05:00", CapDocument.FormatTime(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5))));
        Assert.Matches(@"^\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d[-,+]\d\d:\d\d$", CapDocument.FormatTime(DateTimeOffset.Now));
    }

    [Fact]
    public void Polygon_is_written_lat_lon_and_closed()
    {
        var doc = CapDocument.Write(FloodAlert());
        var polygon = (string)doc.Descendants(Cap + "polygon").First();
        Assert.Equal("21.047,105.847 21.047,105.856 21.052,105.856 21.052,105.847 21.047,105.847", polygon);
        var pairs = polygon.Split(' ');
        Assert.True(pairs.Length >= 4);
        Assert.Equal(pairs[0], pairs[^1]);

        // An already closed ring is not closed twice; coordinates keep at most 6 decimals.
        var closed = CapDocument.FormatPolygon([(105.1234567891, 21.1), (105.2, 21.1), (105.2, 21.2), (105.1234567891, 21.1)]);
        Assert.Equal("21.1,105.123457 21.1,105.2 21.2,105.2 21.1,105.123457", closed);
    }

    [Fact]
    public void Polygon_with_fewer_than_three_distinct_points_throws()
    {
        var bad = new CapArea("x", [[(105.0, 21.0), (105.1, 21.0), (105.0, 21.0), (105.1, 21.0)]], [], []);
        var alert = FloodAlert() with { Infos = [FloodAlert().Infos[0] with { Areas = [bad] }] };
        var ex = Assert.Throws<ArgumentException>(() => CapDocument.Write(alert));
        Assert.Contains("3 distinct points", ex.Message);
    }

    [Fact]
    public void An_update_carries_references_as_sender_identifier_sent_triples_and_validates()
    {
        var first = new CapReference("canhbao@phongchongthientai.vn", "VN-DDMFC-2025-0726-001", Sent);
        var second = new CapReference("canhbao@phongchongthientai.vn", "VN-DDMFC-2025-0726-002", new DateTimeOffset(2025, 7, 26, 2, 30, 0, TimeSpan.Zero));
        var update = FloodAlert("Update", [first, second]) with { Identifier = "VN-DDMFC-2025-0726-003", Sent = Sent.AddHours(3), Note = "Mở rộng vùng cảnh báo" };

        var doc = CapDocument.Write(update);

        Assert.Empty(CapDocument.Validate(doc));
        Assert.Equal("Update", (string)doc.Root!.Element(Cap + "msgType")!);
        Assert.Equal(
            "canhbao@phongchongthientai.vn,VN-DDMFC-2025-0726-001,2025-07-26T08:00:00+07:00 " +
            "canhbao@phongchongthientai.vn,VN-DDMFC-2025-0726-002,2025-07-26T02:30:00-00:00",
            (string)doc.Root.Element(Cap + "references")!);
        // Schema order: scope, ..., note, references, ..., info.
        var names = doc.Root.Elements().Select(e => e.Name.LocalName).ToList();
        Assert.True(names.IndexOf("scope") < names.IndexOf("note"));
        Assert.True(names.IndexOf("note") < names.IndexOf("references"));
        Assert.True(names.IndexOf("references") < names.IndexOf("info"));
    }

    [Fact]
    public void The_validator_rejects_documents_that_break_the_schema()
    {
        var noSent = CapDocument.Write(FloodAlert());
        noSent.Root!.Element(Cap + "sent")!.Remove();
        Assert.NotEmpty(CapDocument.Validate(noSent));

        var hugeSeverity = CapDocument.Write(FloodAlert());
        hugeSeverity.Descendants(Cap + "severity").First().Value = "Huge";
        Assert.NotEmpty(CapDocument.Validate(hugeSeverity));

        var zulu = CapDocument.Write(FloodAlert());
        zulu.Root!.Element(Cap + "sent")!.Value = "2025-07-26T01:00:00Z";
        Assert.NotEmpty(CapDocument.Validate(zulu));

        var fractional = CapDocument.Write(FloodAlert());
        fractional.Root!.Element(Cap + "sent")!.Value = "2025-07-26T08:00:00.5+07:00";
        Assert.NotEmpty(CapDocument.Validate(fractional));

        var outOfOrder = CapDocument.Write(FloodAlert());
        var status = outOfOrder.Root!.Element(Cap + "status")!;
        status.Remove();
        outOfOrder.Root.Element(Cap + "scope")!.AddAfterSelf(status);
        Assert.NotEmpty(CapDocument.Validate(outOfOrder));

        var noCategory = CapDocument.Write(FloodAlert());
        noCategory.Descendants(Cap + "category").Remove();
        Assert.NotEmpty(CapDocument.Validate(noCategory));

        var wrongNamespace = XDocument.Parse(CapDocument.ToXml(FloodAlert()).Replace(CapDocument.Namespace, "urn:oasis:names:tc:emergency:cap:1.1"));
        Assert.NotEmpty(CapDocument.Validate(wrongNamespace));
    }

    [Theory]
    [InlineData("VN 001")]
    [InlineData("VN,001")]
    [InlineData("VN<001")]
    [InlineData("VN&001")]
    [InlineData("VN\t001")]
    [InlineData("")]
    public void Identifier_or_sender_with_forbidden_characters_throws(string bad)
    {
        var ex = Assert.Throws<ArgumentException>(() => CapDocument.Write(FloodAlert() with { Identifier = bad }));
        Assert.Contains("identifier", ex.Message);
        Assert.Throws<ArgumentException>(() => CapDocument.Write(FloodAlert() with { Sender = bad }));
    }

    [Fact]
    public void Values_outside_CAPs_enumerations_throw()
    {
        var ex = Assert.Throws<ArgumentException>(() => CapDocument.Write(FloodAlert() with { Status = "Real" }));
        Assert.Contains("Actual, Exercise, System, Test, Draft", ex.Message);
        Assert.Throws<ArgumentException>(() => CapDocument.Write(FloodAlert() with { MsgType = "alert" }));
        Assert.Throws<ArgumentException>(() => CapDocument.Write(FloodAlert() with { Scope = "Everyone" }));
        var info = FloodAlert().Infos[0];
        Assert.Throws<ArgumentException>(() => CapDocument.Write(FloodAlert() with { Infos = [info with { Severity = "Huge" }] }));
        Assert.Throws<ArgumentException>(() => CapDocument.Write(FloodAlert() with { Infos = [info with { Urgency = "Now" }] }));
        Assert.Throws<ArgumentException>(() => CapDocument.Write(FloodAlert() with { Infos = [info with { Certainty = "Sure" }] }));
        Assert.Throws<ArgumentException>(() => CapDocument.Write(FloodAlert() with { Infos = [info with { Categories = ["Flood"] }] }));
        Assert.Throws<ArgumentException>(() => CapDocument.Write(FloodAlert() with { Infos = [info with { Categories = [] }] }));
    }

    [Fact]
    public void Decomposed_Vietnamese_text_comes_out_NFC()
    {
        const string nfc = "Cảnh báo lũ quét ở Phường Phúc Xá";
        var nfd = nfc.Normalize(NormalizationForm.FormD);
        Assert.NotEqual(nfc, nfd);
        var info = FloodAlert().Infos[0] with { Headline = nfd, Event = nfd, Description = nfd, Instruction = nfd, SenderName = nfd };
        var area = Area() with { AreaDesc = nfd, Geocodes = [("VN-COMMUNE", nfd)] };
        var alert = FloodAlert() with { Note = nfd, Infos = [info with { Areas = [area] }] };

        var xml = CapDocument.ToXml(alert);
        var doc = XDocument.Parse(xml);

        Assert.True(xml.IsNormalized(NormalizationForm.FormC));
        foreach (var name in new[] { "note", "event", "headline", "description", "instruction", "senderName", "areaDesc", "value" })
            Assert.Equal(nfc, (string)doc.Descendants(Cap + name).First());
        Assert.Empty(CapDocument.Validate(doc));
    }

    [Fact]
    public void Atom_feed_lists_alerts_with_an_alternate_link_to_the_CAP_document()
    {
        var self = new Uri("https://canhbao.example.vn/cap/feed.atom");
        var entries = new[]
        {
            new CapFeedEntry("urn:cap:VN-DDMFC-2025-0726-001", "Cảnh báo lũ quét", Sent, "Sông Hồng lên nhanh".Normalize(NormalizationForm.FormD),
                new Uri("https://canhbao.example.vn/cap/VN-DDMFC-2025-0726-001.xml")),
            new CapFeedEntry("urn:cap:VN-DDMFC-2025-0726-002", "Hết cảnh báo", new DateTimeOffset(2025, 7, 27, 1, 0, 0, TimeSpan.Zero), null,
                new Uri("https://canhbao.example.vn/cap/VN-DDMFC-2025-0726-002.xml")),
        };

        var xml = CapFeed.ToXml(CapFeed.Write("urn:cap:feed:vn", "Cảnh báo thiên tai", self, Sent, entries));
        var feed = XDocument.Parse(xml).Root!;

        Assert.Equal(Atom + "feed", feed.Name);
        Assert.Equal("urn:cap:feed:vn", (string)feed.Element(Atom + "id")!);
        Assert.Equal("2025-07-26T08:00:00+07:00", (string)feed.Element(Atom + "updated")!);
        Assert.NotNull(feed.Element(Atom + "author")?.Element(Atom + "name"));
        Assert.Equal(self.AbsoluteUri, (string)feed.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "self").Attribute("href")!);

        var items = feed.Elements(Atom + "entry").ToList();
        Assert.Equal(2, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var link = items[i].Elements(Atom + "link").Single();
            Assert.Equal("alternate", (string)link.Attribute("rel")!);
            Assert.Equal("application/cap+xml", (string)link.Attribute("type")!);
            Assert.Equal(entries[i].CapLink.AbsoluteUri, (string)link.Attribute("href")!);
            Assert.Equal(entries[i].Id, (string)items[i].Element(Atom + "id")!);
            Assert.NotNull(items[i].Element(Atom + "title"));
            // RFC 3339, no fractional seconds.
            Assert.True(DateTimeOffset.TryParse((string)items[i].Element(Atom + "updated")!, out var u));
            Assert.Equal(entries[i].Updated, u);
        }
        Assert.Equal("2025-07-27T01:00:00Z", (string)items[1].Element(Atom + "updated")!);
        Assert.Equal("Sông Hồng lên nhanh", (string)items[0].Element(Atom + "summary")!);
        Assert.Null(items[1].Element(Atom + "summary"));
    }
}
