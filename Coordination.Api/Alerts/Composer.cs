using System.Text.RegularExpressions;
using Coordination.Api.Alerts.Sms;

namespace Coordination.Api.Alerts;

public sealed record AreaInput(string? Type, double[][][]? Coordinates);
public sealed record CircleInput(double? Lat, double? Lon, double? RadiusKm);

/// <summary>What a sender submits, for the preview and for the alert itself (same shape, same checks).</summary>
public sealed record AlertInput(
    int? TemplateId, Dictionary<string, string>? Values, string? Text, bool? Fold,
    List<string>? Communes, AreaInput? Area, CircleInput? Circle,
    string? Status, string? MsgType, int? References,
    string? Category, string? Event, string? Urgency, string? Severity, string? Certainty,
    string? Headline, string? Description, string? Instruction,
    DateTimeOffset? Effective, DateTimeOffset? Expires, int? RepeatEveryMinutes, int? RiskLevel);

public sealed record CommuneRef(string Code, string Name, string ProvinceCode);

/// <summary>A validated alert: its text, targets and CAP fields, not yet saved.</summary>
public sealed record Composed(AlertInput Input, string Body, string BodyFolded, bool Fold, SmsTemplate? Template, List<CommuneRef> Communes,
    Polygon? Area, Point? CircleCentre, double? CircleRadiusKm, string Status, string MsgType, Alert? Original,
    string Category, string Event, string Urgency, string Severity, string Certainty, string Headline,
    DateTime Effective, DateTime Expires, int? RepeatEveryMinutes);

/// <summary>
/// Turns an <see cref="AlertInput"/> into a <see cref="Composed"/> alert or a list of field errors: the text from a
/// registered template (free text only where Sms:AllowFreeText says so), NFC throughout, the target communes from
/// codes or from a drawn polygon/circle (PostGIS: the communes it intersects), CAP enumerations, times, and the
/// re-broadcast cadence of Decree 66/2021.
/// </summary>
public sealed partial class Composer(CoordinationDb db, SmsOptions options, TimeProvider clock)
{
    public static readonly string[] Categories = ["Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE", "Other"];
    public static readonly string[] Urgencies = ["Immediate", "Expected", "Future", "Past", "Unknown"];
    public static readonly string[] Severities = ["Extreme", "Severe", "Moderate", "Minor", "Unknown"];
    public static readonly string[] Certainties = ["Observed", "Likely", "Possible", "Unlikely", "Unknown"];
    public const int MaxCommunes = 500;
    /// <summary>Above this many SMS per recipient the preview warns (each extra segment costs and may arrive apart).</summary>
    public const int LongMessageSegments = 3;
    public static readonly TimeZoneInfo Vietnam = TimeZoneInfo.CreateCustomTimeZone("ICT", TimeSpan.FromHours(7), "Indochina Time", "ICT");

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();

    public async Task<(Composed? Alert, List<FieldError> Errors)> ComposeAsync(AlertInput input, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        void Error(string field, string code, string message, object? facts = null) => errors.Add(new FieldError(field, code, message, facts));
        var now = clock.GetUtcNow().UtcDateTime;

        string Pick(string field, string? value, string[] allowed, string fallback)
        {
            if (value is null) return fallback;
            var hit = allowed.FirstOrDefault(a => a.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase));
            if (hit is null) Error(field, CommonProblems.FieldUnknown, $"{field} must be one of {string.Join(", ", allowed)}.");
            return hit ?? fallback;
        }
        var status = Pick("status", input.Status, CapStatus.Allowed, CapStatus.Actual);
        var msgType = Pick("msgType", input.MsgType, [CapMsgType.Alert, CapMsgType.Update, CapMsgType.Cancel], CapMsgType.Alert);
        var category = Pick("category", input.Category, Categories, "Met");
        var urgency = Pick("urgency", input.Urgency, Urgencies, "Immediate");
        var severity = Pick("severity", input.Severity, Severities, "Severe");
        var certainty = Pick("certainty", input.Certainty, Certainties, "Likely");
        var eventName = SearchKey.Nfc(input.Event) ?? "";
        if (eventName.Length is 0 or > 100)
            Error("event", eventName.Length == 0 ? CommonProblems.FieldRequired : CommonProblems.FieldTooLong, "event is required (up to 100 characters), e.g. \"Lũ quét\".");
        var headline = SearchKey.Nfc(input.Headline) ?? "";
        if (headline.Length is 0 or > 200)
            Error("headline", headline.Length == 0 ? CommonProblems.FieldRequired : CommonProblems.FieldTooLong, "headline is required (up to 200 characters).");
        if ((SearchKey.Nfc(input.Description) ?? "").Length > 2000) Error("description", CommonProblems.FieldTooLong, "description is limited to 2,000 characters.");
        if ((SearchKey.Nfc(input.Instruction) ?? "").Length > 1000) Error("instruction", CommonProblems.FieldTooLong, "instruction is limited to 1,000 characters.");

        Alert? original = null;
        if (msgType == CapMsgType.Alert && input.References is not null) Error("references", AlertProblems.FieldReferencesUnexpected, "only an Update or a Cancel references an earlier alert.");
        if (msgType != CapMsgType.Alert)
        {
            if (input.References is null) Error("references", CommonProblems.FieldRequired, $"an {msgType} must reference the alert it corrects or cancels.");
            else
            {
                original = await db.Alerts.Include(a => a.Communes).FirstOrDefaultAsync(a => a.Id == input.References, ct);
                if (original is null) Error("references", CommonProblems.FieldUnknown, $"there is no alert {input.References}.");
                else if (original.MsgType == CapMsgType.Cancel) Error("references", AlertProblems.FieldReferencesEnded, $"alert {original.Id} is a cancellation: reference the alert it cancelled.");
                else if (original.State is AlertState.Rejected) Error("references", AlertProblems.FieldReferencesEnded, $"alert {original.Id} was rejected and never went out.");
                else if (original.EndedReason is "cancelled" or "superseded") Error("references", AlertProblems.FieldReferencesEnded, $"alert {original.Id} has already been {original.EndedReason}.");
                else if (original.Status != status) Error("status", AlertProblems.FieldStatusMismatch, $"the original alert is {original.Status}; its {msgType} must be {original.Status} too.");
            }
        }

        var effective = (input.Effective ?? new DateTimeOffset(now, TimeSpan.Zero)).UtcDateTime;
        var expires = input.Expires?.UtcDateTime ?? effective.AddHours(6);
        if (input.Effective is { } eff && eff.UtcDateTime < now.AddMinutes(-10)) Error("effective", CommonProblems.FieldOutOfRange, "effective cannot be in the past.");
        if (effective > now.AddDays(7)) Error("effective", CommonProblems.FieldOutOfRange, "effective must be within 7 days.");
        if (expires <= effective) Error("expires", CommonProblems.FieldOutOfRange, "expires must be after effective.");
        if (expires > effective.AddDays(7)) Error("expires", CommonProblems.FieldOutOfRange, "an alert lasts at most 7 days; issue an update to extend it.");

        if (input.RiskLevel is < 1 or > 5) Error("riskLevel", CommonProblems.FieldOutOfRange, "riskLevel is the disaster risk level, 1 to 5.");
        var repeat = input.RepeatEveryMinutes;
        if (repeat is null && input.RiskLevel is { } level && msgType != CapMsgType.Cancel) repeat = level > 3 ? 60 : 180;
        if (repeat is < 15 or > 1440) Error("repeatEveryMinutes", CommonProblems.FieldOutOfRange, "repeatEveryMinutes must be from 15 to 1,440.");
        else if (input.RiskLevel > 3 && repeat > 60) Error("repeatEveryMinutes", CommonProblems.FieldOutOfRange, "above risk level 3 directives are re-broadcast at least hourly (Decree 66/2021): at most 60.");
        else if (input.RiskLevel is not null && repeat > 180) Error("repeatEveryMinutes", CommonProblems.FieldOutOfRange, "directives are re-broadcast at least every 3 hours (Decree 66/2021): at most 180.");
        if (msgType == CapMsgType.Cancel && repeat is not null) Error("repeatEveryMinutes", AlertProblems.FieldCancelRepeated, "a cancellation is not repeated.");

        // Targets: communes, or a drawn polygon, or a circle — or, for an update/cancel, the original's.
        var given = new[] { input.Communes is { Count: > 0 }, input.Area is not null, input.Circle is not null }.Count(b => b);
        List<CommuneRef> communes = [];
        Polygon? area = null;
        Point? centre = null;
        double? radius = null;
        if (given > 1) Error("communes", AlertProblems.FieldTargetsAmbiguous, "give the communes, or an area, or a circle — one of them.");
        else if (given == 0 && original is null) Error("communes", CommonProblems.FieldRequired, "choose the communes to alert, or draw an area.");
        else if (given == 0 && original is not null)
            communes = await CommunesAsync(original.Communes.Select(c => c.CommuneCode).ToList(), ct);
        else if (input.Communes is { Count: > 0 } codes)
        {
            var distinct = codes.Select(c => c?.Trim() ?? "").Distinct().ToList();
            if (distinct.Count > MaxCommunes) Error("communes", CommonProblems.FieldOutOfRange, $"at most {MaxCommunes} communes.");
            else
            {
                communes = await CommunesAsync(distinct, ct);
                var unknown = distinct.Except(communes.Select(c => c.Code)).ToList();
                if (unknown.Count > 0) Error("communes", CommonProblems.FieldUnknown, $"unknown communes: {string.Join(", ", unknown.Take(20))}.");
            }
        }
        else if (input.Area is { } a)
        {
            (area, var problem) = PolygonFrom(a);
            if (problem is not null) Error("area", CommonProblems.FieldMalformed, problem);
            else
            {
                var (touched, code, message) = await IntersectingAsync(area!, null, ct);
                if (code is not null) Error("area", code, message!);
                else communes = touched;
            }
        }
        else if (input.Circle is { } c)
        {
            if (c.Lat is not (>= -90 and <= 90) || c.Lon is not (>= -180 and <= 180)) Error("circle", CommonProblems.FieldOutOfRange, "circle needs lat (−90…90) and lon (−180…180).");
            else if (c.RadiusKm is not (>= 0.1 and <= 100)) Error("circle", CommonProblems.FieldOutOfRange, "radiusKm must be from 0.1 to 100.");
            else
            {
                centre = Geometry.DefaultFactory.WithSRID(4326).CreatePoint(new Coordinate(c.Lon.Value, c.Lat.Value));
                radius = c.RadiusKm;
                var (touched, code, message) = await IntersectingAsync(centre, radius * 1000, ct);
                if (code is not null) Error("circle", code, message!);
                else communes = touched;
            }
        }

        // The text: a registered template with its placeholders filled, or free text where allowed.
        SmsTemplate? template = null;
        string body = "";
        if (input.TemplateId is { } tid)
        {
            template = await db.SmsTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tid, ct);
            if (template is null || !template.Active) Error("templateId", CommonProblems.FieldUnknown, $"there is no active template {tid}.");
            else if (input.Text is not null) Error("text", AlertProblems.FieldTemplateAndText, "give a template or a text, not both.");
            // A Cancel must read as one, and a warning must not read like a cancellation.
            else if (template.Kind != TemplateKind.For(msgType))
                Error("templateId", AlertProblems.FieldTemplateKind, template.Kind == TemplateKind.Cancel
                    ? $"template {tid} is a cancellation/all-clear template: it only ends an alert (msgType Cancel)."
                    : $"a Cancel is sent with a cancellation/all-clear template; template {tid} is a warning template.");
            else
            {
                var values = (input.Values ?? []).ToDictionary(kv => kv.Key.Trim().ToLowerInvariant(), kv => SearchKey.Nfc(kv.Value) ?? "");
                foreach (var (k, v) in values.Where(kv => kv.Value.Length > 300)) Error($"values.{k}", CommonProblems.FieldTooLong, $"{k} is limited to 300 characters.");
                values.TryAdd("communes", string.Join(", ", communes.Select(c => c.Name)));
                values.TryAdd("event", eventName);
                values.TryAdd("headline", headline);
                values.TryAdd("instruction", SearchKey.Nfc(input.Instruction) ?? "");
                values.TryAdd("time", Local(effective));
                values.TryAdd("expires", Local(expires));
                var missing = new List<string>();
                body = Placeholder().Replace(SearchKey.Nfc(template.Text) ?? "", m =>
                {
                    if (values.TryGetValue(m.Groups[1].Value, out var v) && v.Length > 0) return v;
                    missing.Add(m.Groups[1].Value);
                    return m.Value;
                });
                // Placeholders filled from the alert's own fields are reported on those fields.
                foreach (var own in missing.Distinct().Where(m => m is "event" or "headline" or "instruction").ToList())
                {
                    Error(own, CommonProblems.FieldRequired, $"the template uses {{{own}}}: fill in {own}.");
                    missing.RemoveAll(m => m == own);
                }
                if (missing.Count > 0) Error("values", CommonProblems.FieldRequired, $"the template needs values for: {string.Join(", ", missing.Distinct())}.");
            }
        }
        else if (input.Text is not null)
        {
            if (!options.AllowFreeText) Error("text", AlertProblems.FieldFreeTextDisallowed, "free text is not allowed in this deployment: choose a registered template (Sms:AllowFreeText).");
            body = SearchKey.Nfc(input.Text) ?? "";
        }
        else Error("templateId", CommonProblems.FieldRequired, "choose a message template.");
        var fold = input.Fold ?? false;
        var folded = SmsText.Fold(body);
        if (!errors.Any(e => e.Name is "templateId" or "text" or "values"))
        {
            var sent = SmsText.Count(fold ? folded : body);   // the longest form anyone receives
            if (body.Length == 0) Error("text", CommonProblems.FieldRequired, "the message is empty.");
            else if (body.Length > 1600) Error("text", CommonProblems.FieldTooLong, $"the message has {body.Length} characters; an SMS body is limited to 1,600.");
            else if (options.MaxSegmentsPerMessage > 0 && sent.Segments > options.MaxSegmentsPerMessage)
                Error("text", fold ? AlertProblems.FieldTooManySegmentsFolded : AlertProblems.FieldTooManySegments,
                    $"the message is {sent.Segments} SMS per recipient ({sent.Characters} characters, {sent.Encoding}); at most {options.MaxSegmentsPerMessage} (Sms:MaxSegmentsPerMessage): shorten it{(fold ? "" : " or send it without diacritics")}.",
                    new { sent.Characters, sent.Encoding, sent.Segments, Max = options.MaxSegmentsPerMessage });
        }
        // A cancellation tells people the danger is over: the original's instruction (evacuate …) must not come back.
        if (msgType == CapMsgType.Cancel && (SearchKey.Nfc(original?.Instruction) ?? "") is { Length: > 0 } was)
        {
            if (string.Equals(SearchKey.Nfc(input.Instruction) ?? "", was, StringComparison.OrdinalIgnoreCase))
                Error("instruction", AlertProblems.FieldCancelRepeatsInstruction, $"a cancellation must not repeat the instruction of alert {original!.Id} (\"{was}\"): say what people should do now, or leave it empty.",
                    new { AlertId = original.Id });
            else if (body.Contains(was, StringComparison.OrdinalIgnoreCase))
                Error("text", AlertProblems.FieldCancelRepeatsInstruction, $"a cancellation must not repeat the instruction of alert {original!.Id} (\"{was}\").",
                    new { AlertId = original.Id });
        }

        if (errors.Count > 0) return (null, errors);
        return (new Composed(input, body, folded, fold, template, communes, area, centre, radius, status, msgType, original,
            category, eventName, urgency, severity, certainty, headline, effective, expires, repeat), errors);
    }

    public static string Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Vietnam)
        .ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);

    Task<List<CommuneRef>> CommunesAsync(List<string> codes, CancellationToken ct) =>
        db.Communes.Where(c => codes.Contains(c.Code)).OrderBy(c => c.Code).Select(c => new CommuneRef(c.Code, c.Name, c.ProvinceCode)).ToListAsync(ct);

    static (Polygon?, string?) PolygonFrom(AreaInput a)
    {
        if (!string.Equals(a.Type, "Polygon", StringComparison.Ordinal) || a.Coordinates is not { Length: 1 } rings)
            return (null, "area must be a GeoJSON Polygon with one ring (no holes): {\"type\":\"Polygon\",\"coordinates\":[[[lon,lat],…]]}.");
        var ring = rings[0];
        if (ring is null || ring.Length < 3) return (null, "the area needs at least 3 points.");
        if (ring.Length > 1000) return (null, "the area has more than 1,000 points.");
        var coords = new List<Coordinate>();
        foreach (var p in ring)
        {
            if (p is not { Length: 2 } || p[0] is not (>= -180 and <= 180) || p[1] is not (>= -90 and <= 90))
                return (null, "every point of the area is [lon, lat] within range.");
            coords.Add(new Coordinate(p[0], p[1]));
        }
        if (!coords[0].Equals2D(coords[^1])) coords.Add(coords[0].Copy());
        if (coords.Count < 4) return (null, "the area needs at least 3 distinct points.");
        var polygon = Geometry.DefaultFactory.WithSRID(4326).CreatePolygon(coords.ToArray());
        if (!polygon.IsValid) return (null, "the area crosses itself: draw it again without crossing lines.");
        return (polygon, null);
    }

    /// <summary>Communes a drawn area (or a circle: a point and metres) intersects, in PostGIS with the GiST index.</summary>
    async Task<(List<CommuneRef> Communes, string? Code, string? Problem)> IntersectingAsync(Geometry shape, double? metres, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            WITH shape AS (SELECT CASE WHEN @metres::float8 IS NULL THEN @g ELSE ST_Buffer(@g::geography, @metres::float8, 32)::geometry END AS g)
            SELECT c.code, c.name, c.province_code, ST_Area(shape.g::geography) / 1e6
            FROM shape LEFT JOIN communes c ON ST_Intersects(c.geom, shape.g)
            ORDER BY c.code
            """, conn);
        cmd.Parameters.AddWithValue("g", shape);
        cmd.Parameters.AddWithValue("metres", (object?)metres ?? DBNull.Value);
        var list = new List<CommuneRef>();
        double km2 = 0;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                km2 = r.GetDouble(3);
                if (!r.IsDBNull(0)) list.Add(new(r.GetString(0), r.GetString(1), r.GetString(2)));
            }
        if (km2 > 50_000) return ([], CommonProblems.FieldOutOfRange, $"the area covers {km2:N0} km²; draw at most 50,000 km² (or pick communes).");
        if (list.Count == 0) return ([], AlertProblems.FieldAreaEmpty, "the area touches no commune.");
        if (list.Count > MaxCommunes) return ([], CommonProblems.FieldOutOfRange, $"the area touches {list.Count} communes; at most {MaxCommunes}.");
        return (list, null, null);
    }
}
