using Coordination.Api.Boundaries;
using Coordination.Api.Alerts.Sms;

namespace Coordination.Api.Alerts;

/// <summary>
/// What a citizen can text us, whatever the channel (Twilio's webhook, or a local gateway in Vietnam where Twilio
/// cannot receive): DK &lt;commune code or name&gt; subscribes, HUY/STOP opts out, START re-subscribes, HELP/TRO GIUP
/// explains. Any case, with or without diacritics. Replies are Vietnamese, without diacritics when the citizen wrote
/// without them (their phone may not show them). A repeated delivery of the same inbound message (same channel and
/// id) gets the same reply and changes nothing twice.
/// </summary>
public sealed class InboundSmsHandler(CoordinationDb db, AuditLog audit, TimeProvider clock, ISmsCommands commands)
{
    static readonly string[] OptOut = ["huy", "stop", "unsubscribe", "end", "quit", "stopall", "revoke", "optout", "cancel", "tu choi"];
    static readonly string[] OptIn = ["start", "yes", "unstop", "bat dau"];
    static readonly string[] Help = ["help", "info", "tro giup", "huong dan"];
    static readonly string[] Subscribe = ["dk", "dang ky", "dangky"];
    static readonly string[] KindWords = ["xa ", "phuong ", "dac khu "];

    /// <summary>What was understood and answered; Repeated: this delivery was handled before (nothing changed now).</summary>
    public sealed record Outcome(string Keyword, string Reply, bool Repeated = false);

    /// <summary>
    /// Handles one inbound SMS. <paramref name="beforeCommit"/> runs inside the transaction that records it, with the
    /// sender's number and the reply (when there is one to send), so a channel that cannot answer in its HTTP
    /// response can put the reply into the outbox atomically: a repeated delivery then queues no second reply.
    /// </summary>
    public async Task<Outcome> HandleAsync(string channel, string? externalId, string from, string body, CancellationToken ct,
        Func<string, string, CancellationToken, Task>? beforeCommit = null)
    {
        body = SearchKey.Nfc(body) ?? "";
        // No look-up first: the message is recorded last, with ON CONFLICT, and a delivery seen before (or being
        // handled at this moment: PostgreSQL waits for the other one) rolls back what it did and answers what was answered.
        return await HandleNewAsync(channel, externalId, from, body, beforeCommit, ct)
            ?? await SeenAsync(channel, externalId!, ct) ?? throw new InvalidOperationException("a repeated inbound SMS was not found");
    }

    async Task<Outcome?> SeenAsync(string channel, string externalId, CancellationToken ct) =>
        await db.InboundSms.AsNoTracking().FirstOrDefaultAsync(m => m.Channel == channel && m.ExternalId == externalId, ct) is { } seen
            ? new(seen.Keyword, seen.Reply, Repeated: true) : null;

    /// <summary>Handles and records the message in one transaction; null when this delivery was recorded before (nothing is kept).</summary>
    async Task<Outcome?> HandleNewAsync(string channel, string? externalId, string from, string body, Func<string, string, CancellationToken, Task>? beforeCommit, CancellationToken ct)
    {
        var plain = SmsText.Fold(body) == body;   // written without diacritics
        var key = SearchKey.Fold(body);
        var now = clock.GetUtcNow().UtcDateTime;
        var phone = Phones.Normalise(from);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The whole message is one unit of work: a failure rolls all of it back, so EF need not wrap each save in a savepoint.
        db.Database.AutoSavepointsEnabled = false;
        Outcome outcome;
        if (phone.E164 is null) outcome = new("invalid", "");
        else if (OptOut.Contains(key)) outcome = await OptOutAsync(phone.E164, now, ct);
        else if (OptIn.Contains(key)) outcome = await OptInAsync(phone.E164, now, ct);
        else if (Help.Contains(key)) outcome = new("help", HelpText);
        else if (Subscribe.FirstOrDefault(k => key.StartsWith(k + " ", StringComparison.Ordinal)) is { } kw) outcome = await SubscribeAsync(phone.E164, key[(kw.Length + 1)..].Trim(), body, now, ct);
        else if (Subscribe.Contains(key)) outcome = new("subscribe", "Nhắn: DK <mã xã hoặc tên xã>, ví dụ DK 17293 hoặc DK Châu Tiến.");
        else if (commands.IsCommand(key))
        {
            // The officials' commands and the citizens' CUU/SOS join this transaction: the message, its effect and its reply commit together.
            var answer = await commands.HandleAsync(new InboundSmsContext(channel, externalId, phone.E164, body, plain,
                db.Database.GetDbConnection(), Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(tx)), ct);
            outcome = new(answer.Keyword, answer.Reply);
        }
        else outcome = new("unknown", "Không hiểu tin nhắn. " + HelpText);

        var reply = plain ? SmsText.Fold(outcome.Reply) : outcome.Reply;
        await db.SaveChangesAsync(ct);   // what the handlers left pending (audit rows)
        var sender = phone.E164 ?? from[..Math.Min(20, from.Length)];
        var recorded = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO inbound_sms (channel, external_id, "from", body, keyword, reply, received_at)
            VALUES ({channel}, {externalId}, {sender}, {body[..Math.Min(1600, body.Length)]}, {outcome.Keyword}, {reply}, {now})
            ON CONFLICT (channel, external_id) WHERE external_id IS NOT NULL DO NOTHING
            """, ct);
        if (recorded == 0)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return null;
        }
        if (beforeCommit is not null && phone.E164 is not null && reply.Length > 0) await beforeCommit(phone.E164, reply, ct);
        await tx.CommitAsync(ct);
        return outcome with { Reply = reply };
    }

    const string HelpText = "Cảnh báo thiên tai qua SMS. DK <mã/tên xã>: đăng ký. HUY: ngừng nhận. START: nhận lại.";

    async Task<Subscriber?> LockAsync(string phone, CancellationToken ct) =>
        await db.Subscribers.FromSql($"SELECT * FROM subscribers WHERE phone = {phone} FOR UPDATE").Include(s => s.Communes).FirstOrDefaultAsync(ct);

    async Task<Outcome> OptOutAsync(string phone, DateTime now, CancellationToken ct)
    {
        var s = await LockAsync(phone, ct);
        if (s is null)
        {
            // Remember the refusal even for a number we never had: an official must not add it later.
            s = new Subscriber { Phone = phone, ConsentSource = ConsentSource.Sms, ConsentAt = now, ConsentBy = phone, CreatedAt = now };
            db.Subscribers.Add(s);
        }
        if (!s.OptedOut) { s.OptedOut = true; s.OptedOutAt = now; }
        s.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        // Whatever is still queued for the number will not go out (the dispatcher also checks at claim).
        await db.SmsMessages.Where(m => m.Phone == phone && m.Status == SmsStatus.Queued && m.Kind == SmsKind.Alert)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, SmsStatus.OptedOut).SetProperty(m => m.UpdatedAt, now), ct);
        audit.Add(AlertAudit.SubscriberSms, "subscriber", s.Id.ToString(), after: new { OptedOut = true }, actorName: phone, detail: "opted out by SMS");
        return new("opt_out", "Đã ngừng gửi cảnh báo đến số này. Nhắn START để nhận lại.");
    }

    async Task<Outcome> OptInAsync(string phone, DateTime now, CancellationToken ct)
    {
        var s = await LockAsync(phone, ct);
        if (s is null || s.Communes.Count == 0 && !s.OptedOut)
            return new("opt_in", "Số này chưa đăng ký xã nào. Nhắn DK <mã xã hoặc tên xã>, ví dụ DK Châu Tiến.");
        ConsentBySms(s, now);
        audit.Add(AlertAudit.SubscriberSms, "subscriber", s.Id.ToString(), after: new { OptedOut = false }, actorName: phone, detail: "re-subscribed by SMS");
        await db.SaveChangesAsync(ct);
        return s.Communes.Count == 0
            ? new("opt_in", "Đã bật lại. Nhắn DK <mã xã hoặc tên xã> để chọn xã nhận cảnh báo.")
            : new("opt_in", "Đã nhận lại cảnh báo thiên tai. Nhắn HUY để ngừng.");
    }

    /// <summary>The number itself asks: that is consent, and it lifts an earlier opt-out.</summary>
    static void ConsentBySms(Subscriber s, DateTime now)
    {
        s.OptedOut = false;
        s.OptedOutAt = null;
        s.ConsentSource = ConsentSource.Sms;
        s.ConsentAt = now;
        s.ConsentBy = s.Phone;
        s.UpdatedAt = now;
    }

    async Task<Outcome> SubscribeAsync(string phone, string query, string original, DateTime now, CancellationToken ct)
    {
        var candidates = await FindCommunesAsync(query, original, ct);
        if (candidates.Count == 0)
            return new("subscribe", $"Không tìm thấy xã \"{query}\". Nhắn DK <mã xã>, ví dụ DK 17293.");
        if (candidates.Count > 1)
        {
            var list = string.Join("; ", candidates.Take(6).Select(c => $"{c.Code} {c.Name} ({c.Province})"));
            return new("ambiguous", $"Có {candidates.Count} xã: {list}{(candidates.Count > 6 ? "; …" : "")}. Nhắn DK <mã> để chọn.");
        }
        var commune = candidates[0];
        var s = await LockAsync(phone, ct);
        if (s is null)
        {
            s = new Subscriber { Phone = phone, ConsentSource = ConsentSource.Sms, ConsentAt = now, ConsentBy = phone, CreatedAt = now };
            db.Subscribers.Add(s);
        }
        ConsentBySms(s, now);
        if (s.Communes.All(c => c.CommuneCode != commune.Code)) s.Communes.Add(new SubscriberCommune { CommuneCode = commune.Code });
        await db.SaveChangesAsync(ct);
        audit.Add(AlertAudit.SubscriberSms, "subscriber", s.Id.ToString(), after: new { Commune = commune.Code }, communeCode: commune.Code, actorName: phone, detail: "subscribed by SMS");
        var former = commune.Former is null ? "" : $" (gồm {commune.Former} cũ)";
        return new("subscribe", $"Đã đăng ký nhận cảnh báo thiên tai của {commune.Name}{former}, {commune.Province}. Nhắn HUY để ngừng.");
    }

    sealed record Candidate(string Code, string Name, string Province, string? Former);

    /// <summary>
    /// A code, or a name (with or without "xã/phường"), current or pre-merger. Names repeat across provinces and
    /// collide once diacritics are gone ("Hòa"/"Hoà"/"Hóa"): typed with diacritics, an exact spelling narrows the
    /// candidates; otherwise every folded match is a candidate.
    /// </summary>
    async Task<List<Candidate>> FindCommunesAsync(string key, string original, CancellationToken ct)
    {
        var digits = key.Replace(" ", "");
        if (digits.Length is >= 3 and <= 6 && digits.All(char.IsAsciiDigit))
        {
            var code = digits.PadLeft(5, '0');
            return await db.Communes.Where(c => c.Code == code || c.Code == digits)
                .Select(c => new Candidate(c.Code, c.Name, c.Province!.Name, null)).ToListAsync(ct);
        }
        var name = KindWords.FirstOrDefault(k => key.StartsWith(k, StringComparison.Ordinal)) is { } kind ? key[kind.Length..] : key;
        if (name.Length < 2) return [];
        var current = await db.Communes.Where(c => c.SearchKey == name || c.SearchKey == "xa " + name || c.SearchKey == "phuong " + name || c.SearchKey == "dac khu " + name)
            .Select(c => new Candidate(c.Code, c.Name, c.Province!.Name, null)).ToListAsync(ct);
        var former = await db.Communes.Where(c => c.FormerKeys.Contains(name) || c.FormerKeys.Contains("xa " + name) || c.FormerKeys.Contains("phuong " + name)
                || c.FormerKeys.Contains("thi tran " + name))
            .Select(c => new { c.Code, c.Name, Province = c.Province!.Name, c.FormerNames, c.FormerKeys }).ToListAsync(ct);
        var all = current.Concat(former.Where(f => current.All(c => c.Code != f.Code)).Select(f => new Candidate(f.Code, f.Name, f.Province,
            f.FormerNames.Zip(f.FormerKeys).Where(p => p.Second.EndsWith(name, StringComparison.Ordinal)).Select(p => p.First).FirstOrDefault()))).ToList();
        // Typed with diacritics: prefer the spellings that match exactly (NFC, case-insensitive).
        var typed = SearchKey.Nfc(original) ?? "";
        if (SmsText.Fold(typed) != typed && all.Count > 1)
        {
            var exact = all.Where(c => typed.Contains(StripKind(c.Name), StringComparison.OrdinalIgnoreCase)
                || c.Former is not null && typed.Contains(StripKind(c.Former), StringComparison.OrdinalIgnoreCase)).ToList();
            if (exact.Count > 0) all = exact;
        }
        return all.OrderBy(c => c.Code).ToList();
    }

    static string StripKind(string name)
    {
        foreach (var k in new[] { "Xã ", "Phường ", "Đặc khu ", "Thị trấn " })
            if (name.StartsWith(k, StringComparison.Ordinal)) return name[k.Length..];
        return name;
    }
}
