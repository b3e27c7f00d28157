using System.Text.RegularExpressions;
using Coordination.Api.MutualAid.Sms;

namespace Coordination.Api.MutualAid.HelpReports;

/// <summary>How many help reports one number may file in a window (configuration section "HelpReports").</summary>
public sealed class HelpReportOptions
{
    public int MaxPerPhone { get; set; } = 3;
    public int WindowMinutes { get; set; } = 30;
}

/// <summary>The audit actions of help reports (values are stored: never change them).</summary>
public static class HelpAudit
{
    public const string Reported = "help_report.reported", Handled = "help_report.handled", Converted = "help_report.converted";
}

/// <summary>
/// A citizen's <c>CUU</c>/<c>SOS</c> SMS becomes a help report of a commune (README "Help reports"). Where it belongs:
/// a commune named in the text (current or pre-merger name) and a hamlet of the registry named in it; else a hamlet
/// named in it of a commune the number is subscribed to (or the only hamlet of that name in the country); else the
/// commune the number is subscribed to. Without any of these the citizen is asked for the commune and nothing is
/// filed. A number files at most <see cref="HelpReportOptions.MaxPerPhone"/> reports per window; the same inbound
/// message (channel + id) files one report however often it is delivered. The reply names only the citizen's own
/// report and public places.
/// </summary>
public static partial class HelpReportIntake
{
    public const int MaxPlace = 200, MaxText = 1600;

    /// <summary>Kind words of a commune in its folded name.</summary>
    static readonly string[] CommuneKinds = ["xa", "phuong", "dac khu", "thi tran"];
    /// <summary>Kind words of a hamlet (thôn, bản, xóm, ấp, tổ dân phố, khối, làng, buôn, plei, sóc, khu phố …), longest first.</summary>
    static readonly string[] HamletKinds = ["to dan pho", "khu pho", "khoi pho", "tdp", "thon", "ban", "xom", "ap", "to", "khoi", "lang", "buon", "plei", "soc", "khu", "doi"];
    static readonly string[] PeopleWords = ["nguoi", "ng", "khau"];
    const int MaxSpan = 6;

    [GeneratedRegex(@"[\p{L}\p{M}\p{N}]+")]
    private static partial Regex WordPattern();

    /// <summary>One word of the message: where it stands in the text as written, and folded.</summary>
    readonly record struct Word(int Start, int End, string Key);

    /// <summary>A run of words that names a place: first word, number of words, folded.</summary>
    readonly record struct Span(int First, int Count, string Key)
    {
        public int Last => First + Count - 1;
        public bool Overlaps(Span o) => First <= o.Last && o.First <= Last;
    }

    sealed record CommuneHit(string Code, string Name, string ProvinceCode, Span Span);
    sealed record HamletHit(int Id, string Name, string CommuneCode, Span Span, bool Exact);

    /// <summary>
    /// Files the report of one inbound <c>CUU</c>/<c>SOS</c> message and answers the reply to send back at once
    /// (Vietnamese; không dấu when the citizen wrote without diacritics). Joins the caller's transaction when one is
    /// open (the inbound handler's), else runs in its own. <paramref name="channel"/> and <paramref name="externalId"/>
    /// name the inbound message (a repeated delivery gets the same acknowledgement and files nothing); <paramref name="phone"/>
    /// is the sender (E.164 or a Vietnamese number); <paramref name="now"/> is UTC.
    /// </summary>
    public static async Task<string> FileAsync(CoordinationDb db, string channel, string? externalId, string phone, SmsCommand.Help command,
        DateTime now, CancellationToken ct, HelpReportOptions? options = null)
    {
        options ??= new HelpReportOptions();
        if (now.Kind != DateTimeKind.Utc) now = now.Kind == DateTimeKind.Local ? now.ToUniversalTime() : DateTime.SpecifyKind(now, DateTimeKind.Utc);
        var raw = SearchKey.Nfc(command.Written) is { Length: > 0 } written ? written : command.Text;
        raw = raw.Length > MaxText ? raw[..MaxText] : raw;
        var plain = HelpTexts.IsPlain(raw);
        var e164 = Phones.Normalise(phone).E164 ?? (E164Pattern().IsMatch(phone) ? phone : null);
        if (e164 is null) return HelpTexts.NoNumber(plain);
        channel = channel.Length > 40 ? channel[..40] : channel;
        externalId = externalId is { Length: > 64 } ? externalId[..64] : externalId;

        return await db.InTransactionAsync(async () =>
        {
            // One number at a time: its rate limit and its repeated deliveries are decided in order.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"help_report:" + e164}))", ct);
            if (externalId is not null && await db.Set<HelpReport>().AsNoTracking().FirstOrDefaultAsync(r => r.Channel == channel && r.ExternalId == externalId, ct) is { } seen)
                return seen.Phone == e164 ? await AcknowledgeAsync(db, seen, ct) : HelpTexts.AlreadyReceived(plain);

            var since = now.AddMinutes(-options.WindowMinutes);
            if (await db.Set<HelpReport>().CountAsync(r => r.Phone == e164 && r.CreatedAt > since, ct) >= options.MaxPerPhone)
                return HelpTexts.TooMany(plain);

            var subscribed = await db.Database.SqlQuery<string>($"""
                SELECT sc.commune_code AS "Value" FROM subscriber_communes sc JOIN subscribers s ON s.id = sc.subscriber_id
                WHERE s.phone = {e164} ORDER BY sc.commune_code
                """).ToListAsync(ct);
            var words = WordPattern().Matches(raw).Select(m => new Word(m.Index, m.Index + m.Length, SearchKey.Fold(m.Value)))
                .Where(w => w.Key.Length > 0).ToList();
            if (words.Count > 0 && words[0].Key is "cuu" or "sos") words.RemoveAt(0);
            var reading = Read(raw, words, command.People);
            var where = await LocateAsync(db, raw, reading, subscribed, ct);
            if (where is null) return HelpTexts.WhichCommune(plain);
            var (commune, hamlet, placeSpan) = where.Value;
            var (place, what) = reading.Text(raw, placeSpan);

            var inserted = await db.Database.SqlQuery<int>($"""
                INSERT INTO help_reports (phone, commune_code, hamlet_id, place, people, what, raw_text, plain, status, created_at, channel, external_id)
                VALUES ({e164}, {commune.Code}, {hamlet?.Id}, {place}, {reading.People}, {what}, {raw}, {plain}, {HelpReportStatus.Open}, {now}, {channel}, {externalId})
                ON CONFLICT (channel, external_id) DO NOTHING
                RETURNING id AS "Value"
                """).ToListAsync(ct);
            if (inserted.Count == 0) return HelpTexts.AlreadyReceived(plain);   // another number's message of the same id, meanwhile
            var id = inserted[0];
            var shown = Shown(hamlet?.Name, place, commune.Name);
            Notify.Add(db, now, commune.Code, Audience.Commune, "help.reported", null, null, HelpTexts.Reported(id, e164, reading.People, shown, what));
            db.AuditEvents.Add(new AuditEvent
            {
                At = now, ActorName = e164, Channel = AuditChannel.Sms, Action = HelpAudit.Reported, EntityType = "help_report", EntityId = id.ToString(CultureInfo.InvariantCulture),
                CommuneCode = commune.Code, Detail = $"by SMS ({channel})",
                After = JsonSerializer.SerializeToDocument(new { commune.Code, HamletId = hamlet?.Id, place, reading.People, what }, AuditJson),
            });
            return HelpTexts.Received(id, reading.People, shown, commune.Name, plain);
        }, ct);
    }

    static readonly JsonSerializerOptions AuditJson = new(JsonSerializerDefaults.Web);

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164Pattern();

    /// <summary>The acknowledgement of a report already filed (a repeated delivery), to its own sender only.</summary>
    static async Task<string> AcknowledgeAsync(CoordinationDb db, HelpReport r, CancellationToken ct)
    {
        var commune = await db.Communes.Where(c => c.Code == r.CommuneCode).Select(c => c.Kind + " " + c.Name).FirstAsync(ct);
        var hamlet = r.HamletId is { } h ? await db.Hamlets.Where(x => x.Id == h).Select(x => x.Name).FirstOrDefaultAsync(ct) : null;
        return HelpTexts.Received(r.Id, r.People, Shown(hamlet, r.Place, commune), commune, r.Plain);
    }

    /// <summary>The place as a reply shows it: the registry's hamlet, else the words as written — unless they only name the commune.</summary>
    static string? Shown(string? hamlet, string? place, string commune)
    {
        if (hamlet is not null) return hamlet;
        var key = SearchKey.Fold(place);
        var name = SearchKey.Fold(commune);
        return key == name || CommuneKinds.Any(k => k + " " + key == name) ? null : place;
    }

    /// <summary>
    /// The message's words, read: where a place may be named (<see cref="Candidates"/>), whether all of that is the
    /// place (it stands before the number of people: <c>CUU Bản Xốp 5 …</c>), and the number.
    /// </summary>
    sealed record Reading(List<Word> Words, int From, int To, bool WholeIsPlace, int? People, int AfterNumber)
    {
        /// <summary>The place and what is needed, as written, once the place's words are known.</summary>
        public (string? Place, string? What) Text(string raw, Span? found)
        {
            string? Slice(int first, int last) => first > last || first < 0 || last >= Words.Count ? null
                : Clean(raw[Words[first].Start..Words[last].End], MaxPlace);
            if (WholeIsPlace)
                return (Slice(From, To), AfterNumber < Words.Count ? Clean(raw[Words[AfterNumber].Start..], MaxText) : null);
            if (found is not { } s) return (null, From <= To ? Clean(raw[Words[From].Start..], MaxText) : null);
            var place = Slice(From, s.Last);
            var what = s.Last + 1 < Words.Count ? Clean(raw[Words[s.Last + 1].Start..], MaxText) : null;
            return (place, what);
        }

        static string? Clean(string text, int max)
        {
            var t = text.Trim().Trim(',', '.', ';', ':', '-').Trim();
            return t.Length == 0 ? null : t.Length > max ? t[..max] : t;
        }
    }

    static Reading Read(string raw, List<Word> words, int? people)
    {
        var number = words.FindIndex(w => w.Key.Length is > 0 and <= 7 && w.Key.All(char.IsAsciiDigit) && int.Parse(w.Key, CultureInfo.InvariantCulture) > 0);
        var after = number < 0 ? words.Count : number + 1;
        // "12 người": the word for people belongs to the number, not to what is needed.
        while (after < words.Count)
        {
            if (after + 1 < words.Count && words[after].Key == "nhan" && words[after + 1].Key == "khau") after += 2;
            else if (PeopleWords.Contains(words[after].Key)) after++;
            else break;
        }
        var count = number < 0 ? people : int.Parse(words[number].Key, CultureInfo.InvariantCulture);
        if (number > 0) return new(words, 0, number - 1, true, count, after);
        // No words before the number (or no number): the place, if any, starts the rest.
        var from = number < 0 ? 0 : after;
        return new(words, from, Math.Min(words.Count - 1, from + 7), false, count, after);
    }

    static IEnumerable<Span> Spans(Reading r)
    {
        for (var i = r.From; i <= r.To; i++)
            for (var n = 1; n <= MaxSpan && i + n - 1 <= r.To; n++)
                yield return new Span(i, n, string.Join(' ', r.Words.Skip(i).Take(n).Select(w => w.Key)));
    }

    static string Core(string key, string[] kinds)
    {
        foreach (var k in kinds)
            if (key.StartsWith(k + " ", StringComparison.Ordinal)) return key[(k.Length + 1)..];
        return key;
    }

    /// <summary>The commune (and hamlet) the report belongs to, and the words that named it; null when it cannot be told.</summary>
    static async Task<(CommuneHit Commune, HamletHit? Hamlet, Span? Span)?> LocateAsync(CoordinationDb db, string raw, Reading reading, List<string> subscribed, CancellationToken ct)
    {
        var spans = Spans(reading).ToList();
        var communes = await NamedCommunesAsync(db, raw, spans, subscribed, ct);
        var named = communes.Select(c => c.Code).ToHashSet();

        // Hamlets of the named and the subscribed communes, matched in C# (a commune has tens of them).
        var near = named.Concat(subscribed).Distinct().ToList();
        var hamlets = near.Count == 0 ? [] : Match(await HamletsAsync(db.Hamlets.Where(h => near.Contains(h.CommuneCode)), ct), spans);
        HamletHit? Best(IEnumerable<HamletHit> hits) => hits.OrderByDescending(h => h.Exact).ThenByDescending(h => h.Span.Count).ThenBy(h => h.Span.First).ThenBy(h => h.Id).FirstOrDefault();
        CommuneHit Of(HamletHit h) => communes.FirstOrDefault(c => c.Code == h.CommuneCode) ?? new CommuneHit(h.CommuneCode, "", "", h.Span);

        // 1. A hamlet of a commune named in the text ("Bản Xốp, Châu Khê").
        if (Best(hamlets.Where(h => named.Contains(h.CommuneCode))) is { } inNamed)
            return await WithNameAsync(db, Of(inNamed), inNamed, Cover(inNamed.Span, communes.First(c => c.Code == inNamed.CommuneCode).Span), ct);
        // 2. A hamlet of the sender's own commune, unless the text names another commune with other words.
        if (Best(hamlets.Where(h => subscribed.Contains(h.CommuneCode))) is { } own && communes.All(c => c.Span.Overlaps(own.Span)))
            return await WithNameAsync(db, Of(own), own, own.Span, ct);
        // 3. The commune named in the text (one, after narrowing).
        if (communes.Select(c => c.Code).Distinct().Count() == 1)
            return (communes[0], null, communes.MaxBy(c => c.Span.Count)!.Span);
        // 4. The only hamlet of that name in the country.
        if (communes.Count == 0)
        {
            var keys = spans.Where(s => Core(s.Key, HamletKinds).Length >= 2).SelectMany(s => HamletKinds.Select(k => k + " " + Core(s.Key, HamletKinds)).Append(s.Key)).Distinct().ToList();
            var anywhere = Match(await HamletsAsync(db.Hamlets.Where(h => keys.Contains(h.SearchKey)).OrderBy(h => h.Id).Take(50), ct), spans)
                .Where(h => h.Exact).ToList();
            if (anywhere.Select(h => h.Id).Distinct().Count() == 1 && Best(anywhere) is { } only)
                return await WithNameAsync(db, Of(only), only, only.Span, ct);
        }
        // 5. The sender's commune.
        if (subscribed.Count == 1)
            return (await CommuneAsync(db, subscribed[0], ct), null, null);
        return null;
    }

    static Span Cover(Span a, Span b) => new(Math.Min(a.First, b.First), Math.Max(a.Last, b.Last) - Math.Min(a.First, b.First) + 1, "");

    static async Task<List<(int Id, string Name, string CommuneCode, string SearchKey)>> HamletsAsync(IQueryable<Boundaries.Hamlets.Hamlet> q, CancellationToken ct) =>
        (await q.AsNoTracking().Select(h => new { h.Id, h.Name, h.CommuneCode, h.SearchKey }).ToListAsync(ct)).Select(h => (h.Id, h.Name, h.CommuneCode, h.SearchKey)).ToList();

    static async Task<(CommuneHit, HamletHit?, Span?)> WithNameAsync(CoordinationDb db, CommuneHit c, HamletHit h, Span span, CancellationToken ct) =>
        (c.Name.Length > 0 ? c : (await CommuneAsync(db, c.Code, ct)) with { Span = c.Span }, h, span);

    static async Task<CommuneHit> CommuneAsync(CoordinationDb db, string code, CancellationToken ct)
    {
        var c = await db.Communes.AsNoTracking().Where(c => c.Code == code).Select(c => new { c.Code, c.Kind, c.Name, c.ProvinceCode }).FirstAsync(ct);
        return new CommuneHit(c.Code, c.Kind + " " + c.Name, c.ProvinceCode, default);
    }

    /// <summary>Hamlets whose name (without its kind word) is a run of the message's words, or starts with one ("Tiến Thành (thôn mẫu)").</summary>
    static List<HamletHit> Match(IEnumerable<(int Id, string Name, string CommuneCode, string SearchKey)> hamlets, List<Span> spans)
    {
        var hits = new List<HamletHit>();
        foreach (var h in hamlets)
        {
            var core = Core(h.SearchKey, HamletKinds);
            foreach (var s in spans)
            {
                var c = Core(s.Key, HamletKinds);
                if (c.Length < 2 || HamletKinds.Contains(c)) continue;
                if (core == c) hits.Add(new(h.Id, h.Name, h.CommuneCode, s, true));
                else if (core.StartsWith(c + " ", StringComparison.Ordinal) && c.Contains(' ')) hits.Add(new(h.Id, h.Name, h.CommuneCode, s, false));
            }
        }
        return hits;
    }

    /// <summary>
    /// Communes named by a run of the message's words, by current or pre-merger name, the longest run winning. A name
    /// needs two words, or one after its kind word ("xã X"). Several communes of one name are narrowed to the
    /// sender's own, then to the sender's provinces, then — typed with diacritics — to the exact spelling.
    /// </summary>
    static async Task<List<CommuneHit>> NamedCommunesAsync(CoordinationDb db, string raw, List<Span> spans, List<string> subscribed, CancellationToken ct)
    {
        var byKey = new Dictionary<string, List<Span>>(StringComparer.Ordinal);
        foreach (var s in spans)
        {
            var kind = CommuneKinds.FirstOrDefault(k => s.Key.StartsWith(k + " ", StringComparison.Ordinal));
            var name = kind is null ? s.Key : s.Key[(kind.Length + 1)..];
            if (name.Length < 2 || (kind is null && !name.Contains(' ')) || CommuneKinds.Contains(name)) continue;
            // Current names are stored without their kind ("con cuong"), pre-merger ones with it ("xa yen khe").
            foreach (var key in kind is null ? CommuneKinds.Select(k => k + " " + name).Append(name) : [s.Key, name])
                (byKey.TryGetValue(key, out var list) ? list : byKey[key] = []).Add(s);
        }
        if (byKey.Count == 0) return [];
        var keys = byKey.Keys.ToList();
        var rows = await db.Communes.AsNoTracking().Where(c => keys.Contains(c.SearchKey) || c.FormerKeys.Any(f => keys.Contains(f)))
            .Select(c => new { c.Code, c.Name, c.Kind, c.ProvinceCode, c.SearchKey, c.FormerKeys, c.FormerNames }).ToListAsync(ct);
        var hits = new List<(CommuneHit Hit, string Spelling)>();
        foreach (var c in rows)
        {
            var matched = new[] { (Key: c.SearchKey, Spelling: c.Name) }.Concat(c.FormerKeys.Zip(c.FormerNames, (k, n) => (Key: k, Spelling: n)))
                .Where(k => byKey.ContainsKey(k.Key)).SelectMany(k => byKey[k.Key].Select(s => (Span: s, k.Spelling)))
                .OrderByDescending(x => x.Span.Count).First();
            hits.Add((new CommuneHit(c.Code, c.Kind + " " + c.Name, c.ProvinceCode, matched.Span), matched.Spelling));
        }
        // A shorter run inside a longer one that names a commune is part of that name ("chau khe" in "xa chau khe").
        hits = hits.Where(h => !hits.Any(o => o.Hit.Span.Count > h.Hit.Span.Count && o.Hit.Span.Overlaps(h.Hit.Span))).ToList();
        var provinces = await db.Communes.Where(c => subscribed.Contains(c.Code)).Select(c => c.ProvinceCode).Distinct().ToListAsync(ct);
        var result = new List<CommuneHit>();
        // Communes named by the same words (names repeat across provinces): narrowed one name at a time.
        foreach (var group in hits.GroupBy(h => h.Hit.Span))
        {
            var best = group.ToList();
            if (best.Count > 1 && best.Where(h => subscribed.Contains(h.Hit.Code)).ToList() is { Count: > 0 } own) best = own;
            if (best.Count > 1 && best.Where(h => provinces.Contains(h.Hit.ProvinceCode)).ToList() is { Count: > 0 } inProvince) best = inProvince;
            if (best.Count > 1 && !HelpTexts.IsPlain(raw)
                && best.Where(h => raw.Contains(StripKind(h.Spelling), StringComparison.OrdinalIgnoreCase)).ToList() is { Count: > 0 } exact)
                best = exact;
            result.AddRange(best.Select(h => h.Hit));
        }
        return result.DistinctBy(h => h.Code).ToList();
    }

    static string StripKind(string name)
    {
        foreach (var k in new[] { "Xã ", "Phường ", "Đặc khu ", "Thị trấn ", "xã ", "phường ", "thị trấn " })
            if (name.StartsWith(k, StringComparison.Ordinal)) return name[k.Length..];
        return name;
    }
}
