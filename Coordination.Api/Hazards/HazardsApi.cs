using System.Text.Json;
using Coordination.Api.Identity;
using Coordination.Api.Data;
using Coordination.Api.Offices;
using Coordination.Api.Kernel;
using Coordination.Api.Boundaries;
using Coordination.Api.Boundaries.Import;
using Coordination.Api.Hazards.Import;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

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
        events.MapGet("/{id:int}", async Task<Results<Ok<FloodEventDto>, ProblemHttpResult>> (int id, CoordinationDb db, TimeProvider clock, CancellationToken ct) =>
            await EventDtoAsync(db, id, clock.GetUtcNow().UtcDateTime, ct) is { } e ? TypedResults.Ok(e) : Problems.NotFound("flood event", id.ToString()))
            .AllowAnonymous();
        events.MapPost("/", Declare).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Declare a flood event: name, startedAt (default now), note, and either geometry (GeoJSON Polygon/MultiPolygon) or communes (codes; no extent, so no office is marked flooded).");
        events.MapPost("/{id:int}/close", Close).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Close an event (endedAt default now): its offices are no longer flooded now, and stay flood-prone.");
        events.MapPost("/import", ImportEvents).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Import observed flood extents: GeoJSON with name, started_at, ended_at (ISO 8601 with offset).");
    }

    /// <summary>Layer and event files: administrators for any province, operators for theirs; others are refused.</summary>
    static (bool Allowed, string? Province) FileImporter(UserScope? user) => user switch
    {
        { IsAdmin: true } => (true, null),
        { Role: Roles.ProvinceOperator, Kind: ScopeKinds.Province } => (true, user.Code),
        _ => (false, null),
    };

    static async Task<Results<Ok<LayerImportResult>, ValidationProblem, ProblemHttpResult>> ImportLayer(string? name, string? source, HttpRequest request,
        HazardImporter importer, AuditLog audit, HttpContext http, CancellationToken ct)
    {
        var user = UserScope.From(http.User);
        var (allowed, province) = FileImporter(user);
        if (!allowed) return Problems.Forbidden("Hazard layers are imported by administrators and province operators.");
        name = SearchKey.Nfc(name)?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) return Problems.BadParameter("name", "name (the layer's name, at most 200 characters) is required.");
        var bytes = await Uploads.ReadBodyAsync(request, ct);
        if (bytes is null) return Problems.BadParameter("file", $"send the GeoJSON as the request body (at most {Uploads.MaxBytes / 1_000_000} MB).");
        try
        {
            return TypedResults.Ok(await importer.ImportLayerAsync(name, bytes, name, SearchKey.Nfc(source), province, user!.UserName,
                audit: r => audit.Add(HazardAudit.HazardLayerImported, "hazard_layer", r.LayerId.ToString(), null,
                    new { r.Name, r.Zones, r.Replaced, Repaired = r.Repaired.Count }, provinceCode: province), ct: ct));
        }
        catch (GeoImportRejected e) { return Uploads.Rejected(e); }
        catch (OutsideScope e) { return Problems.Forbidden(string.Join("; ", e.Items)); }
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteLayer(int id, CoordinationDb db, AuditLog audit, HttpContext http,
        IOptions<ExposureOptions> exposure, CancellationToken ct)
    {
        var layer = await db.HazardLayers.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (layer is null) return Problems.NotFound("hazard layer", id.ToString());
        var user = UserScope.From(http.User);
        if (!(user?.IsAdmin == true || user?.Role == Roles.ProvinceOperator && layer.ProvinceCode is not null && layer.ProvinceCode == user.Code))
            return Problems.Forbidden("A layer is removed by administrators or by the operator of the province it was imported for.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.HazardLayers.Remove(layer);
        audit.Add(HazardAudit.HazardLayerDeleted, "hazard_layer", id.ToString(), new { layer.Name, layer.Source }, null, provinceCode: layer.ProvinceCode);
        await db.SaveChangesAsync(ct);
        // Exposure rows of its zones went with them (cascade); nothing else changes, but recompute to be exact.
        await ExposureCalculator.RefreshAsync((NpgsqlConnection)db.Database.GetDbConnection(), exposure.Value.NearDistanceMetres, null, ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<ContentHttpResult, ValidationProblem>> Zones(int? layer, string? hazard, string? province, string? bbox, CoordinationDb db, CancellationToken ct)
    {
        if (hazard is not null && !HazardKind.All.Contains(hazard)) return Problems.BadParameter("hazard", $"hazard must be one of {string.Join(", ", HazardKind.All)}.");
        if (province is not null && !Problems.IsProvinceCode(province)) return Problems.BadParameter("province", "province must be a 2-digit province code.");
        var box = Bbox.Parse(bbox);
        if (bbox is not null && box is null) return Problems.BadParameter("bbox", "bbox must be minLon,minLat,maxLon,maxLat in degrees, at most 16 square degrees (name a province for more).");
        var json = await db.Database.SqlQueryRaw<string>("""
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', z.id, 'geometry', ST_AsGeoJSON(z.geom, 5)::json,
                'properties', json_build_object('id', z.id, 'layerId', l.id, 'layerName', l.name, 'isSample', l.is_sample, 'hazard', z.hazard,
                    'name', z.name, 'depthClass', z.depth_class, 'returnPeriodYears', z.return_period_years, 'source', z.source, 'sourceDate', z.source_date))
                ORDER BY z.id), '[]'::json))::text AS "Value"
            FROM hazard_zones z JOIN hazard_layers l ON l.id = z.layer_id
            WHERE (@layer::int IS NULL OR z.layer_id = @layer) AND (@hazard::text IS NULL OR z.hazard = @hazard)
              AND (@bbox::float8[] IS NULL OR z.geom && ST_MakeEnvelope(@bbox[1], @bbox[2], @bbox[3], @bbox[4], 4326))
              AND (@province::text IS NULL OR EXISTS (SELECT 1 FROM communes c WHERE c.province_code = @province AND ST_Intersects(c.geom, z.geom)))
            """,
            new NpgsqlParameter("layer", NpgsqlDbType.Integer) { Value = (object?)layer ?? DBNull.Value },
            new NpgsqlParameter("hazard", NpgsqlDbType.Text) { Value = (object?)hazard ?? DBNull.Value },
            new NpgsqlParameter("bbox", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = (object?)box ?? DBNull.Value },
            new NpgsqlParameter("province", NpgsqlDbType.Text) { Value = (object?)province ?? DBNull.Value }).SingleAsync(ct);
        return TypedResults.Text(json, GeoJson);
    }

    static async Task<Results<ContentHttpResult, ValidationProblem>> Events(bool? active, string? province, CoordinationDb db, TimeProvider clock, CancellationToken ct)
    {
        if (province is not null && !Problems.IsProvinceCode(province)) return Problems.BadParameter("province", "province must be a 2-digit province code.");
        // An event declared for communes has no extent: it is drawn as its communes, with extent = "communes" saying so.
        var json = await db.Database.SqlQueryRaw<string>($"""
            WITH e AS (SELECT *, {ActiveFloods.IsActive("flood_events")} AS active FROM flood_events)
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', e.id,
                'geometry', ST_AsGeoJSON(coalesce(e.geom, (SELECT ST_Multi(ST_Union(c.geom)) FROM flood_event_communes fc
                    JOIN communes c ON c.code = fc.commune_code WHERE fc.flood_event_id = e.id)), 6)::json,
                'properties', json_build_object('id', e.id, 'name', e.name, 'startedAt', e.started_at, 'endedAt', e.ended_at, 'active', e.active,
                    'source', e.source, 'note', e.note, 'declaredBy', e.declared_by, 'closedBy', e.closed_by,
                    'extent', CASE WHEN e.geom IS NULL THEN 'communes' ELSE 'drawn' END,
                    'communes', (SELECT coalesce(json_agg(json_build_object('code', c.code, 'name', c.name, 'kind', c.kind, 'provinceCode', c.province_code)
                        ORDER BY c.code), '[]'::json) FROM flood_event_communes fc JOIN communes c ON c.code = fc.commune_code WHERE fc.flood_event_id = e.id)))
                ORDER BY e.started_at DESC, e.id), '[]'::json))::text AS "Value"
            FROM e
            WHERE (@active::bool IS NULL OR e.active = @active)
              AND (@province::text IS NULL OR EXISTS (SELECT 1 FROM communes c WHERE c.province_code = @province AND ST_Intersects(c.geom, e.geom))
                   OR EXISTS (SELECT 1 FROM flood_event_communes fc JOIN communes c ON c.code = fc.commune_code
                              WHERE fc.flood_event_id = e.id AND c.province_code = @province))
            """,
            new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = clock.GetUtcNow().UtcDateTime },
            new NpgsqlParameter("active", NpgsqlDbType.Boolean) { Value = (object?)active ?? DBNull.Value },
            new NpgsqlParameter("province", NpgsqlDbType.Text) { Value = (object?)province ?? DBNull.Value }).SingleAsync(ct);
        return TypedResults.Text(json, GeoJson);
    }

    static async Task<FloodEventDto?> EventDtoAsync(CoordinationDb db, int id, DateTime now, CancellationToken ct)
    {
        var e = await db.FloodEvents.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (e is null) return null;
        var communes = await CoveredCommunesAsync(db, id, ct);
        var offices = await db.OfficeExposures.CountAsync(x => x.FloodEventId == id, ct);
        return new FloodEventDto(e.Id, e.Name, e.StartedAt, e.EndedAt, ActiveFloods.IsActiveAt(e, now),
            e.Source, e.Note, e.DeclaredBy, e.ClosedBy, communes, offices, e.Geom is null ? "communes" : "drawn");
    }

    /// <summary>
    /// Communes an extent really covers: intersecting it shrunk by 50 m, so a line drawn along a border does not
    /// pull in the neighbour (a tiny extent is taken as it is) — the rule of <see cref="FloodEventCoverage"/>.
    /// </summary>
    static readonly string CoveredSql =
        "SELECT c.code AS \"Value\" FROM communes c, (SELECT ST_Transform({0}, 32648) AS g) x WHERE ST_Intersects(c.geom_m, "
        + string.Format(FloodEventCoverage.Shrunk, "x.g") + ") ORDER BY c.code";

    static Task<List<string>> CoveredCommunesAsync(CoordinationDb db, int eventId, CancellationToken ct) =>
        db.FloodEventCommunes.Where(x => x.FloodEventId == eventId).OrderBy(x => x.CommuneCode).Select(x => x.CommuneCode).ToListAsync(ct);

    /// <summary>At most this many communes in one declaration (a defense area has a dozen or so).</summary>
    const int MaxDeclaredCommunes = 100;

    static async Task<Results<Created<FloodEventDto>, ValidationProblem, ProblemHttpResult>> Declare(DeclareFloodEventRequest body, CoordinationDb db,
        ScopeChecker scopes, AuditLog audit, HttpContext http, TimeProvider clock, IOptions<ExposureOptions> exposure, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = SearchKey.Nfc(body.Name)?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) errors["name"] = ["name is required (at most 200 characters)."];
        var note = SearchKey.Nfc(body.Note)?.Trim();
        if (note?.Length > 1000) errors["note"] = ["note is at most 1000 characters."];
        var now = clock.GetUtcNow().UtcDateTime;
        var started = body.StartedAt?.UtcDateTime ?? now;
        if (started > now.AddHours(1)) errors["startedAt"] = ["startedAt is in the future: declare an event when it happens."];
        string? geometry = null;
        List<string>? named = null;
        var hasGeometry = body.Geometry is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) };
        if (hasGeometry && body.Communes is not null)
            errors["communes"] = ["give either geometry (a drawn extent, whose communes are found) or communes, not both."];
        else if (body.Communes is not null)
        {
            // A leader who knows only that the commune floods: the event covers these communes and has no extent.
            named = body.Communes.Select(c => c?.Trim() ?? "").Distinct().ToList();
            if (named.Count == 0) errors["communes"] = ["communes must name at least one commune code."];
            else if (named.Count > MaxDeclaredCommunes) errors["communes"] = [$"at most {MaxDeclaredCommunes} communes in one declaration."];
            else if (named.FirstOrDefault(c => !Problems.IsCommuneCode(c)) is { } bad) errors["communes"] = [$"'{bad}' is not a commune code (4–6 digits)."];
            else
            {
                var known = await db.Communes.Where(c => named.Contains(c.Code)).Select(c => c.Code).ToListAsync(ct);
                if (named.Except(known).ToList() is { Count: > 0 } unknown) errors["communes"] = [$"no commune {string.Join(", ", unknown)}."];
            }
        }
        else if (body.Geometry is not { ValueKind: JsonValueKind.Object } g)
            errors["geometry"] = ["geometry (a GeoJSON Polygon or MultiPolygon) or communes (commune codes) is required."];
        else
        {
            var type = g.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var problem = type is not ("Polygon" or "MultiPolygon") ? $"geometry is {type ?? "of no type"}; expected Polygon or MultiPolygon"
                : g.TryGetProperty("coordinates", out var coords) ? CommuneFile.CheckCoordinates(type, coords) : "geometry has no coordinates";
            if (problem is not null) errors["geometry"] = [problem];
            else geometry = g.GetRawText();
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        const string Repaired = "ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(@g), 4326)), 3))";
        var covered = named is not null ? named.Order(StringComparer.Ordinal).ToList()
            : await db.Database.SqlQueryRaw<string>(string.Format(CoveredSql, Repaired), new NpgsqlParameter("g", geometry)).ToListAsync(ct);
        if (covered.Count == 0) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["geometry"] = ["the extent covers no commune (empty after repair, or outside Vietnam)."] });
        var outside = await scopes.OutsideScopeAsync(db, UserScope.From(http.User), covered, ct);
        if (outside.Count > 0)
            return Problems.Forbidden(named is not null ? $"You do not act for communes {string.Join(", ", outside)}."
                : $"The extent reaches communes you do not act for: {string.Join(", ", outside)}. Draw it within your area, or ask who acts for them.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        if (named is not null)
        {
            // The same commune declared twice (a double tap, or its leader and its commander both): one flood is enough.
            // Locked, so two declarations at the same moment cannot both pass this check.
            await db.Database.ExecuteSqlRawAsync("LOCK TABLE flood_event_communes IN SHARE ROW EXCLUSIVE MODE", ct);
            var already = await (from fc in db.FloodEventCommunes
                                 join e in db.FloodEvents.Where(ActiveFloods.At(now)) on fc.FloodEventId equals e.Id
                                 where covered.Contains(fc.CommuneCode) && e.Geom == null
                                 orderby fc.CommuneCode
                                 select new { fc.CommuneCode, e.Id, e.Name }).ToListAsync(ct);
            if (already.Count > 0)
                return TypedResults.Problem(title: "Not possible in the current state.", statusCode: StatusCodes.Status409Conflict,
                    detail: $"Already declared and not closed: {string.Join("; ", already.Select(a => $"commune {a.CommuneCode} in flood event {a.Id} '{a.Name}'"))}.",
                    extensions: new Dictionary<string, object?> { ["activeEvents"] = already.Select(a => new { communeCode = a.CommuneCode, eventId = a.Id, name = a.Name }).ToList() });
        }
        int newId;
        await using (var cmd = new NpgsqlCommand($"""
            INSERT INTO flood_events (name, started_at, source, note, geom, declared_by, created_at)
            VALUES (@name, @started, 'declared', @note, {(named is null ? Repaired : "NULL")}, @by, @now) RETURNING id
            """, conn))
        {
            cmd.Parameters.AddWithValue("name", name!);
            cmd.Parameters.AddWithValue("started", started);
            cmd.Parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Text) { Value = (object?)note ?? DBNull.Value });
            if (named is null) cmd.Parameters.AddWithValue("g", geometry!);
            cmd.Parameters.AddWithValue("by", http.User.Identity!.Name!);
            cmd.Parameters.AddWithValue("now", now);
            newId = (int)(await cmd.ExecuteScalarAsync(ct))!;
        }
        if (named is null)
        {
            await FloodEventCoverage.RefreshAsync(conn, [newId], ct);
            await ExposureCalculator.RefreshAsync(conn, exposure.Value.NearDistanceMetres, null, ct);
        }
        else
        {
            // No extent: the covered communes are the declaration, and no office is inside it.
            db.FloodEventCommunes.AddRange(covered.Select(c => new FloodEventCommune { FloodEventId = newId, CommuneCode = c }));
            await db.SaveChangesAsync(ct);
        }
        var dto = (await EventDtoAsync(db, newId, now, ct))!;
        audit.Add(HazardAudit.FloodEventDeclared, "flood_event", newId.ToString(), null, new { dto.Name, dto.StartedAt, dto.Communes, dto.OfficesInside, dto.Extent },
            communeCode: covered.Count == 1 ? covered[0] : null, provinceCode: await db.Communes.Where(c => c.Code == covered[0]).Select(c => c.ProvinceCode).FirstAsync(ct));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/flood-events/{dto.Id}", dto);
    }

    static async Task<Results<Ok<FloodEventDto>, ValidationProblem, ProblemHttpResult>> Close(int id, CloseFloodEventRequest? body, CoordinationDb db,
        ScopeChecker scopes, AuditLog audit, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var e = await db.FloodEvents.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (e is null) return Problems.NotFound("flood event", id.ToString());
        var covered = await CoveredCommunesAsync(db, id, ct);
        var outside = await scopes.OutsideScopeAsync(db, UserScope.From(http.User), covered, ct);
        if (outside.Count > 0) return Problems.Forbidden($"The event covers communes you do not act for: {string.Join(", ", outside)}.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (e.EndedAt is not null && e.EndedAt <= now)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["endedAt"] = [$"the event already ended at {e.EndedAt:O}."] });
        var ended = body?.EndedAt?.UtcDateTime ?? now;
        if (ended < e.StartedAt) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["endedAt"] = ["endedAt is before the event started."] });
        if (ended > now.AddMinutes(5)) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["endedAt"] = ["endedAt is in the future."] });
        var before = new { e.EndedAt };
        e.EndedAt = ended;
        e.ClosedBy = http.User.Identity!.Name;
        audit.Add(HazardAudit.FloodEventClosed, "flood_event", id.ToString(), before, new { e.EndedAt }, communeCode: covered.Count == 1 ? covered[0] : null,
            provinceCode: covered.Count > 0 ? await db.Communes.Where(c => c.Code == covered[0]).Select(c => c.ProvinceCode).FirstAsync(ct) : null);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await EventDtoAsync(db, id, now, ct))!);
    }

    static async Task<Results<Ok<EventImportResult>, ValidationProblem, ProblemHttpResult>> ImportEvents(HttpRequest request, HazardImporter importer,
        AuditLog audit, HttpContext http, CancellationToken ct)
    {
        var user = UserScope.From(http.User);
        var (allowed, province) = FileImporter(user);
        if (!allowed) return Problems.Forbidden("Flood-event files are imported by administrators and province operators; commune leaders and commanders declare events on the map.");
        var bytes = await Uploads.ReadBodyAsync(request, ct);
        if (bytes is null) return Problems.BadParameter("file", $"send the GeoJSON as the request body (at most {Uploads.MaxBytes / 1_000_000} MB).");
        try
        {
            return TypedResults.Ok(await importer.ImportEventsAsync("flood-events", bytes, province, user!.UserName,
                r => audit.Add(HazardAudit.FloodEventsImported, "flood_event", null, null, new { r.EventIds }, provinceCode: province), ct));
        }
        catch (GeoImportRejected e) { return Uploads.Rejected(e); }
        catch (OutsideScope e) { return Problems.Forbidden(string.Join("; ", e.Items)); }
    }
}
