namespace Coordination.Api.Alerts;

public sealed record SubscriberInput(string? Phone, List<string>? Communes, bool? PrefersFolded, bool? TestGroup, string? Note, string? ConsentSource);
public sealed record SubscriberPatch(bool? PrefersFolded, bool? TestGroup, string? Note);
public sealed record SubscriberDto(long Id, string Phone, List<string> Communes, bool PrefersFolded, bool TestGroup, string ConsentSource, DateTime ConsentAt,
    string? ConsentBy, bool OptedOut, DateTime? OptedOutAt, string? Note, DateTime CreatedAt, DateTime UpdatedAt);
public sealed record ImportRowProblem(int Row, string Problem);
public sealed record ImportResult(int Rows, int Created, int Updated, List<ImportRowProblem> OptedOutNotAdded, List<string> Notes);

public static class SubscribersApi
{
    public const int MaxImportRows = 100_000;

    /// <summary>
    /// Citizens subscribed to SMS alerts. Phone numbers are personal data: an official sees and manages the
    /// subscribers of the communes they act for. Officials add numbers one by one or by CSV; citizens subscribe and
    /// opt out by SMS (see SmsWebhooks). An opted-out number is never re-added by an official.
    /// </summary>
    public static void MapSubscribers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/subscribers").WithTags("Alerts").RequireAuthorization(Policies.Authenticated);
        group.MapGet("/", List).WithSummary("Subscribers of a commune you act for (commune=CODE), or one number (phone=…).");
        group.MapPost("/", Add).WithSummary("Add a number to communes (or more communes to a known number). An opted-out number is refused (409).");
        group.MapPatch("/{id:long}", Patch);
        group.MapDelete("/{id:long}/communes/{code}", RemoveCommune);
        group.MapGet("/{id:long}/messages", Messages).WithSummary("The SMS log of one number.");
        group.MapPost("/import", Import).WithSummary("CSV: phone,communes[,folded,test_group,note]. A bad row refuses the whole file (each named); nothing is written.")
            .Accepts<string>("text/csv");
    }

    static async Task<SubscriberDto?> LoadAsync(CoordinationDb db, long id, CancellationToken ct) =>
        await db.Subscribers.AsNoTracking().Where(s => s.Id == id).Select(s => new SubscriberDto(s.Id, s.Phone, s.Communes.OrderBy(c => c.CommuneCode).Select(c => c.CommuneCode).ToList(),
            s.PrefersFolded, s.TestGroup, s.ConsentSource, s.ConsentAt, s.ConsentBy, s.OptedOut, s.OptedOutAt, s.Note, s.CreatedAt, s.UpdatedAt)).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Whether the user acts for at least one of the subscriber's communes. An administrator (who acts for every
    /// commune) also manages a number left without any commune.
    /// </summary>
    static async Task<bool> InScopeAsync(CoordinationDb db, CurrentUser current, long id, CancellationToken ct)
    {
        var mine = current.Communes;
        return current.IsAdmin || await db.SubscriberCommunes.AnyAsync(c => c.SubscriberId == id && mine.Contains(c.CommuneCode), ct);
    }

    static ProblemHttpResult NotFound(long id) => Problems.NotFound("subscriber", id.ToString(), AlertProblems.SubscriberNotFound);

    static ProblemHttpResult Outside(string detail, IEnumerable<string> communes) =>
        Problems.Forbidden(detail, AlertProblems.SubscriberOutsideScope, new { Communes = communes.Take(20).ToList() });

    static async Task<Results<Ok<List<SubscriberDto>>, ValidationProblem, ProblemHttpResult>> List(string? commune, string? phone, long? afterId, int? limit,
        CoordinationDb db, CurrentUser current, CancellationToken ct)
    {
        if (phone is not null)
        {
            var p = Phones.Normalise(phone);
            if (p.E164 is null) return Problems.BadParameter("phone", p.Error!, CommonProblems.FieldMalformed);
            var id = await db.Subscribers.Where(s => s.Phone == p.E164).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
            if (id is null || !await InScopeAsync(db, current, id.Value, ct)) return TypedResults.Ok(new List<SubscriberDto>());
            return TypedResults.Ok(new List<SubscriberDto> { (await LoadAsync(db, id.Value, ct))! });
        }
        if (commune is null) return Problems.BadParameter("commune", "give commune=CODE (or phone=…).", CommonProblems.FieldRequired);
        if (!await db.Communes.AnyAsync(c => c.Code == commune, ct)) return Problems.NotFound("commune", commune);
        if (!await current.ActsForAsync(commune, ct)) return Outside($"You do not act for commune {commune}.", [commune]);
        var ids = await db.SubscriberCommunes.Where(c => c.CommuneCode == commune && c.SubscriberId > (afterId ?? 0)).OrderBy(c => c.SubscriberId)
            .Take(Math.Clamp(limit ?? 100, 1, 1000)).Select(c => c.SubscriberId).ToListAsync(ct);
        var list = await db.Subscribers.AsNoTracking().Where(s => ids.Contains(s.Id)).OrderBy(s => s.Id).Select(s => new SubscriberDto(s.Id, s.Phone,
            s.Communes.OrderBy(c => c.CommuneCode).Select(c => c.CommuneCode).ToList(), s.PrefersFolded, s.TestGroup, s.ConsentSource, s.ConsentAt, s.ConsentBy,
            s.OptedOut, s.OptedOutAt, s.Note, s.CreatedAt, s.UpdatedAt)).ToListAsync(ct);
        return TypedResults.Ok(list);
    }

    static async Task<Results<Created<SubscriberDto>, Ok<SubscriberDto>, ValidationProblem, ProblemHttpResult>> Add(SubscriberInput body, CoordinationDb db,
        CurrentUser current, AuditLog audit, IOptions<SmsOptions> sms, TimeProvider clock, CancellationToken ct)
    {
        var phone = Phones.Subscriber(body.Phone, sms.Value.AllowForeignNumbers);
        if (phone.E164 is null) return Problems.BadParameter("phone", phone.Error!, CommonProblems.FieldMalformed);
        var codes = (body.Communes ?? []).Select(c => c?.Trim() ?? "").Where(c => c.Length > 0).Distinct().ToList();
        if (codes.Count == 0) return Problems.BadParameter("communes", "give at least one commune code.", CommonProblems.FieldRequired);
        var known = await db.Communes.Where(c => codes.Contains(c.Code)).Select(c => c.Code).ToListAsync(ct);
        if (codes.Except(known).ToList() is { Count: > 0 } unknown)
            return Problems.BadParameter("communes", $"unknown communes: {string.Join(", ", unknown)}.", CommonProblems.FieldUnknown);
        if (body.Note?.Length > 200) return Problems.BadParameter("note", "note is limited to 200 characters.", CommonProblems.FieldTooLong, new { Max = 200 });
        if (body.ConsentSource is not null && body.ConsentSource is not (ConsentSource.Official or ConsentSource.Import))
            return Problems.BadParameter("consentSource", "an official records consent as 'official' (in person, on paper) or 'import'.", CommonProblems.FieldUnknown);
        if (await current.OutsideAsync(codes, ct) is { Count: > 0 } outside) return Outside($"You do not act for: {string.Join(", ", outside)}.", outside);

        var now = clock.GetUtcNow().UtcDateTime;
        return await db.InTransactionAsync(async Task<Results<Created<SubscriberDto>, Ok<SubscriberDto>, ValidationProblem, ProblemHttpResult>> () =>
        {
            var s = await db.Subscribers.FromSql($"SELECT * FROM subscribers WHERE phone = {phone.E164} FOR UPDATE").Include(x => x.Communes).FirstOrDefaultAsync(ct);
            if (s is { OptedOut: true })
                return Problems.Conflict($"{phone.E164} opted out by SMS on {Composer.Local(s.OptedOutAt ?? s.UpdatedAt)}: it is not sent to again. Only the number itself can subscribe again (START or DK <commune>).",
                    AlertProblems.OptedOut, new { Phone = phone.E164, OptedOutAt = s.OptedOutAt ?? s.UpdatedAt });
            var created = s is null;
            if (s is null)
            {
                s = new Subscriber { Phone = phone.E164, ConsentSource = body.ConsentSource ?? ConsentSource.Official, ConsentAt = now, ConsentBy = current.Required.UserName, CreatedAt = now };
                db.Subscribers.Add(s);
            }
            foreach (var code in codes.Where(c => s.Communes.All(x => x.CommuneCode != c))) s.Communes.Add(new SubscriberCommune { CommuneCode = code });
            if (body.PrefersFolded is { } f) s.PrefersFolded = f;
            if (body.TestGroup is { } t) s.TestGroup = t;
            if (body.Note is not null) s.Note = SearchKey.Nfc(body.Note);
            s.UpdatedAt = now;
            await db.SaveChangesAsync(ct);   // the new subscriber's id, for the audit row
            audit.Add(created ? AlertAudit.SubscriberAdded : AlertAudit.SubscriberChanged, "subscriber", s.Id.ToString(), after: new { Communes = codes, s.PrefersFolded, s.TestGroup },
                communeCode: codes.Count == 1 ? codes[0] : null);
            await db.SaveChangesAsync(ct);
            var dto = (await LoadAsync(db, s.Id, ct))!;
            return created ? TypedResults.Created($"/api/subscribers/{s.Id}", dto) : TypedResults.Ok(dto);
        }, ct);
    }

    static async Task<Results<Ok<SubscriberDto>, ValidationProblem, ProblemHttpResult>> Patch(long id, SubscriberPatch body, CoordinationDb db, CurrentUser current,
        AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var s = await db.Subscribers.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null || !await InScopeAsync(db, current, id, ct)) return NotFound(id);
        if (body.Note?.Length > 200) return Problems.BadParameter("note", "note is limited to 200 characters.", CommonProblems.FieldTooLong, new { Max = 200 });
        var before = new { s.PrefersFolded, s.TestGroup, s.Note };
        if (body.PrefersFolded is { } f) s.PrefersFolded = f;
        if (body.TestGroup is { } t) s.TestGroup = t;
        if (body.Note is not null) s.Note = SearchKey.Nfc(body.Note);
        s.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(AlertAudit.SubscriberChanged, "subscriber", id.ToString(), before, new { s.PrefersFolded, s.TestGroup, s.Note });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await LoadAsync(db, id, ct))!);
    }

    static async Task<Results<Ok<SubscriberDto>, ProblemHttpResult>> RemoveCommune(long id, string code, CoordinationDb db, CurrentUser current, AuditLog audit,
        CancellationToken ct)
    {
        var link = await db.SubscriberCommunes.FirstOrDefaultAsync(c => c.SubscriberId == id && c.CommuneCode == code, ct);
        if (link is null) return Problems.NotFound("subscription", $"{id}/{code}", AlertProblems.SubscriptionNotFound);
        if (!await current.ActsForAsync(code, ct)) return Outside($"You do not act for commune {code}.", [code]);
        db.SubscriberCommunes.Remove(link);
        audit.Add(AlertAudit.SubscriberChanged, "subscriber", id.ToString(), before: new { Commune = code }, communeCode: code, detail: "removed from commune");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await LoadAsync(db, id, ct))!);
    }

    static async Task<Results<Ok<List<SmsLogDto>>, ProblemHttpResult>> Messages(long id, long? afterId, int? limit, CoordinationDb db, CurrentUser current,
        CancellationToken ct)
    {
        var phone = await db.Subscribers.Where(s => s.Id == id).Select(s => s.Phone).FirstOrDefaultAsync(ct);
        if (phone is null || !await InScopeAsync(db, current, id, ct)) return NotFound(id);
        return TypedResults.Ok(await AlertsApi.Log(db.SmsMessages.Where(m => m.Phone == phone && m.Id > (afterId ?? 0)), limit, db).ToListAsync(ct));
    }

    sealed record Row(int Number, string Phone, List<string> Communes, bool? Folded, bool? TestGroup, string? Note);

    static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Import(HttpRequest request, CoordinationDb db, CurrentUser current,
        AuditLog audit, IOptions<SmsOptions> sms, TimeProvider clock, CancellationToken ct)
    {
        // The one upload reader and limit (Kernel/Uploads): too large is 413 with maxBytes, no file is 400 on "file".
        var max = Uploads.MaxBytes(request.HttpContext);
        var bytes = await Uploads.ReadAsync(request, max, ct);
        if (bytes is null) return Uploads.TooLarge(max);
        if (bytes.Length == 0)
            return Problems.BadParameter("file", $"send the file as the request body (at most {max / 1_000_000} MB: split a larger one).",
                CommonProblems.FieldRequired, new { MaxBytes = max });
        var file = Parse(bytes, sms.Value.AllowForeignNumbers);
        if (file.Refusal is { } refusal) return refusal;
        var knownCodes = (await db.Communes.Where(c => file.Codes.Contains(c.Code)).Select(c => c.Code).ToListAsync(ct)).ToHashSet();
        foreach (var r in file.Rows.Where(r => r.Communes.Any(c => !knownCodes.Contains(c))))
        {
            var unknown = string.Join(", ", r.Communes.Where(c => !knownCodes.Contains(c)));
            file.Problems.Add(new FieldError("file", CommonProblems.FieldUnknown, $"row {r.Number}: unknown commune(s) {unknown}"));
            file.RowProblems.Add(new RowProblem(r.Number, AlertProblems.ImportCommuneUnknown, "communes", unknown));
        }
        if (file.Rows.Count == 0 && file.Problems.Count == 0) file.Problems.Add(new FieldError("file", CommonProblems.FieldRequired, "the file has a header but no rows"));
        if (file.Problems.Count > 0)
            return Problems.Invalid(file.Problems.Take(200).ToList(),
                new { Rows = file.Problems.Count, RowProblems = file.RowProblems.OrderBy(p => p.Row).Take(200).ToList() }, CommonProblems.FileRefused);
        if (await current.OutsideAsync(file.Codes, ct) is { Count: > 0 } outside)
            return Outside($"The file names communes you do not act for: {string.Join(", ", outside.Take(20))}. Nothing was written.", outside);

        // A number on several rows is one subscriber with all their communes.
        var merged = file.Rows.GroupBy(r => r.Phone).Select(g => new Row(g.First().Number, g.Key, g.SelectMany(r => r.Communes).Distinct().ToList(),
            g.Select(r => r.Folded).LastOrDefault(x => x is not null), g.Select(r => r.TestGroup).LastOrDefault(x => x is not null), g.Select(r => r.Note).LastOrDefault(x => x is not null))).ToList();
        if (merged.Count < file.Rows.Count) file.Notes.Add($"{file.Rows.Count - merged.Count} row(s) repeated a number: their communes were merged");

        return await db.InTransactionAsync(async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> () =>
        {
            var (optedOut, created, updated) = await UpsertAsync(db, merged, file.HasFolded, current.Required.UserName, clock.GetUtcNow().UtcDateTime, ct);
            var skipped = merged.Where(r => optedOut.Contains(r.Phone))
                .Select(r => new ImportRowProblem(r.Number, $"{r.Phone} opted out by SMS: not re-added (only the number itself can subscribe again)")).ToList();
            audit.Add(AlertAudit.SubscribersImported, "subscriber", null, after: new { Rows = file.Rows.Count, created, updated, OptedOutSkipped = skipped.Count, Communes = file.Codes.Count },
                communeCode: file.Codes.Count == 1 ? file.Codes[0] : null);
            return TypedResults.Ok(new ImportResult(file.Rows.Count, created, updated, skipped, file.Notes));
        }, ct);
    }

    /// <summary>A read CSV file: its rows, the communes they name, what is wrong with them, notes; or why the whole file is refused.</summary>
    sealed record ParsedFile(List<Row> Rows, List<string> Codes, List<FieldError> Problems, List<RowProblem> RowProblems, List<string> Notes, bool HasFolded,
        ValidationProblem? Refusal = null);

    /// <summary>The rows of a CSV file (Excel's ways: encoding, ';', lost leading zeros), each checked on its own.</summary>
    static ParsedFile Parse(byte[] bytes, bool allowForeign)
    {
        var (text, encodingNote) = Csv.Decode(bytes);
        var records = Csv.SplitRecords(text);
        var header = records.Count > 0 ? records[0].Select(h => h.Trim().ToLowerInvariant()).ToList() : [];
        if (!header.Contains("phone") || !header.Contains("communes"))
            return new([], [], [], [], [], false, Problems.BadParameter("file", "the header must name the columns phone and communes (optional: folded, test_group, note).", CommonProblems.FieldMalformed));
        if (records.Count - 1 > MaxImportRows)
            return new([], [], [], [], [], false, Problems.BadParameter("file", $"at most {MaxImportRows:N0} rows per file.", CommonProblems.FieldOutOfRange, new { Max = MaxImportRows }));

        var problems = new List<FieldError>();
        var rowProblems = new List<RowProblem>();
        var notes = new List<string>();
        if (encodingNote is not null) notes.Add(encodingNote);
        var rows = new List<Row>();
        var lostZero = 0;
        for (var n = 1; n < records.Count; n++)
        {
            var f = records[n];
            if (f.All(string.IsNullOrWhiteSpace)) continue;
            string? Get(string name) { var k = header.IndexOf(name); return k < 0 || k >= f.Count ? null : f[k]; }
            var bad = new List<(string Code, string Message, string Column, string? Value)>();
            var raw = Get("phone")?.Trim() ?? "";
            var phone = Phones.Subscriber(raw, allowForeign);
            if (phone.E164 is null) bad.Add((AlertProblems.ImportPhoneInvalid, phone.Error!, "phone", raw));
            else if (raw.Length > 0 && char.IsAsciiDigit(raw[0]) && raw[0] != '0' && raw.StartsWith("84", StringComparison.Ordinal) is false) lostZero++;
            var communes = (Get("communes") ?? "").Split([' ', '|', '/', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => c.All(char.IsAsciiDigit) && c.Length < 5 ? c.PadLeft(5, '0') : c).Distinct().ToList();
            if (communes.Count == 0) bad.Add((AlertProblems.ImportCommunesMissing, "no commune codes", "communes", null));
            bool? folded = null, test = null;
            if (!Csv.TryFlag(Get("folded"), out folded)) bad.Add((AlertProblems.ImportFlagInvalid, $"folded '{Get("folded")}' is not yes/no", "folded", Get("folded")));
            if (!Csv.TryFlag(Get("test_group"), out test)) bad.Add((AlertProblems.ImportFlagInvalid, $"test_group '{Get("test_group")}' is not yes/no", "test_group", Get("test_group")));
            var note = SearchKey.Nfc(Get("note")) ?? "";
            if (note.Length > 200) bad.Add((AlertProblems.ImportNoteTooLong, "note is longer than 200 characters", "note", null));
            if (bad.Count > 0)
            {
                var generic = bad[0].Code switch
                {
                    AlertProblems.ImportCommunesMissing => CommonProblems.FieldRequired,
                    AlertProblems.ImportNoteTooLong => CommonProblems.FieldTooLong,
                    _ => CommonProblems.FieldMalformed,
                };
                problems.Add(new FieldError("file", generic, $"row {n + 1}: {string.Join("; ", bad.Select(b => b.Message))}"));
                rowProblems.AddRange(bad.Select(b => new RowProblem(n + 1, b.Code, b.Column, SearchKey.Nfc(b.Value))));
            }
            else rows.Add(new Row(n + 1, phone.E164!, communes, folded, test, note.Length > 0 ? note : null));
        }
        if (lostZero > 0) notes.Add($"{lostZero} phone number(s) had lost their leading 0 (Excel) and were read as Vietnamese mobile numbers");
        return new(rows, rows.SelectMany(r => r.Communes).Distinct().ToList(), problems, rowProblems, notes, header.Contains("folded"));
    }

    /// <summary>
    /// Set-based: one upsert for the numbers (never touching opted-out rows), one insert for the commune links.
    /// Returns the opted-out numbers left out, and how many subscribers were created and updated.
    /// </summary>
    static async Task<(HashSet<string> OptedOut, int Created, int Updated)> UpsertAsync(CoordinationDb db, List<Row> merged, bool hasFolded, string user, DateTime now,
        CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var optedOut = new HashSet<string>();
        await using (var cmd = new NpgsqlCommand("SELECT phone FROM subscribers WHERE opted_out AND phone = ANY(@p)", conn))
        {
            cmd.Parameters.AddWithValue("p", merged.Select(r => r.Phone).ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) optedOut.Add(r.GetString(0));
        }
        var take = merged.Where(r => !optedOut.Contains(r.Phone)).ToList();
        int created = 0, updated = 0;
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO subscribers (phone, prefers_folded, consent_source, consent_at, consent_by, opted_out, test_group, note, created_at, updated_at)
            SELECT r.phone, COALESCE(r.folded, false), 'import', @now, @user, false, COALESCE(r.test, false), r.note, @now, @now
            FROM unnest(@phones::text[], @folded::bool[], @test::bool[], @notes::text[]) AS r(phone, folded, test, note)
            ON CONFLICT (phone) DO UPDATE SET
                prefers_folded = CASE WHEN @has_folded THEN EXCLUDED.prefers_folded ELSE subscribers.prefers_folded END,
                test_group = subscribers.test_group OR EXCLUDED.test_group,
                note = COALESCE(EXCLUDED.note, subscribers.note), updated_at = @now
            WHERE NOT subscribers.opted_out
            RETURNING (xmax = 0)
            """, conn))
        {
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("user", user);
            cmd.Parameters.AddWithValue("has_folded", hasFolded);
            cmd.Parameters.AddWithValue("phones", take.Select(r => r.Phone).ToArray());
            cmd.Parameters.Add(new NpgsqlParameter("folded", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Boolean) { Value = take.Select(r => r.Folded).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("test", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Boolean) { Value = take.Select(r => r.TestGroup).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("notes", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = take.Select(r => r.Note).ToArray() });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) if (r.GetBoolean(0)) created++; else updated++;
        }
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO subscriber_communes (subscriber_id, commune_code)
            SELECT s.id, l.code FROM unnest(@phones::text[], @codes::text[]) AS l(phone, code) JOIN subscribers s ON s.phone = l.phone AND NOT s.opted_out
            ON CONFLICT DO NOTHING
            """, conn))
        {
            cmd.Parameters.AddWithValue("phones", take.SelectMany(r => r.Communes.Select(_ => r.Phone)).ToArray());
            cmd.Parameters.AddWithValue("codes", take.SelectMany(r => r.Communes).ToArray());
            await cmd.ExecuteNonQueryAsync(ct);
        }
        return (optedOut, created, updated);
    }
}
