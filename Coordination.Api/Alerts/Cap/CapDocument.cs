using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Coordination.Api.Alerts.Cap;

/// <summary>A CAP 1.2 <c>alert</c> (OASIS Common Alerting Protocol v1.2, section 3.2.1).</summary>
/// <param name="Identifier">Unique id from the sender; no whitespace, comma, '&lt;' or '&amp;'.</param>
/// <param name="Sender">Sender id (e.g. a domain-style name); same character rules as the identifier.</param>
/// <param name="Sent">Time of issue; the offset is written as given (+07:00 for Vietnam), zero offset as -00:00.</param>
/// <param name="Status">Actual | Exercise | System | Test | Draft.</param>
/// <param name="MsgType">Alert | Update | Cancel | Ack | Error.</param>
/// <param name="Scope">Public | Restricted | Private.</param>
/// <param name="References">Earlier messages this one updates or cancels.</param>
/// <param name="Infos">One info block per language.</param>
/// <param name="Note">Free text (CAP: required for Error, optional otherwise).</param>
public sealed record CapAlert(
    string Identifier,
    string Sender,
    DateTimeOffset Sent,
    string Status,
    string MsgType,
    string Scope,
    IReadOnlyList<CapReference> References,
    IReadOnlyList<CapInfo> Infos,
    string? Note = null);

/// <summary>One earlier message, written as <c>sender,identifier,sent</c> in <c>references</c>.</summary>
public sealed record CapReference(string Sender, string Identifier, DateTimeOffset Sent);

/// <summary>A CAP 1.2 <c>info</c> block (section 3.2.2).</summary>
/// <param name="Language">RFC 3066 tag such as vi-VN or en-US; empty omits the element (CAP default en-US).</param>
/// <param name="Categories">At least one of Geo, Met, Safety, Security, Rescue, Fire, Health, Env, Transport, Infra, CBRNE, Other.</param>
public sealed record CapInfo(
    string Language,
    IReadOnlyList<string> Categories,
    string Event,
    string Urgency,
    string Severity,
    string Certainty,
    DateTimeOffset? Effective,
    DateTimeOffset? Expires,
    string? SenderName,
    string? Headline,
    string? Description,
    string? Instruction,
    IReadOnlyList<CapArea> Areas);

/// <summary>A CAP 1.2 <c>area</c> (section 3.2.4). Polygon points are given (Lon, Lat) as in GeoJSON; CAP writes them lat,lon.</summary>
public sealed record CapArea(
    string AreaDesc,
    IReadOnlyList<IReadOnlyList<(double Lon, double Lat)>> Polygons,
    IReadOnlyList<CapCircle> Circles,
    IReadOnlyList<(string ValueName, string Value)> Geocodes);

/// <summary>A circle written <c>lat,lon radius</c> with the radius in kilometres.</summary>
public sealed record CapCircle(double Lat, double Lon, double RadiusKm);

/// <summary>Writes CAP 1.2 documents and validates them against the embedded CAP 1.2 schema.</summary>
public static class CapDocument
{
    public const string Namespace = "urn:oasis:names:tc:emergency:cap:1.2";
    public const string MediaType = "application/cap+xml";
    static readonly XNamespace Ns = Namespace;

    public static readonly IReadOnlyList<string> Statuses = ["Actual", "Exercise", "System", "Test", "Draft"];
    public static readonly IReadOnlyList<string> MsgTypes = ["Alert", "Update", "Cancel", "Ack", "Error"];
    public static readonly IReadOnlyList<string> Scopes = ["Public", "Restricted", "Private"];
    public static readonly IReadOnlyList<string> Categories = ["Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE", "Other"];
    public static readonly IReadOnlyList<string> Urgencies = ["Immediate", "Expected", "Future", "Past", "Unknown"];
    public static readonly IReadOnlyList<string> Severities = ["Extreme", "Severe", "Moderate", "Minor", "Unknown"];
    public static readonly IReadOnlyList<string> Certainties = ["Observed", "Likely", "Possible", "Unlikely", "Unknown"];

    /// <summary>Builds the CAP 1.2 XML for <paramref name="alert"/>; throws <see cref="ArgumentException"/> for values CAP does not allow.</summary>
    public static XDocument Write(CapAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var root = new XElement(Ns + "alert",
            new XElement(Ns + "identifier", Id(alert.Identifier, "identifier")),
            new XElement(Ns + "sender", Id(alert.Sender, "sender")),
            new XElement(Ns + "sent", FormatTime(alert.Sent)),
            new XElement(Ns + "status", OneOf(alert.Status, Statuses, "status")),
            new XElement(Ns + "msgType", OneOf(alert.MsgType, MsgTypes, "msgType")),
            new XElement(Ns + "scope", OneOf(alert.Scope, Scopes, "scope")));

        if (!string.IsNullOrWhiteSpace(alert.Note))
            root.Add(new XElement(Ns + "note", SearchKey.Nfc(alert.Note)));

        var refs = alert.References ?? [];
        if (refs.Count > 0)
            root.Add(new XElement(Ns + "references", string.Join(' ', refs.Select(r =>
            {
                ArgumentNullException.ThrowIfNull(r, "references");
                return $"{Id(r.Sender, "references sender")},{Id(r.Identifier, "references identifier")},{FormatTime(r.Sent)}";
            }))));

        foreach (var info in alert.Infos ?? [])
            root.Add(WriteInfo(info ?? throw new ArgumentException("an info block is null", nameof(alert))));

        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    /// <summary>The document as UTF-8 XML text (with declaration, indented).</summary>
    public static string ToXml(CapAlert alert) => Serialize(Write(alert));

    /// <summary>
    /// Validates <paramref name="doc"/> against the embedded CAP 1.2 schema; returns the error messages (empty = valid).
    /// </summary>
    public static IReadOnlyList<string> Validate(XDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var errors = new List<string>();
        if (doc.Root is null || doc.Root.Name != Ns + "alert")
        {
            // Without this an element the schema does not know only earns a warning.
            errors.Add($"The root element must be {{{Namespace}}}alert, not {doc.Root?.Name.ToString() ?? "(none)"}.");
            return errors;
        }
        doc.Validate(Schemas.Value, (_, e) =>
        {
            if (e.Severity == XmlSeverityType.Error) errors.Add(e.Message);
        });
        return errors;
    }

    static readonly Lazy<XmlSchemaSet> Schemas = new(LoadSchemas, LazyThreadSafetyMode.ExecutionAndPublication);

    static XmlSchemaSet LoadSchemas()
    {
        var asm = typeof(CapDocument).Assembly;
        var name = asm.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith("cap-1.2.xsd", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException("The embedded resource cap-1.2.xsd is missing from " + asm.GetName().Name);
        using var stream = asm.GetManifestResourceStream(name)!;
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        var set = new XmlSchemaSet { XmlResolver = null };
        set.Add(Namespace, reader);
        set.Compile();
        return set;
    }

    static XElement WriteInfo(CapInfo info)
    {
        var el = new XElement(Ns + "info");
        if (!string.IsNullOrWhiteSpace(info.Language))
            el.Add(new XElement(Ns + "language", SearchKey.Nfc(info.Language)));

        var cats = info.Categories ?? [];
        if (cats.Count == 0)
            throw new ArgumentException("info needs at least one category (CAP: " + string.Join(", ", Categories) + ").", nameof(info));
        foreach (var c in cats)
            el.Add(new XElement(Ns + "category", OneOf(c, Categories, "category")));

        if (string.IsNullOrWhiteSpace(info.Event))
            throw new ArgumentException("info event is required.", nameof(info));
        el.Add(new XElement(Ns + "event", SearchKey.Nfc(info.Event)));
        el.Add(new XElement(Ns + "urgency", OneOf(info.Urgency, Urgencies, "urgency")));
        el.Add(new XElement(Ns + "severity", OneOf(info.Severity, Severities, "severity")));
        el.Add(new XElement(Ns + "certainty", OneOf(info.Certainty, Certainties, "certainty")));
        if (info.Effective is { } eff) el.Add(new XElement(Ns + "effective", FormatTime(eff)));
        if (info.Expires is { } exp) el.Add(new XElement(Ns + "expires", FormatTime(exp)));
        AddText(el, "senderName", info.SenderName);
        AddText(el, "headline", info.Headline);
        AddText(el, "description", info.Description);
        AddText(el, "instruction", info.Instruction);

        foreach (var area in info.Areas ?? [])
            el.Add(WriteArea(area ?? throw new ArgumentException("an area is null", nameof(info))));
        return el;
    }

    static XElement WriteArea(CapArea area)
    {
        if (string.IsNullOrWhiteSpace(area.AreaDesc))
            throw new ArgumentException("areaDesc is required.", nameof(area));
        var el = new XElement(Ns + "area", new XElement(Ns + "areaDesc", SearchKey.Nfc(area.AreaDesc)));
        foreach (var polygon in area.Polygons ?? [])
            el.Add(new XElement(Ns + "polygon", FormatPolygon(polygon)));
        foreach (var circle in area.Circles ?? [])
            el.Add(new XElement(Ns + "circle", FormatCircle(circle ?? throw new ArgumentException("a circle is null", nameof(area)))));
        foreach (var (valueName, value) in area.Geocodes ?? [])
        {
            if (string.IsNullOrWhiteSpace(valueName))
                throw new ArgumentException("geocode valueName is required.", nameof(area));
            el.Add(new XElement(Ns + "geocode",
                new XElement(Ns + "valueName", SearchKey.Nfc(valueName)),
                new XElement(Ns + "value", SearchKey.Nfc(value ?? ""))));
        }
        return el;
    }

    /// <summary>
    /// CAP polygon text: whitespace-separated <c>lat,lon</c> pairs (WGS 84), closed, at least four pairs.
    /// Input points are (Lon, Lat); an open ring is closed here.
    /// </summary>
    internal static string FormatPolygon(IReadOnlyList<(double Lon, double Lat)>? points)
    {
        if (points is null)
            throw new ArgumentException("a polygon is null.", nameof(points));
        var pairs = new List<string>(points.Count + 1);
        foreach (var (lon, lat) in points)
            pairs.Add(Point(lat, lon));
        if (pairs.Distinct(StringComparer.Ordinal).Count() < 3)
            throw new ArgumentException($"a CAP polygon needs at least 3 distinct points; got {pairs.Distinct(StringComparer.Ordinal).Count()}.", nameof(points));
        if (pairs[0] != pairs[^1])
            pairs.Add(pairs[0]);
        return string.Join(' ', pairs);
    }

    internal static string FormatCircle(CapCircle c)
    {
        if (!double.IsFinite(c.RadiusKm) || c.RadiusKm < 0)
            throw new ArgumentException($"circle radius must be a finite number of kilometres >= 0; got {c.RadiusKm.ToString(CultureInfo.InvariantCulture)}.", nameof(c));
        return Point(c.Lat, c.Lon) + " " + Coord(c.RadiusKm);
    }

    static string Point(double lat, double lon)
    {
        if (!double.IsFinite(lat) || lat < -90 || lat > 90)
            throw new ArgumentException($"latitude {lat.ToString(CultureInfo.InvariantCulture)} is outside -90..90 (points are (Lon, Lat)).");
        if (!double.IsFinite(lon) || lon < -180 || lon > 180)
            throw new ArgumentException($"longitude {lon.ToString(CultureInfo.InvariantCulture)} is outside -180..180 (points are (Lon, Lat)).");
        return Coord(lat) + "," + Coord(lon);
    }

    /// <summary>Up to 6 decimals, invariant culture, never "-0".</summary>
    static string Coord(double v)
    {
        var r = Math.Round(v, 6, MidpointRounding.AwayFromZero);
        if (r == 0) r = 0; // drops negative zero
        return r.ToString("0.######", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// CAP 1.2 dateTime: <c>yyyy-MM-ddTHH:mm:ss±hh:mm</c>, no fractional seconds, offset as given;
    /// a zero offset is written <c>-00:00</c> (CAP does not allow "Z").
    /// </summary>
    public static string FormatTime(DateTimeOffset t)
    {
        var s = t.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'sszzz", CultureInfo.InvariantCulture);
        return t.Offset == TimeSpan.Zero ? s[..^6] + "-00:00" : s;
    }

    static string Id(string? value, string what)
    {
        if (string.IsNullOrEmpty(value))
            throw new ArgumentException($"CAP {what} is required.", what);
        foreach (var ch in value)
            if (char.IsWhiteSpace(ch) || ch is ',' or '<' or '&')
                throw new ArgumentException(
                    $"CAP {what} '{value}' must not contain whitespace, ',', '<' or '&' (found {(char.IsWhiteSpace(ch) ? "whitespace" : "'" + ch + "'")}).", what);
        return SearchKey.Nfc(value)!;
    }

    static string OneOf(string? value, IReadOnlyList<string> allowed, string what)
    {
        if (value is null || !allowed.Contains(value, StringComparer.Ordinal))
            throw new ArgumentException(
                $"CAP {what} '{value}' is not a CAP 1.2 value; expected one of: {string.Join(", ", allowed)}.", what);
        return value;
    }

    static void AddText(XElement el, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
            el.Add(new XElement(Ns + name, SearchKey.Nfc(value)));
    }

    /// <summary>UTF-8 text with an XML declaration, indented with two spaces.</summary>
    internal static string Serialize(XDocument doc)
    {
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(false),
            Indent = true,
            IndentChars = "  ",
            OmitXmlDeclaration = false,
        }))
        {
            doc.Save(w);
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}

/// <summary>One Atom entry pointing at a CAP document.</summary>
public sealed record CapFeedEntry(string Id, string Title, DateTimeOffset Updated, string? Summary, Uri CapLink);

/// <summary>An Atom 1.0 (RFC 4287) index of CAP alerts; each entry links to its CAP document (rel="alternate", application/cap+xml).</summary>
public static class CapFeed
{
    public const string AtomNamespace = "http://www.w3.org/2005/Atom";
    public const string MediaType = "application/atom+xml";
    static readonly XNamespace A = AtomNamespace;

    /// <param name="author">Atom requires a feed author; defaults to <paramref name="title"/>.</param>
    public static XDocument Write(string feedId, string title, Uri selfLink, DateTimeOffset updated, IEnumerable<CapFeedEntry> entries, string? author = null)
    {
        if (string.IsNullOrWhiteSpace(feedId)) throw new ArgumentException("feed id is required.", nameof(feedId));
        if (string.IsNullOrWhiteSpace(title)) throw new ArgumentException("feed title is required.", nameof(title));
        ArgumentNullException.ThrowIfNull(selfLink);
        ArgumentNullException.ThrowIfNull(entries);

        var feed = new XElement(A + "feed",
            new XElement(A + "id", SearchKey.Nfc(feedId)),
            new XElement(A + "title", SearchKey.Nfc(title)),
            new XElement(A + "updated", Rfc3339(updated)),
            new XElement(A + "author", new XElement(A + "name", SearchKey.Nfc(string.IsNullOrWhiteSpace(author) ? title : author))),
            new XElement(A + "link", new XAttribute("rel", "self"), new XAttribute("type", MediaType), new XAttribute("href", selfLink.AbsoluteUri)));

        foreach (var e in entries)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(entries));
            if (string.IsNullOrWhiteSpace(e.Id)) throw new ArgumentException("entry id is required.", nameof(entries));
            ArgumentNullException.ThrowIfNull(e.CapLink, nameof(entries));
            var entry = new XElement(A + "entry",
                new XElement(A + "id", SearchKey.Nfc(e.Id)),
                new XElement(A + "title", SearchKey.Nfc(e.Title ?? "")),
                new XElement(A + "updated", Rfc3339(e.Updated)),
                new XElement(A + "link",
                    new XAttribute("rel", "alternate"),
                    new XAttribute("type", CapDocument.MediaType),
                    new XAttribute("href", e.CapLink.IsAbsoluteUri ? e.CapLink.AbsoluteUri : e.CapLink.OriginalString)));
            if (!string.IsNullOrWhiteSpace(e.Summary))
                entry.Add(new XElement(A + "summary", SearchKey.Nfc(e.Summary)));
            feed.Add(entry);
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), feed);
    }

    /// <summary>UTF-8 text with an XML declaration, indented.</summary>
    public static string ToXml(XDocument feed) => CapDocument.Serialize(feed);

    /// <summary>RFC 3339 date-time without fractional seconds; UTC is written "Z", other offsets as given.</summary>
    public static string Rfc3339(DateTimeOffset t) => t.Offset == TimeSpan.Zero
        ? t.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture)
        : t.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'sszzz", CultureInfo.InvariantCulture);
}
