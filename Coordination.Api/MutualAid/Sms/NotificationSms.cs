using Coordination.Api.Identity;

namespace Coordination.Api.MutualAid.Sms;

public sealed class NotificationSmsOptions
{
    public bool Enabled { get; set; } = true;
    /// <summary>At most this many notification SMS per phone per window; the rest become one digest SMS when the window ends.</summary>
    public int MaxPerWindow { get; set; } = 5;
    public int WindowMinutes { get; set; } = 15;
    public double IntervalSeconds { get; set; } = 2;
}

/// <summary>A phone's notification budget: how many were sent in the current window and how many were held back.</summary>
public sealed class NotificationSmsBudget
{
    public required string Phone { get; set; }
    public DateTime WindowStart { get; set; }
    public int Sent { get; set; }
    public int Held { get; set; }
}

/// <summary>
/// The web's notifications, also by SMS (README "SMS commands"): a notification for a commune goes to its duty phone
/// and to its leaders' registered phones, one for its command to the phones of its defense-area commanders, each
/// official receiving only the kinds they chose (AppUser.SmsNotify). A phone gets at most MaxPerWindow in a window;
/// what is held back becomes one digest when the window ends, so a storm of changes is not a storm of SMS.
/// The relay reads the notifications after a cursor and moves the cursor in the transaction that queues their SMS:
/// each notification is relayed once, whatever crashes, and several processes take turns on the cursor's lock.
/// </summary>
public sealed class NotificationSmsRelay(IServiceScopeFactory scopes, TimeProvider clock, IOptions<NotificationSmsOptions> options,
    ILogger<NotificationSmsRelay> log) : BackgroundService
{
    NotificationSmsOptions O => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!O.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RunOnceAsync(stoppingToken) == 0) await Task.Delay(TimeSpan.FromSeconds(O.IntervalSeconds), clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception e) when (e is Npgsql.NpgsqlException or DbUpdateException or InvalidOperationException)
            {
                log.LogWarning(e, "notification SMS relay round failed");
                await Task.Delay(TimeSpan.FromSeconds(2), clock, stoppingToken);
            }
        }
    }

    /// <summary>The SMS kind a notification kind ("pledge." + the move, "request.opened" …) belongs to (what an official chooses to receive).</summary>
    public static string KindOf(string notificationKind) => notificationKind.Replace("_on_behalf", "", StringComparison.Ordinal) switch
    {
        "pledge.asked" => SmsNotifyKinds.Ask,
        "pledge.accept" or "pledge.decline" or "pledge.cancel" => SmsNotifyKinds.Answer,
        "pledge.dispatch" => SmsNotifyKinds.Dispatch,
        "pledge.arrive" or "pledge.return" or "pledge.consume" => SmsNotifyKinds.Arrival,
        var k when k.EndsWith(".escalated", StringComparison.Ordinal) => SmsNotifyKinds.Escalation,
        var k when k.StartsWith("help.", StringComparison.Ordinal) => SmsNotifyKinds.Help,
        _ => SmsNotifyKinds.Request,
    };

    /// <summary>The notification's sentence and the short command that answers it.</summary>
    public static string Text(Notification n)
    {
        var hint = n.Kind.Replace("_on_behalf", "", StringComparison.Ordinal) switch
        {
            "pledge.asked" when n.PledgeId is { } p => $" Tra loi: NHAN {p} [so] hoac TUCHOI {p}.",
            "pledge.accept" when n.RequestId is { } r => $" Theo doi: TT {r}.",
            "pledge.dispatch" when n.PledgeId is { } p => $" Khi toi: DEN {p} [so luot nguoi].",
            _ when n.RequestId is { } r => $" TT {r}.",
            _ => "",
        };
        var text = SearchKey.Unaccent(n.TextVi);
        return SmsReplies.Clip(text.Length + hint.Length <= SmsReplies.MaxChars ? text + hint : SmsReplies.Clip(text, SmsReplies.MaxChars - hint.Length) + hint);
    }

    sealed record Official(string Phone, string? Commune, string? Area, string Role, string[]? Kinds);

    /// <summary>Relays one batch of notifications (and any digests due); returns how many notifications it read.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoordinationDb>();
        var outbox = scope.ServiceProvider.GetRequiredService<ISmsOutbox>();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var cursor = await db.NotificationSmsCursors.FromSql($"SELECT * FROM notification_sms_cursors WHERE id = 1 FOR UPDATE").SingleAsync(ct);
        var batch = await db.Notifications.AsNoTracking().Where(n => n.Id > cursor.LastNotificationId).OrderBy(n => n.Id).Take(200).ToListAsync(ct);
        var budgets = new Dictionary<string, NotificationSmsBudget>();
        async Task<NotificationSmsBudget> BudgetAsync(string phone)
        {
            if (budgets.TryGetValue(phone, out var b)) return b;
            b = await db.NotificationSmsBudgets.FirstOrDefaultAsync(x => x.Phone == phone, ct);
            if (b is null) db.NotificationSmsBudgets.Add(b = new NotificationSmsBudget { Phone = phone, WindowStart = now });
            return budgets[phone] = b;
        }
        if (batch.Count > 0)
        {
            var communes = batch.Select(n => n.CommuneCode).Distinct().ToList();
            var duty = await db.CommuneContacts.Where(c => communes.Contains(c.CommuneCode) && c.DutyMobile != null)
                .ToDictionaryAsync(c => c.CommuneCode, c => c.DutyMobile!, ct);
            var areas = await db.DefenseAreaCommunes.Where(m => communes.Contains(m.CommuneCode))
                .Select(m => new { m.CommuneCode, Area = m.DefenseAreaId.ToString() }).ToListAsync(ct);
            var areaCodes = areas.Select(a => a.Area).Distinct().ToList();
            var officials = await db.Users.AsNoTracking().Where(u => u.PhoneNumber != null && u.PhoneNumberConfirmed
                    && (u.Role == Roles.CommuneLeader && communes.Contains(u.ScopeCode!) || u.Role == Roles.DefenseCommander && areaCodes.Contains(u.ScopeCode!)))
                .Select(u => new Official(u.PhoneNumber!, u.Role == Roles.CommuneLeader ? u.ScopeCode : null, u.Role == Roles.DefenseCommander ? u.ScopeCode : null, u.Role, u.SmsNotify))
                .ToListAsync(ct);
            // What an official did by SMS is shown on the pages; the phone that did it has its reply already.
            foreach (var n in batch.Where(n => n.Kind != SmsChannel.SmsCommandKind))
            {
                var kind = KindOf(n.Kind);
                var phones = new HashSet<string>();
                if (n.Audience == Audience.Commune)
                {
                    if (duty.TryGetValue(n.CommuneCode, out var d)) phones.Add(d);
                    phones.UnionWith(officials.Where(o => o.Commune == n.CommuneCode && Wants(o, kind)).Select(o => o.Phone));
                }
                else
                {
                    var mine = areas.Where(a => a.CommuneCode == n.CommuneCode).Select(a => a.Area).ToHashSet();
                    phones.UnionWith(officials.Where(o => o.Area is not null && mine.Contains(o.Area) && Wants(o, kind)).Select(o => o.Phone));
                }
                foreach (var phone in phones)
                {
                    var b = await BudgetAsync(phone);
                    Roll(b, now, outbox);
                    if (b.Sent < O.MaxPerWindow) { outbox.Enqueue(phone, Text(n), "notification", now); b.Sent++; }
                    else b.Held++;
                }
            }
            cursor.LastNotificationId = batch[^1].Id;
            cursor.UpdatedAt = now;
        }
        // Digests whose window has ended without a new notification to carry them.
        var windowStart = now.AddMinutes(-O.WindowMinutes);
        foreach (var b in await db.NotificationSmsBudgets.Where(b => b.Held > 0 && b.WindowStart <= windowStart).Take(200).ToListAsync(ct))
            if (!budgets.ContainsKey(b.Phone)) Roll(b, now, outbox);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return batch.Count;
    }

    static bool Wants(Official o, string kind) => o.Kinds is null || o.Kinds.Contains(kind);

    /// <summary>A window that has ended starts again; what it held back goes out first, as one digest.</summary>
    void Roll(NotificationSmsBudget b, DateTime now, ISmsOutbox outbox)
    {
        if (b.WindowStart.AddMinutes(O.WindowMinutes) > now) return;
        b.WindowStart = now;
        b.Sent = 0;
        if (b.Held == 0) return;
        outbox.Enqueue(b.Phone, $"Co them {b.Held} thong bao dieu phoi trong {O.WindowMinutes} phut qua (gui gop de tranh qua nhieu tin). Xem web hoac nhan TT <so YC>.", "notification", now);
        b.Sent = 1;
        b.Held = 0;
    }
}
