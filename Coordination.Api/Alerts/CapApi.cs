using Coordination.Api.Alerts.Cap;

namespace Coordination.Api.Alerts;

/// <summary>
/// Every alert as a CAP 1.2 document, and an Atom feed of them, for other warning systems (and the public). Public
/// means Actual alerts that went out; Test/Exercise alerts and alerts awaiting or refused approval are visible to
/// signed-in officials only.
/// </summary>
public static class CapApi
{
    /// <summary>CAP geocode name for the 2025 commune codes.</summary>
    public const string CommuneGeocode = "VN.MaXa2025";

    public static void MapCap(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/alerts").WithTags("Alerts").AllowAnonymous();
        group.MapGet("/{id:int}/cap.xml", async (int id, CoordinationDb db, HttpContext http, CancellationToken ct) =>
        {
            var alert = await db.Alerts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
            if (alert is null || !Public(alert) && http.User.Identity?.IsAuthenticated != true)
                return Problems.Status(StatusCodes.Status404NotFound, "Unknown alert.", $"There is no published alert {id}.", AlertProblems.AlertNotFound,
                    new { Entity = "alert", Key = id.ToString() });
            return Results.Text(CapDocument.ToXml(await ToCapAsync(db, alert, ct)), CapDocument.MediaType, System.Text.Encoding.UTF8);
        }).WithSummary("The alert as a CAP 1.2 document.");
        group.MapGet("/feed.atom", async (CoordinationDb db, HttpContext http, SmsOptions options, TimeProvider clock, CancellationToken ct) =>
        {
            var alerts = await db.Alerts.AsNoTracking().Where(a => a.Status == CapStatus.Actual && (a.State == AlertState.Active || a.State == AlertState.Ended))
                .OrderByDescending(a => a.Id).Take(50).ToListAsync(ct);
            var baseUrl = BaseUrl(http, options);
            var feed = CapFeed.Write($"{baseUrl}/api/alerts/feed.atom", "Cảnh báo thiên tai — Coordination", new Uri($"{baseUrl}/api/alerts/feed.atom"),
                alerts.Count > 0 ? alerts.Max(Sent) : clock.GetUtcNow(),
                alerts.Select(a => new CapFeedEntry(a.Identifier, a.Headline, Sent(a), a.Body, new Uri($"{baseUrl}/api/alerts/{a.Id}/cap.xml"))),
                author: options.CapSender);
            return Results.Text(CapFeed.ToXml(feed), CapFeed.MediaType, System.Text.Encoding.UTF8);
        }).WithSummary("Atom feed of published (Actual) alerts, newest first, each linking its CAP document.");
    }

    /// <summary>When the alert was issued: accepted, or approved by the second sender.</summary>
    static DateTimeOffset Sent(Alert a) => Vn(a.ApprovedAt ?? a.CreatedAt);

    static bool Public(Alert a) => a.Status == CapStatus.Actual && a.State is AlertState.Active or AlertState.Ended;

    static string BaseUrl(HttpContext http, SmsOptions options) =>
        !string.IsNullOrEmpty(options.PublicBaseUrl) ? options.PublicBaseUrl.TrimEnd('/') : $"{http.Request.Scheme}://{http.Request.Host}";

    /// <summary>Times as Vietnam reads them: +07:00.</summary>
    static DateTimeOffset Vn(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(TimeSpan.FromHours(7));

    public static async Task<CapAlert> ToCapAsync(CoordinationDb db, Alert a, CancellationToken ct)
    {
        var communes = await AlertsApi.CommuneRefsAsync(db, a.Id, ct);
        var references = new List<CapReference>();
        if (a.ReferencesAlertId is { } rid && await db.Alerts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == rid, ct) is { } original)
            references.Add(new CapReference(original.Sender, original.Identifier, Sent(original)));
        var polygons = a.Area is null ? [] : new List<IReadOnlyList<(double Lon, double Lat)>> { a.Area.ExteriorRing.Coordinates.Select(c => (c.X, c.Y)).ToList() };
        var circles = a.CircleCentre is null ? [] : new List<CapCircle> { new(a.CircleCentre.Y, a.CircleCentre.X, a.CircleRadiusKm ?? 0) };
        var area = new CapArea(string.Join(", ", communes.Select(c => c.Name)), polygons, circles, communes.Select(c => (CommuneGeocode, c.Code)).ToList());
        var info = new CapInfo("vi-VN", [a.Category], a.Event, a.Urgency, a.Severity, a.Certainty, Vn(a.Effective), Vn(a.Expires), a.SenderName,
            a.Headline, a.Description ?? a.Body, a.Instruction, [area]);
        return new CapAlert(a.Identifier, a.Sender, Sent(a), a.Status, a.MsgType, "Public", references, [info],
            a.TemplateRef is null ? null : $"SMS template {a.TemplateRef}");
    }
}
