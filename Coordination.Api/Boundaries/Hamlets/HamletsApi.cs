using NpgsqlTypes;

namespace Coordination.Api.Boundaries.Hamlets;

public sealed record HamletProperties(string CommuneCode, string Name, int? Households, int? Population, bool FloodProne, bool IsSample, DateTime UpdatedAt);
public sealed record HamletGeometry(string Type, double[] Coordinates);
public sealed record HamletFeature(string Type, int Id, HamletGeometry Geometry, HamletProperties Properties);
public sealed record HamletFeatures(string Type, List<HamletFeature> Features);
public sealed record HamletMatch(int Id, string Name, string CommuneCode, string CommuneName, string ProvinceName, double Lon, double Lat, bool IsSample);
public sealed record HamletImportResult(int Rows, int Inserted, int Updated, List<string> Notes);

public static class HamletsApi
{
    /// <summary>
    /// The hamlet registry. Reads are public, like the communes (a citizen looks up their hamlet; a neighbour finds
    /// where help is needed); writes are for those who act for the hamlet's commune.
    /// </summary>
    public static RouteGroupBuilder MapHamlets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/hamlets").WithTags("Hamlets");
        group.MapGet("/", List).AllowAnonymous()
            .WithSummary("Hamlets (thôn, bản, tổ dân phố) as GeoJSON points: of one commune, or in a bbox (one is required).");
        group.MapGet("/search", Search).AllowAnonymous()
            .WithSummary("Hamlets by name, with or without diacritics, best match first, with their commune and province.");
        group.MapGet("/{id:int}", async Task<Results<Ok<HamletFeature>, ProblemHttpResult>> (int id, CoordinationDb db, CancellationToken ct) =>
            await db.Hamlets.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, ct) is { } h ? TypedResults.Ok(Feature(h)) : NotFound(id))
            .AllowAnonymous().WithSummary("One hamlet as a GeoJSON Feature.");
        group.MapPost("/", Create).RequireAuthorization(Policies.Authenticated).WithSummary("Add a hamlet to a commune you act for: name and a point inside the commune.");
        group.MapPut("/{id:int}", Update).RequireAuthorization(Policies.Authenticated).WithSummary("Rename or move a hamlet, or change its households, population, flood-prone flag.");
        group.MapDelete("/{id:int}", Delete).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Remove a hamlet; requests that named it keep the name as text.");
        group.MapPost("/import", Import).RequireAuthorization(Policies.Authenticated)
            .WithSummary($"CSV ({string.Join(",", HamletFile.Columns)}); ?commune= names the commune when the file has no commune_code. A bad row refuses the file and rowProblems names each; hamlets are matched by name (with or without diacritics) and updated.");
        return group;
    }

    static ProblemHttpResult NotFound(int id) => Problems.NotFound("hamlet", id.ToString(CultureInfo.InvariantCulture), HamletProblems.NotFound);

    static ProblemHttpResult Outside(string commune) =>
        Problems.Forbidden($"You do not act for commune {commune}.", HamletProblems.OutsideScope, new { CommuneCode = commune });

    static readonly GeometryFactory Wgs84 = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    public static HamletFeature Feature(Hamlet h) => new("Feature", h.Id, new("Point", [h.Location.X, h.Location.Y]),
        new(h.CommuneCode, h.Name, h.Households, h.Population, h.FloodProne, h.IsSample, h.UpdatedAt));

    static async Task<Results<Ok<HamletFeatures>, ValidationProblem>> List(string? commune, string? bbox, CoordinationDb db, CancellationToken ct)
    {
        if (commune is not null && !Problems.IsCommuneCode(commune))
            return Problems.BadParameter("commune", "commune must be an official commune code of 4–6 digits.", CommonProblems.FieldMalformed);
        var box = Bbox.Parse(bbox);
        if (bbox is not null && box is null)
            return Problems.BadParameter("bbox", "bbox must be minLon,minLat,maxLon,maxLat in degrees, at most 16 square degrees.",
                CommonProblems.FieldMalformed, new { MaxSquareDegrees = Bbox.MaxSquareDegrees });
        if (commune is null && box is null)
            return Problems.BadParameter("commune", "give commune or bbox.", HamletProblems.FilterRequired);
        var q = db.Hamlets.AsNoTracking();
        if (commune is not null) q = q.Where(h => h.CommuneCode == commune);
        if (box is not null)
        {
            var envelope = Wgs84.ToGeometry(new Envelope(box[0], box[2], box[1], box[3]));
            q = q.Where(h => h.Location.Intersects(envelope));
        }
        var rows = await q.OrderBy(h => h.CommuneCode).ThenBy(h => h.SearchKey).Take(5000).ToListAsync(ct);
        return TypedResults.Ok(new HamletFeatures("FeatureCollection", rows.Select(Feature).ToList()));
    }

    static async Task<Results<Ok<List<HamletMatch>>, ValidationProblem>> Search(string? q, int? limit, CoordinationDb db, CancellationToken ct)
    {
        var key = SearchKey.Fold(q);
        if (key.Length < 2) return Problems.BadParameter("q", "q needs at least 2 letters.", CommonProblems.FieldRequired);
        var take = Math.Clamp(limit ?? 10, 1, 50);
        // Folded keys hold only letters, digits and single spaces, so they need no LIKE escaping.
        var rows = await db.Hamlets.AsNoTracking().Where(h => EF.Functions.Like(h.SearchKey, $"%{key}%"))
            .Join(db.Communes, h => h.CommuneCode, c => c.Code, (h, c) => new { h, c.Name, Province = c.Province!.Name })
            .OrderBy(x => x.h.SearchKey).Take(500).ToListAsync(ct);
        // Exact name first, then its start, then a word start (the word after "thôn"/"bản" counts), then anywhere.
        static int Rank(string k, string key) => k == key ? 0 : k.StartsWith(key, StringComparison.Ordinal) ? 1 : k.Contains(" " + key, StringComparison.Ordinal) ? 2 : 3;
        return TypedResults.Ok(rows.OrderBy(r => Rank(r.h.SearchKey, key)).ThenBy(r => r.h.SearchKey, StringComparer.Ordinal).Take(take)
            .Select(r => new HamletMatch(r.h.Id, r.h.Name, r.h.CommuneCode, r.Name, r.Province, r.h.Location.X, r.h.Location.Y, r.h.IsSample)).ToList());
    }


    /// <summary>The field checks, then whether the point lies in the commune; null when all is well.</summary>
    static async Task<ValidationProblem?> InvalidAsync(HamletInput body, string commune, CoordinationDb db, CancellationToken ct)
    {
        if (HamletRules.Errors(body) is { Count: > 0 } errors) return Problems.Invalid(errors, new { MaxName = HamletRules.MaxName, Max = HamletRules.MaxCount });
        if (!await CommuneGeometry.ContainsAsync(db, commune, body.Lon!.Value, body.Lat!.Value, ct))
            return Problems.Invalid([new("location", HamletProblems.OutsideCommune, $"the point [{body.Lon}, {body.Lat}] is not in commune {commune}: place the hamlet inside its commune.")]);
        return null;
    }

    static async Task<ProblemHttpResult?> NameTakenAsync(CoordinationDb db, string commune, string key, int? except, CancellationToken ct) =>
        await db.Hamlets.Where(h => h.CommuneCode == commune && h.SearchKey == key && h.Id != except).OrderBy(h => h.Id).Select(h => new { h.Id, h.Name }).FirstOrDefaultAsync(ct) is { } other
            ? Problems.Conflict($"Commune {commune} already has hamlet '{other.Name}' (#{other.Id}): open it to change it.", HamletProblems.NameTaken, new { HamletId = other.Id, other.Name })
            : null;

    static void Apply(Hamlet h, HamletInput body, string user, DateTime now)
    {
        h.Name = SearchKey.Nfc(body.Name)!;
        h.SearchKey = SearchKey.Fold(h.Name);
        h.Location = Wgs84.CreatePoint(new Coordinate(body.Lon!.Value, body.Lat!.Value));
        h.Households = body.Households;
        h.Population = body.Population;
        h.FloodProne = body.FloodProne == true;
        h.IsSample = false;   // touched by a person: no longer a demo sample
        h.UpdatedAt = now;
        h.UpdatedBy = user;
    }

    static async Task<Results<Created<HamletFeature>, ValidationProblem, ProblemHttpResult>> Create(HamletInput body, CoordinationDb db,
        CurrentUser current, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        if (body.CommuneCode is null || !Problems.IsCommuneCode(body.CommuneCode) || !await db.Communes.AnyAsync(c => c.Code == body.CommuneCode, ct))
            return Problems.BadParameter("communeCode", "communeCode must be an existing commune.", body.CommuneCode is null ? CommonProblems.FieldRequired : CommonProblems.FieldUnknown);
        if (!await current.ActsForAsync(body.CommuneCode, ct)) return Outside(body.CommuneCode);
        if (await InvalidAsync(body, body.CommuneCode, db, ct) is { } invalid) return invalid;
        if (await NameTakenAsync(db, body.CommuneCode, SearchKey.Fold(SearchKey.Nfc(body.Name)), null, ct) is { } taken) return taken;

        var hamlet = new Hamlet { CommuneCode = body.CommuneCode, Name = "", SearchKey = "", Location = null! };
        Apply(hamlet, body, current.Required.UserName, clock.GetUtcNow().UtcDateTime);
        // The audit row names the hamlet's id, so it is written after the hamlet, in the same transaction.
        await db.InTransactionAsync(async () =>
        {
            db.Hamlets.Add(hamlet);
            await db.SaveChangesAsync(ct);
            audit.Add(HamletAudit.Created, "hamlet", hamlet.Id.ToString(CultureInfo.InvariantCulture), null, HamletRules.Snapshot(hamlet), communeCode: hamlet.CommuneCode);
        }, ct);
        return TypedResults.Created($"/api/hamlets/{hamlet.Id}", Feature(hamlet));
    }

    static async Task<Results<Ok<HamletFeature>, ValidationProblem, ProblemHttpResult>> Update(int id, HamletInput body, CoordinationDb db,
        CurrentUser current, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var hamlet = await db.Hamlets.FirstOrDefaultAsync(h => h.Id == id, ct);
        if (hamlet is null) return NotFound(id);
        if (!await current.ActsForAsync(hamlet.CommuneCode, ct)) return Outside(hamlet.CommuneCode);
        if (body.CommuneCode is not null && body.CommuneCode != hamlet.CommuneCode)
            return Problems.BadParameter("communeCode", "a hamlet stays in its commune: remove it and add it to the other commune.", CommonProblems.FieldOutOfRange);
        if (await InvalidAsync(body, hamlet.CommuneCode, db, ct) is { } invalid) return invalid;
        if (await NameTakenAsync(db, hamlet.CommuneCode, SearchKey.Fold(SearchKey.Nfc(body.Name)), id, ct) is { } taken) return taken;
        var before = HamletRules.Snapshot(hamlet);
        Apply(hamlet, body, current.Required.UserName, clock.GetUtcNow().UtcDateTime);
        audit.Add(HamletAudit.Changed, "hamlet", id.ToString(CultureInfo.InvariantCulture), before, HamletRules.Snapshot(hamlet), communeCode: hamlet.CommuneCode);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Feature(hamlet));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, CoordinationDb db, CurrentUser current, AuditLog audit, CancellationToken ct)
    {
        var hamlet = await db.Hamlets.FirstOrDefaultAsync(h => h.Id == id, ct);
        if (hamlet is null) return NotFound(id);
        if (!await current.ActsForAsync(hamlet.CommuneCode, ct)) return Outside(hamlet.CommuneCode);
        db.Hamlets.Remove(hamlet);
        audit.Add(HamletAudit.Deleted, "hamlet", id.ToString(CultureInfo.InvariantCulture), HamletRules.Snapshot(hamlet), null, communeCode: hamlet.CommuneCode);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<HamletImportResult>, ValidationProblem, ProblemHttpResult>> Import(string? commune, HttpRequest request, CoordinationDb db,
        CurrentUser current, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        if (commune is not null && !Problems.IsCommuneCode(commune))
            return Problems.BadParameter("commune", "commune must be an official commune code of 4–6 digits.", CommonProblems.FieldMalformed);
        var max = Uploads.MaxBytes(request.HttpContext);
        var bytes = await Uploads.ReadAsync(request, max, ct);
        if (bytes is null) return Uploads.TooLarge(max);
        if (bytes.Length == 0)
            return Problems.BadParameter("file", $"send the CSV file as the request body (columns {string.Join(",", HamletFile.Columns)}).", CommonProblems.FieldRequired, new { MaxBytes = max });
        var (file, refusal) = HamletFile.Read(bytes, commune);
        if (refusal is not null) return refusal;
        var rows = file!.Rows;
        var codes = rows.Select(r => r.CommuneCode).Distinct().ToList();
        // Scope before anything about the communes' geometry is said.
        if (await current.OutsideAsync(codes, ct) is { Count: > 0 } outside)
            return Problems.Forbidden($"The file names communes you do not act for: {string.Join(", ", outside.Take(20))}. Nothing was written.",
                HamletProblems.OutsideScope, new { CommuneCode = outside[0], Communes = outside });

        // Unknown communes and points outside their commune, for every row at once (set-based).
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT t.row, c.code IS NOT NULL, c.name
                FROM unnest(@row::int[], @code::text[], @lon::float8[], @lat::float8[]) AS t(row, code, lon, lat)
                LEFT JOIN communes c ON c.code = t.code
                WHERE c.code IS NULL OR NOT ST_DWithin(ST_Transform(ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326), 32648), c.geom_m, 50)
                ORDER BY t.row
                """, conn);
            cmd.Parameters.AddWithValue("row", rows.Select(r => r.Row).ToArray());
            cmd.Parameters.AddWithValue("code", rows.Select(r => r.CommuneCode).ToArray());
            cmd.Parameters.AddWithValue("lon", rows.Select(r => r.Lon).ToArray());
            cmd.Parameters.AddWithValue("lat", rows.Select(r => r.Lat).ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var byRow = rows.ToDictionary(x => x.Row);
            while (await r.ReadAsync(ct))
            {
                var row = byRow[r.GetInt32(0)];
                if (!r.GetBoolean(1))
                {
                    file.Problems.Add(new("file", CommonProblems.FieldUnknown, $"row {row.Row}: no commune with code {row.CommuneCode}"));
                    file.RowProblems.Add(new(row.Row, HamletProblems.RowCommuneUnknown, "commune_code", row.CommuneCode));
                }
                else
                {
                    file.Problems.Add(new("file", HamletProblems.OutsideCommune, $"row {row.Row}: the point [{row.Lon}, {row.Lat}] is not in {r.GetString(2)}"));
                    file.RowProblems.Add(new(row.Row, HamletProblems.RowOutsideCommune, "lon", r.GetString(2)));
                }
            }
        }
        finally { await db.Database.CloseConnectionAsync(); }
        if (file.Problems.Count > 0)
            return Problems.Invalid(file.Problems.Take(200).ToList(),
                new { Rows = file.Problems.Count, RowProblems = file.RowProblems.OrderBy(p => p.Row).Take(200).ToList() }, CommonProblems.FileRefused,
                title: "The file was refused; nothing was written.");

        var imported = await db.InRawTransactionAsync(async tx =>
        {
            int inserted = 0, updated = 0;
            await using (var cmd = new NpgsqlCommand("""
                INSERT INTO hamlets AS h (commune_code, name, search_key, location, households, population, flood_prone, is_sample, updated_at, updated_by)
                SELECT code, name, key, ST_SetSRID(ST_MakePoint(lon, lat), 4326), households, population, flood, false, @now, @by
                FROM unnest(@code::text[], @name::text[], @key::text[], @lon::float8[], @lat::float8[], @households::int[], @population::int[], @flood::bool[])
                    AS t(code, name, key, lon, lat, households, population, flood)
                ON CONFLICT (commune_code, search_key) DO UPDATE SET name = excluded.name, location = excluded.location,
                    households = excluded.households, population = excluded.population, flood_prone = excluded.flood_prone,
                    is_sample = false, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                RETURNING (xmax = 0)
                """, tx))
            {
                cmd.Parameters.AddWithValue("code", rows.Select(r => r.CommuneCode).ToArray());
                cmd.Parameters.AddWithValue("name", rows.Select(r => r.Name).ToArray());
                cmd.Parameters.AddWithValue("key", rows.Select(r => r.SearchKey).ToArray());
                cmd.Parameters.AddWithValue("lon", rows.Select(r => r.Lon).ToArray());
                cmd.Parameters.AddWithValue("lat", rows.Select(r => r.Lat).ToArray());
                cmd.Parameters.Add(new NpgsqlParameter("households", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = rows.Select(r => r.Households).ToArray() });
                cmd.Parameters.Add(new NpgsqlParameter("population", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = rows.Select(r => r.Population).ToArray() });
                cmd.Parameters.AddWithValue("flood", rows.Select(r => r.FloodProne).ToArray());
                cmd.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
                cmd.Parameters.AddWithValue("by", current.Required.UserName);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct)) if (r.GetBoolean(0)) inserted++; else updated++;
            }
            return new HamletImportResult(rows.Count, inserted, updated, file.Notes);
        }, ct, result => audit.Add(HamletAudit.Imported, "hamlet", null, null, new { result.Rows, result.Inserted, result.Updated, Communes = codes },
            communeCode: codes.Count == 1 ? codes[0] : null));
        return TypedResults.Ok(imported);
    }
}
