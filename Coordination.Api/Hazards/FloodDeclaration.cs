using Coordination.Api.Boundaries.Import;
using NpgsqlTypes;

namespace Coordination.Api.Hazards;

/// <summary>
/// A flood event declared on the map: either a drawn extent (offices inside it are flooded, its communes are found by
/// <see cref="FloodEventCoverage"/>'s rule) or communes named by a leader who knows only that the commune floods (no
/// extent, so no office is marked flooded).
/// </summary>
public sealed record FloodDeclaration(string Name, string? Note, DateTime StartedAt, string? Geometry, List<string>? Named)
{
    /// <summary>At most this many communes in one declaration (a defense area has a dozen or so).</summary>
    public const int MaxDeclaredCommunes = 100;

    const string Repaired = "ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(@g), 4326)), 3))";

    /// <summary>
    /// Communes an extent really covers: intersecting it shrunk by 50 m, so a line drawn along a border does not
    /// pull in the neighbour (a tiny extent is taken as it is) — the rule of <see cref="FloodEventCoverage"/>.
    /// </summary>
    static readonly string CoveredSql =
        "SELECT c.code AS \"Value\" FROM communes c, (SELECT ST_Transform({0}, 32648) AS g) x WHERE ST_Intersects(c.geom_m, "
        + string.Format(FloodEventCoverage.Shrunk, "x.g") + ") ORDER BY c.code";

    public string Extent => Named is null ? "drawn" : "communes";

    /// <summary>The declaration the request makes, or the reasons it is not one (one per field).</summary>
    public static async Task<(FloodDeclaration? Declaration, List<FieldError> Errors)> ReadAsync(
        string? name, string? note, DateTimeOffset? startedAt, JsonElement? geometry, List<string>? communes, CoordinationDb db, DateTime now, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        name = SearchKey.Nfc(name)?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
            errors.Add(new("name", string.IsNullOrEmpty(name) ? CommonProblems.FieldRequired : CommonProblems.FieldTooLong, "name is required (at most 200 characters)."));
        note = SearchKey.Nfc(note)?.Trim();
        if (note?.Length > 1000) errors.Add(new("note", CommonProblems.FieldTooLong, "note is at most 1000 characters."));
        var started = startedAt?.UtcDateTime ?? now;
        if (started > now.AddHours(1)) errors.Add(new("startedAt", CommonProblems.FieldOutOfRange, "startedAt is in the future: declare an event when it happens."));
        string? extent = null;
        List<string>? named = null;
        var hasGeometry = geometry is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) };
        if (hasGeometry && communes is not null)
            errors.Add(new("communes", HazardProblems.ExtentOrCommunes, "give either geometry (a drawn extent, whose communes are found) or communes, not both."));
        else if (communes is not null)
        {
            named = communes.Select(c => c?.Trim() ?? "").Distinct().ToList();
            if (await NamedCommunesProblemAsync(named, db, ct) is { } problem) errors.Add(problem);
        }
        else if (geometry is not { ValueKind: JsonValueKind.Object } g)
            errors.Add(new("geometry", CommonProblems.FieldRequired, "geometry (a GeoJSON Polygon or MultiPolygon) or communes (commune codes) is required."));
        else
        {
            var type = g.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var problem = type is not ("Polygon" or "MultiPolygon") ? $"geometry is {type ?? "of no type"}; expected Polygon or MultiPolygon"
                : g.TryGetProperty("coordinates", out var coords) ? CommuneFile.CheckCoordinates(type, coords) : "geometry has no coordinates";
            if (problem is not null) errors.Add(new("geometry", CommonProblems.FieldMalformed, problem));
            else extent = g.GetRawText();
        }
        return errors.Count > 0 ? (null, errors) : (new FloodDeclaration(name!, note, started, extent, named), errors);
    }

    static async Task<FieldError?> NamedCommunesProblemAsync(List<string> named, CoordinationDb db, CancellationToken ct)
    {
        if (named.Count == 0) return new("communes", CommonProblems.FieldRequired, "communes must name at least one commune code.");
        if (named.Count > MaxDeclaredCommunes) return new("communes", CommonProblems.FieldOutOfRange, $"at most {MaxDeclaredCommunes} communes in one declaration.");
        if (named.FirstOrDefault(c => !Problems.IsCommuneCode(c)) is { } bad) return new("communes", CommonProblems.FieldMalformed, $"'{bad}' is not a commune code (4–6 digits).");
        var known = await db.Communes.Where(c => named.Contains(c.Code)).Select(c => c.Code).ToListAsync(ct);
        return named.Except(known).ToList() is { Count: > 0 } unknown
            ? new("communes", CommonProblems.FieldUnknown, $"no commune {string.Join(", ", unknown)}.") : null;
    }

    /// <summary>The communes the event covers, in code order: those named, or those the drawn extent covers.</summary>
    public async Task<List<string>> CoveredAsync(CoordinationDb db, CancellationToken ct) =>
        Named is not null ? Named.Order(StringComparer.Ordinal).ToList()
            : await db.Database.SqlQueryRaw<string>(string.Format(CoveredSql, Repaired), new NpgsqlParameter("g", Geometry)).ToListAsync(ct);

    /// <summary>
    /// The same commune declared twice (a double tap, or its leader and its commander both): one flood is enough.
    /// Locked, so two declarations at the same moment cannot both pass this check. Inside the caller's transaction.
    /// </summary>
    public static async Task<List<ActiveEvent>> AlreadyDeclaredAsync(CoordinationDb db, List<string> covered, DateTime now, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync("LOCK TABLE flood_event_communes IN SHARE ROW EXCLUSIVE MODE", ct);
        return await (from fc in db.FloodEventCommunes
                      join e in db.FloodEvents.Where(ActiveFloods.At(now)) on fc.FloodEventId equals e.Id
                      where covered.Contains(fc.CommuneCode) && e.Geom == null
                      orderby fc.CommuneCode
                      select new ActiveEvent(fc.CommuneCode, e.Id, e.Name)).ToListAsync(ct);
    }

    /// <summary>Writes the event and what follows from it (its communes; for a drawn extent, office exposure). Returns its id.</summary>
    public async Task<int> InsertAsync(CoordinationDb db, List<string> covered, string declaredBy, DateTime now, IExposureRefresh exposure, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        int id;
        await using (var cmd = new NpgsqlCommand($"""
            INSERT INTO flood_events (name, started_at, source, note, geom, declared_by, created_at)
            VALUES (@name, @started, 'declared', @note, {(Named is null ? Repaired : "NULL")}, @by, @now) RETURNING id
            """, conn))
        {
            cmd.Parameters.AddWithValue("name", Name);
            cmd.Parameters.AddWithValue("started", StartedAt);
            cmd.Parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Text) { Value = (object?)Note ?? DBNull.Value });
            if (Named is null) cmd.Parameters.AddWithValue("g", Geometry!);
            cmd.Parameters.AddWithValue("by", declaredBy);
            cmd.Parameters.AddWithValue("now", now);
            id = (int)(await cmd.ExecuteScalarAsync(ct))!;
        }
        if (Named is null)
        {
            await FloodEventCoverage.RefreshAsync(conn, [id], ct);
            await exposure.RefreshAsync(conn, ct);
        }
        else
        {
            // No extent: the covered communes are the declaration, and no office is inside it.
            db.FloodEventCommunes.AddRange(covered.Select(c => new FloodEventCommune { FloodEventId = id, CommuneCode = c }));
            await db.SaveChangesAsync(ct);
        }
        return id;
    }
}

/// <summary>A commune already in an open flood event declared for communes.</summary>
public sealed record ActiveEvent(string CommuneCode, int EventId, string Name);
