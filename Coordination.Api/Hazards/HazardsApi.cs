using Coordination.Api.Boundaries;
using Coordination.Api.Hazards.Import;

namespace Coordination.Api.Hazards;

public sealed record HazardLayerDto(int Id, string Name, string? Source, bool IsSample, string? ProvinceCode, DateTime ImportedAt, string? ImportedBy, int Zones);
public sealed record DeclareFloodEventRequest(string? Name, DateTimeOffset? StartedAt, JsonElement? Geometry, string? Note, List<string>? Communes = null);
public sealed record CloseFloodEventRequest(DateTimeOffset? EndedAt);
/// <summary>Extent: "drawn" (a polygon: offices inside are flooded) or "communes" (declared for whole communes, no extent).</summary>
public sealed record FloodEventDto(int Id, string Name, DateTime StartedAt, DateTime? EndedAt, bool Active, string? Source, string? Note,
    string? DeclaredBy, string? ClosedBy, IReadOnlyList<string> Communes, int OfficesInside, string Extent);

public static class HazardsApi
{
    const string GeoJson = "application/geo+json; charset=utf-8";

    /// <summary>
    /// Hazard layers, their zones and flood events. Reads are public (where it floods is public safety information).
    /// Layers are reference data: administrators, and a province operator for layers touching its province.
    /// Flood events are declared and closed by anyone who acts for every commune the extent covers.
    /// </summary>
    public static void MapHazards(this IEndpointRouteBuilder app)
    {
        var layers = app.MapGroup("/api/hazard-layers").WithTags("Hazards");
        layers.MapGet("/", async (CoordinationDb db, CancellationToken ct) => TypedResults.Ok(await db.HazardLayers.OrderBy(l => l.Name)
                .Select(l => new HazardLayerDto(l.Id, l.Name, l.Source, l.IsSample, l.ProvinceCode, l.ImportedAt, l.ImportedBy, l.Zones.Count)).ToListAsync(ct)))
            .AllowAnonymous().WithSummary("Imported hazard layers (isSample marks the shipped sample).");
        layers.MapPost("/", ImportLayer).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Import (or replace, by name) a layer: body = GeoJSON FeatureCollection of Polygon/MultiPolygon with hazard, name, depth_class, return_period_years, source, source_date.");
        layers.MapDelete("/{id:int}", DeleteLayer).RequireAuthorization(Policies.Authenticated);

        app.MapGet("/api/hazard-zones", Zones).AllowAnonymous().WithTags("Hazards")
            .WithSummary("Hazard zones as GeoJSON; filter by layer, hazard, province or bbox.");

        var events = app.MapGroup("/api/flood-events").WithTags("Hazards");
        events.MapGet("/", Events).AllowAnonymous().WithSummary("Flood events as GeoJSON; active=true for the ongoing ones.");
        events.MapGet("/{id:int}", async Task<Results<Ok<FloodEventDto>, ProblemHttpResult>> (int id, CoordinationDb db, IExposureRefresh exposure, TimeProvider clock, CancellationToken ct) =>
            await EventDtoAsync(db, exposure, id, clock.GetUtcNow().UtcDateTime, ct) is { } e ? TypedResults.Ok(e)
                : Problems.NotFound("flood event", id.ToString(), HazardProblems.FloodEventNotFound))
            .AllowAnonymous();
        events.MapPost("/", Declare).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Declare a flood event: name, startedAt (default now), note, and either geometry (GeoJSON Polygon/MultiPolygon) or communes (codes; no extent, so no office is marked flooded).");
        events.MapPost("/{id:int}/close", Close).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Close an event (endedAt default now): its offices are no longer flooded now, and stay flood-prone.");
        events.MapPost("/import", ImportEvents).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Import observed flood extents: GeoJSON with name, started_at, ended_at (ISO 8601 with offset).");
    }

    /// <summary>
    /// Layer and event files: administrators for any province (null), a province operator for the province it acts for
    /// (from the one scope rule); others are refused (null allowed).
    /// </summary>
    static async Task<(bool Allowed, string? Province)> FileImporterAsync(CurrentUser current, CoordinationDb db, CancellationToken ct)
    {
        if (current.IsAdmin) return (true, null);
        if (current.Scope?.Role != Roles.ProvinceOperator) return (false, null);
        var province = await current.ProvincesActedFor(db).FirstOrDefaultAsync(ct);
        return (province is not null, province);
    }

    static async Task<Results<Ok<LayerImportResult>, ValidationProblem, ProblemHttpResult>> ImportLayer(string? name, string? source, HttpRequest request,
        HazardImporter importer, CurrentUser current, CoordinationDb db, AuditLog audit, CancellationToken ct)
    {
        var (allowed, province) = await FileImporterAsync(current, db, ct);
        if (!allowed) return Problems.Forbidden("Hazard layers are imported by administrators and province operators.", HazardProblems.LayerImportRole);
        name = SearchKey.Nfc(name)?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
            return Problems.BadParameter("name", "name (the layer's name, at most 200 characters) is required.",
                string.IsNullOrEmpty(name) ? CommonProblems.FieldRequired : CommonProblems.FieldTooLong, new { Max = 200 });
        return await Uploads.ImportAsync(request, "the GeoJSON", bytes => importer.ImportLayerAsync(name, bytes, name, SearchKey.Nfc(source), province,
            current.Required.UserName, audit: r => audit.Add(HazardAudit.HazardLayerImported, "hazard_layer", r.LayerId.ToString(), null,
                new { r.Name, r.Zones, r.Replaced, Repaired = r.Repaired.Count }, provinceCode: province), ct: ct), ct);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteLayer(int id, CoordinationDb db, CurrentUser current, AuditLog audit,
        IExposureRefresh exposure, CancellationToken ct)
    {
        var layer = await db.HazardLayers.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (layer is null) return Problems.NotFound("hazard layer", id.ToString(), HazardProblems.LayerNotFound);
        if (!(current.IsAdmin || current.Scope?.Role == Roles.ProvinceOperator && layer.ProvinceCode is not null
              && await current.ActsForProvinceAsync(db, layer.ProvinceCode, ct)))
            return Problems.Forbidden("A layer is removed by administrators or by the operator of the province it was imported for.",
                HazardProblems.LayerOutsideScope, new { layer.ProvinceCode });
        return await db.InTransactionAsync<Results<NoContent, ProblemHttpResult>>(async () =>
        {
            db.HazardLayers.Remove(layer);
            audit.Add(HazardAudit.HazardLayerDeleted, "hazard_layer", id.ToString(), new { layer.Name, layer.Source }, null, provinceCode: layer.ProvinceCode);
            await db.SaveChangesAsync(ct);
            // Exposure rows of its zones went with them (cascade); nothing else changes, but recompute to be exact.
            await exposure.RefreshAsync((NpgsqlConnection)db.Database.GetDbConnection(), ct);
            return TypedResults.NoContent();
        }, ct);
    }

    static ValidationProblem BadProvince() =>
        Problems.BadParameter("province", "province must be a 2-digit province code.", CommonProblems.FieldMalformed);

    static async Task<Results<ContentHttpResult, ValidationProblem>> Zones(int? layer, string? hazard, string? province, string? bbox, CoordinationDb db, CancellationToken ct)
    {
        if (hazard is not null && !HazardKind.All.Contains(hazard))
            return Problems.BadParameter("hazard", $"hazard must be one of {string.Join(", ", HazardKind.All)}.", CommonProblems.FieldUnknown);
        if (province is not null && !Problems.IsProvinceCode(province)) return BadProvince();
        var box = Bbox.Parse(bbox);
        if (bbox is not null && box is null)
            return Problems.BadParameter("bbox", "bbox must be minLon,minLat,maxLon,maxLat in degrees, at most 16 square degrees (name a province for more).",
                CommonProblems.FieldMalformed, new { MaxSquareDegrees = Bbox.MaxSquareDegrees });
        return TypedResults.Text(await HazardQueries.ZonesAsync(db, layer, hazard, province, box, ct), GeoJson);
    }

    static async Task<Results<ContentHttpResult, ValidationProblem>> Events(bool? active, string? province, CoordinationDb db, TimeProvider clock, CancellationToken ct)
    {
        if (province is not null && !Problems.IsProvinceCode(province)) return BadProvince();
        return TypedResults.Text(await HazardQueries.EventsAsync(db, active, province, clock.GetUtcNow().UtcDateTime, ct), GeoJson);
    }

    static async Task<FloodEventDto?> EventDtoAsync(CoordinationDb db, IExposureRefresh exposure, int id, DateTime now, CancellationToken ct)
    {
        var e = await db.FloodEvents.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (e is null) return null;
        var communes = await CoveredCommunesAsync(db, id, ct);
        var offices = await exposure.OfficesInsideAsync(id, ct);
        return new FloodEventDto(e.Id, e.Name, e.StartedAt, e.EndedAt, ActiveFloods.IsActiveAt(e, now),
            e.Source, e.Note, e.DeclaredBy, e.ClosedBy, communes, offices, e.Geom is null ? "communes" : "drawn");
    }

    static Task<List<string>> CoveredCommunesAsync(CoordinationDb db, int eventId, CancellationToken ct) =>
        db.FloodEventCommunes.Where(x => x.FloodEventId == eventId).OrderBy(x => x.CommuneCode).Select(x => x.CommuneCode).ToListAsync(ct);

    /// <summary>The province of the first commune, to place the event in the audit log.</summary>
    static Task<string> ProvinceOfAsync(CoordinationDb db, string commune, CancellationToken ct) =>
        db.Communes.Where(c => c.Code == commune).Select(c => c.ProvinceCode).FirstAsync(ct);

    static async Task<Results<Created<FloodEventDto>, ValidationProblem, ProblemHttpResult>> Declare(DeclareFloodEventRequest body, CoordinationDb db,
        CurrentUser current, AuditLog audit, TimeProvider clock, IExposureRefresh exposure, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (declaration, errors) = await FloodDeclaration.ReadAsync(body.Name, body.Note, body.StartedAt, body.Geometry, body.Communes, db, now, ct);
        if (declaration is null) return Problems.Invalid(errors);
        var covered = await declaration.CoveredAsync(db, ct);
        if (covered.Count == 0)
            return Problems.BadParameter("geometry", "the extent covers no commune (empty after repair, or outside Vietnam).", HazardProblems.CoversNoCommune);
        if (await current.OutsideAsync(covered, ct) is { Count: > 0 } outside)
            return Problems.Forbidden(declaration.Named is not null ? $"You do not act for communes {string.Join(", ", outside)}."
                : $"The extent reaches communes you do not act for: {string.Join(", ", outside)}. Draw it within your area, or ask who acts for them.",
                HazardProblems.EventOutsideScope, new { Outside = outside, declaration.Extent });

        return await db.InTransactionAsync<Results<Created<FloodEventDto>, ValidationProblem, ProblemHttpResult>>(async () =>
        {
            if (declaration.Named is not null && await FloodDeclaration.AlreadyDeclaredAsync(db, covered, now, ct) is { Count: > 0 } already)
                return Problems.Conflict($"Already declared and not closed: {string.Join("; ", already.Select(a => $"commune {a.CommuneCode} in flood event {a.EventId} '{a.Name}'"))}.",
                    HazardProblems.AlreadyDeclared, new { ActiveEvents = already.Select(a => new { communeCode = a.CommuneCode, eventId = a.EventId, name = a.Name }).ToList() });
            var id = await declaration.InsertAsync(db, covered, current.Required.UserName, now, exposure, ct);
            var dto = (await EventDtoAsync(db, exposure, id, now, ct))!;
            audit.Add(HazardAudit.FloodEventDeclared, "flood_event", id.ToString(), null, new { dto.Name, dto.StartedAt, dto.Communes, dto.OfficesInside, dto.Extent },
                communeCode: covered.Count == 1 ? covered[0] : null, provinceCode: await ProvinceOfAsync(db, covered[0], ct));
            return TypedResults.Created($"/api/flood-events/{dto.Id}", dto);
        }, ct);
    }

    static async Task<Results<Ok<FloodEventDto>, ValidationProblem, ProblemHttpResult>> Close(int id, CloseFloodEventRequest? body, CoordinationDb db,
        CurrentUser current, AuditLog audit, TimeProvider clock, IExposureRefresh exposure, CancellationToken ct)
    {
        var e = await db.FloodEvents.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (e is null) return Problems.NotFound("flood event", id.ToString(), HazardProblems.FloodEventNotFound);
        var covered = await CoveredCommunesAsync(db, id, ct);
        if (await current.OutsideAsync(covered, ct) is { Count: > 0 } outside)
            return Problems.Forbidden($"The event covers communes you do not act for: {string.Join(", ", outside)}.",
                HazardProblems.EventOutsideScope, new { Outside = outside, Extent = e.Geom is null ? "communes" : "drawn" });
        var now = clock.GetUtcNow().UtcDateTime;
        var ended = body?.EndedAt?.UtcDateTime ?? now;
        if (EndProblem(e, ended, now) is { } problem) return Problems.Invalid([problem], new { e.EndedAt });

        var before = new { e.EndedAt };
        e.EndedAt = ended;
        e.ClosedBy = current.Required.UserName;
        audit.Add(HazardAudit.FloodEventClosed, "flood_event", id.ToString(), before, new { e.EndedAt }, communeCode: covered.Count == 1 ? covered[0] : null,
            provinceCode: covered.Count > 0 ? await ProvinceOfAsync(db, covered[0], ct) : null);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await EventDtoAsync(db, exposure, id, now, ct))!);
    }

    /// <summary>An event ends once, after it started, and not in the future.</summary>
    static FieldError? EndProblem(FloodEvent e, DateTime ended, DateTime now) =>
        e.EndedAt is not null && e.EndedAt <= now ? new("endedAt", HazardProblems.AlreadyEnded, $"the event already ended at {e.EndedAt:O}.")
        : ended < e.StartedAt ? new("endedAt", CommonProblems.FieldOutOfRange, "endedAt is before the event started.")
        : ended > now.AddMinutes(5) ? new("endedAt", CommonProblems.FieldOutOfRange, "endedAt is in the future.")
        : null;

    static async Task<Results<Ok<EventImportResult>, ValidationProblem, ProblemHttpResult>> ImportEvents(HttpRequest request, HazardImporter importer,
        CurrentUser current, CoordinationDb db, AuditLog audit, CancellationToken ct)
    {
        var (allowed, province) = await FileImporterAsync(current, db, ct);
        if (!allowed)
            return Problems.Forbidden("Flood-event files are imported by administrators and province operators; commune leaders and commanders declare events on the map.",
                HazardProblems.EventImportRole);
        return await Uploads.ImportAsync(request, "the GeoJSON", bytes => importer.ImportEventsAsync("flood-events", bytes, province, current.Required.UserName,
            r => audit.Add(HazardAudit.FloodEventsImported, "flood_event", null, null, new { r.EventIds }, provinceCode: province), ct), ct);
    }
}
