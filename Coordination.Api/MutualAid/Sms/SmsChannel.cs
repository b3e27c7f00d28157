using System.Data.Common;
using System.Security.Claims;
using System.Security.Cryptography;
using Coordination.Api.Boundaries;
using Coordination.Api.Identity;
using Microsoft.EntityFrameworkCore.Storage;

namespace Coordination.Api.MutualAid.Sms;

public sealed class SmsCommandOptions
{
    /// <summary>How long a confirmation code (XN 4821) stays valid.</summary>
    public int ConfirmMinutes { get; set; } = 10;
    /// <summary>How many donors a YC reply suggests (each with the HOI command to ask it).</summary>
    public int Suggestions { get; set; } = 2;
}

/// <summary>
/// The officials' SMS channel (README "SMS commands"): a message from a registered number — an official's mobile
/// (their account's phone) or a commune's duty phone — is read by <see cref="SmsGrammar"/> and run by the very
/// handlers the web calls, as that official: the same scope checks, the same state machine, the same audit rows
/// (their channel "sms") and notifications. Nothing is re-implemented here but the words.
/// <list type="bullet">
/// <item>The command joins the inbound message's transaction, so the message, its effect and its reply commit
/// together (a repeated delivery changes nothing).</item>
/// <item>What commits or moves resources (NHAN, DI, DEN, TRA, KHO) is first run and rolled back (a savepoint): a
/// refusal is answered at once, an acceptable command gets a code to confirm ("XN 4821"), which runs it for real if
/// it is still allowed then.</item>
/// <item>Unknown numbers learn nothing about requests; CUU/SOS from anyone is a citizen's help report.</item>
/// </list>
/// </summary>
public sealed class SmsChannel(IServiceProvider services, CoordinationDb requestDb, TimeProvider clock, IOptions<SmsCommandOptions> options,
    SmsGrammarCache grammars, IOptions<HelpReports.HelpReportOptions> helpOptions, IOptions<AidOptions> aidOptions)
    : ISmsCommands
{
    static readonly HashSet<string> Words = ["yc", "hoi", "nhan", "tuchoi", "di", "den", "tra", "kho", "tt", "xn", "cuu", "sos"];
    /// <summary>Commands that commit or move resources: they wait for the sender's XN code.</summary>
    static readonly HashSet<string> NeedConfirmation = ["nhan", "di", "den", "tra", "kho"];

    public bool IsCommand(string foldedText) => foldedText.Split(' ', 2)[0] is var first && (Words.Contains(first) || first == "tu" && foldedText.StartsWith("tu choi ", StringComparison.Ordinal));

    /// <summary>Who is speaking: an official (their account) or a commune's duty desk; null for anyone else.</summary>
    sealed record Sender(ClaimsPrincipal Principal, string? Commune, string Role, string Name);

    /// <summary>The services of one command, on the inbound message's connection and transaction.</summary>
    sealed record Run(CoordinationDb Db, AidContext Aid, Sender Sender, DbTransaction Tx, IOptions<AidOptions> AidOptions);

    public async Task<SmsCommandReply> HandleAsync(InboundSmsContext inbound, CancellationToken ct)
    {
        // The inbound handler of this request already holds the transaction on this scope's context: the command joins it.
        var db = requestDb;
        if (db.Database.CurrentTransaction?.GetDbTransaction() != inbound.Transaction)
        {
            db.Database.SetDbConnection(inbound.Connection);
            await db.Database.UseTransactionAsync(inbound.Transaction, ct);
        }
        db.Database.AutoSavepointsEnabled = false;   // the command's own savepoint (below) and the message's transaction cover it

        var grammar = await grammars.ForAsync(db, ct);
        var (command, error) = grammar.Parse(inbound.Body);
        // A citizen's call for help, from any number: a help report for the commune (its acknowledgement is the reply).
        if (command is SmsCommand.Help help)
            return new("cuu", await HelpReports.HelpReportIntake.FileAsync(db, inbound.Channel, inbound.ExternalId, inbound.Phone, help,
                clock.GetUtcNow().UtcDateTime, ct, helpOptions.Value));
        if (error is not null && SearchKey.Fold(inbound.Body).Split(' ')[0] is "cuu" or "sos") return new("error", error.Reply);
        var sender = await SenderAsync(db, inbound.Phone, ct);
        // An unknown number learns nothing about requests, not even whether the command was well formed.
        if (sender is null) return new("unregistered", SmsReplies.Unregistered);
        if (error is not null) return new("error", error.Reply);

        // The official acts in a request of their own, as the web's cookie would make them, named as from SMS: the
        // scope rule and the audit log read this context (never the webhook's, which is the gateway's).
        var http = new DefaultHttpContext { RequestServices = services, User = sender.Principal };
        http.Items[AuditChannel.Item] = AuditChannel.Sms;
        var context = new CommandContext(http);
        var aid = new AidContext(db, new CurrentUser(context, db), new AuditLog(db, context, clock), http, clock, ct);
        var run = new Run(db, aid, sender, inbound.Transaction, aidOptions);
        if (command is SmsCommand.Confirm confirm) return await ConfirmAsync(run, grammar, inbound.Phone, confirm.Code, ct);
        var verb = VerbOf(command!);
        if (!NeedConfirmation.Contains(verb)) return await ExecuteAsync(run, command!, ct);
        // Tried and rolled back: a refusal now is answered now; only an acceptable command gets a code.
        var tried = await InSavepointAsync(run, () => ExecuteAsync(run, command!, ct), keep: false, ct);
        if (tried.Keyword == "error") return tried;
        return await IssueCodeAsync(run, inbound.Phone, inbound.Body, verb, ct);
    }

    static string VerbOf(SmsCommand command) => command switch
    {
        SmsCommand.FileRequest => "yc", SmsCommand.Ask => "hoi", SmsCommand.Accept => "nhan", SmsCommand.Move m => m.Verb,
        SmsCommand.Arrive => "den", SmsCommand.SetStock => "kho", SmsCommand.Status => "tt", SmsCommand.Confirm => "xn", _ => "cuu",
    };

    /// <summary>Runs the work inside a savepoint of the inbound transaction; rolls it back on a refusal, or always when keep is false.</summary>
    static async Task<SmsCommandReply> InSavepointAsync(Run run, Func<Task<SmsCommandReply>> work, bool keep, CancellationToken ct)
    {
        const string savepoint = "sms_command";
        await run.Tx.SaveAsync(savepoint, ct);
        SmsCommandReply reply;
        try { reply = await work(); }
        catch
        {
            await run.Tx.RollbackAsync(savepoint, ct);
            run.Db.ChangeTracker.Clear();
            throw;
        }
        if (!keep || reply.Keyword == "error")
        {
            await run.Tx.RollbackAsync(savepoint, ct);
            run.Db.ChangeTracker.Clear();
        }
        else await run.Tx.ReleaseAsync(savepoint, ct);
        return reply;
    }

    static async Task<Sender?> SenderAsync(CoordinationDb db, string phone, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.PhoneNumber == phone && u.PhoneNumberConfirmed).OrderBy(u => u.CreatedAt).FirstOrDefaultAsync(ct);
        if (user is not null)
        {
            // Identity's lockout rule (UserManager.IsLockedOutAsync), read off the row we have: a locked account's phone is nobody's.
            if (user.LockoutEnabled && user.LockoutEnd >= DateTimeOffset.UtcNow) return null;
            return new(CoordinationClaimsFactory.ForSms(user), user.Role == Roles.CommuneLeader ? user.ScopeCode : null, user.Role, user.DisplayName);
        }
        var duty = await (from c in db.CommuneContacts join m in db.Communes on c.CommuneCode equals m.Code
                          where c.DutyMobile == phone orderby c.CommuneCode select new { m.Code, m.Name }).FirstOrDefaultAsync(ct);
        if (duty is null) return null;
        // The duty desk acts for its commune exactly as a leader of it would, under a name that says who it was.
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, "duty:" + duty.Code), new Claim(ClaimTypes.Name, "duty." + duty.Code),
            new Claim(CoordinationClaims.Role, Roles.CommuneLeader), new Claim(CoordinationClaims.ScopeKind, ScopeKinds.Commune),
            new Claim(CoordinationClaims.ScopeCode, duty.Code), new Claim(CoordinationClaims.DisplayName, $"Trực ban {duty.Name} ({phone})"),
        ], "sms");
        return new(new ClaimsPrincipal(identity), duty.Code, Roles.CommuneLeader, $"Trực ban {duty.Name}");
    }

    async Task<SmsCommandReply> IssueCodeAsync(Run run, string phone, string body, string verb, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var minutes = options.Value.ConfirmMinutes;
        // A code no other open confirmation of this phone has (4 digits: typed on a keypad).
        string code;
        do code = RandomNumberGenerator.GetInt32(1000, 10000).ToString(CultureInfo.InvariantCulture);
        while (await run.Db.SmsConfirmations.AnyAsync(c => c.Phone == phone && c.Code == code && c.UsedAt == null && c.ExpiresAt > now, ct));
        run.Db.SmsConfirmations.Add(new SmsConfirmation
        {
            Phone = phone, Code = code, Command = SearchKey.Fold(body), CreatedAt = now, ExpiresAt = now.AddMinutes(minutes),
        });
        await run.Db.SaveChangesAsync(ct);
        return new(verb + ".confirm", SmsReplies.ConfirmWith(SearchKey.Fold(body).ToUpperInvariant(), code, minutes));
    }

    async Task<SmsCommandReply> ConfirmAsync(Run run, SmsGrammar grammar, string phone, string code, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var pending = await run.Db.SmsConfirmations.Where(c => c.Phone == phone && c.Code == code && c.UsedAt == null)
            .OrderByDescending(c => c.Id).FirstOrDefaultAsync(ct);
        if (pending is null) return new("error", SmsReplies.CodeUnknown(code));
        if (pending.ExpiresAt <= now) return new("error", SmsReplies.CodeExpired(code, options.Value.ConfirmMinutes));
        // Used once: a second XN with the same code (or a race of two) finds it used.
        var taken = await run.Db.SmsConfirmations.Where(c => c.Id == pending.Id && c.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.UsedAt, now), ct);
        if (taken == 0) return new("error", SmsReplies.CodeUnknown(code));
        var (command, _) = grammar.Parse(pending.Command);
        if (command is null || command is SmsCommand.Confirm) return new("error", SmsReplies.CodeUnknown(code));
        // The rules are applied again now: what changed since the code was sent is seen.
        return await InSavepointAsync(run, () => ExecuteAsync(run, command, ct), keep: true, ct);
    }

    /// <summary>
    /// Runs the command; what it changed is also told to the sender's own commune, whose open pages would otherwise not
    /// know (the handlers notify the other side, and the actor's page refreshes itself on the web).
    /// </summary>
    async Task<SmsCommandReply> ExecuteAsync(Run run, SmsCommand command, CancellationToken ct)
    {
        var reply = await RunCommandAsync(run, command, ct);
        if (reply.Keyword != "error" && command is not SmsCommand.Status && run.Sender.Commune is { } commune)
        {
            var (request, pledge) = command switch
            {
                SmsCommand.Accept a => (null, a.PledgeId), SmsCommand.Move m => (null, m.PledgeId), SmsCommand.Arrive a => ((int?)null, (int?)a.PledgeId),
                SmsCommand.Ask a => (a.RequestId, null), _ => (null, null),
            };
            Notify.Add(run.Db, run.Aid.Now, commune, Audience.Commune, SmsCommandKind, request, pledge,
                new NotificationText($"{run.Sender.Name} (SMS): {reply.Reply}", $"{run.Sender.Name} (SMS): {reply.Reply}"));
            await run.Db.SaveChangesAsync(ct);
        }
        return reply;
    }

    /// <summary>The notification kind of what an official did by SMS (shown on the commune's pages; not relayed back by SMS).</summary>
    public const string SmsCommandKind = "sms.command";

    async Task<SmsCommandReply> RunCommandAsync(Run run, SmsCommand command, CancellationToken ct) => command switch
    {
        SmsCommand.FileRequest f => await FileAsync(run, f, ct),
        SmsCommand.Ask a => await AskAsync(run, a, ct),
        SmsCommand.Accept a => Answer("nhan", a.PledgeId, await Pledges.Move(a.PledgeId, PledgeMove.Accept, a.Quantity, null, null, run.Aid)),
        SmsCommand.Move { Verb: "tuchoi" } m => Answer("tuchoi", m.PledgeId, await Pledges.Move(m.PledgeId, PledgeMove.Decline, null, null, null, run.Aid)),
        SmsCommand.Move { Verb: "di" } m => Answer("di", m.PledgeId, await Pledges.Move(m.PledgeId, PledgeMove.Dispatch, null, null, null, run.Aid)),
        SmsCommand.Move { Verb: "tra" } m => Answer("tra", m.PledgeId, await Pledges.Move(m.PledgeId, PledgeMove.Return, null, null, null, run.Aid)),
        SmsCommand.Arrive a => Answer("den", a.PledgeId, await Pledges.Move(a.PledgeId, PledgeMove.Arrive, null, null, a.PersonTurns, run.Aid)),
        SmsCommand.SetStock s => await StockAsync(run, s),
        SmsCommand.Status s => await StatusAsync(run, s.RequestId, ct),
        _ => new("error", SmsReplies.Usage),
    };

    static SmsCommandReply Answer(string verb, int pledgeId, IResult result) =>
        SmsReplies.Unwrap(result) is var (value, problem) && problem is not null
            ? new("error", SmsReplies.Refusal(problem, verb, pledgeId))
            : new(verb, SmsReplies.Done(verb, (PledgeDto)value!));

    async Task<SmsCommandReply> FileAsync(Run run, SmsCommand.FileRequest f, CancellationToken ct)
    {
        if (run.Sender.Commune is not { } commune) return new("error", SmsReplies.CommuneOnly("YC"));
        var db = run.Db;
        var point = await db.Communes.Where(c => c.Code == commune).Select(c => c.LabelPoint).FirstAsync(ct);
        int? hamletId = null;
        string? hamletName = null;
        if (f.Hamlet is { } typed)
        {
            var key = SearchKey.Fold(typed);
            var hamlet = await db.Hamlets.AsNoTracking().Where(h => h.CommuneCode == commune && (h.SearchKey == key || h.SearchKey.EndsWith(" " + key)))
                .OrderBy(h => h.SearchKey.Length).FirstOrDefaultAsync(ct);
            if (hamlet is not null) hamletId = hamlet.Id;
            else hamletName = SmsReplies.TitleCase(typed);
        }
        // By SMS the leader cannot be asked to confirm a possible duplicate: it is filed and flagged for the command.
        var body = new CreateRequest(commune, hamletId is null ? point!.X : null, hamletId is null ? point!.Y : null,
            hamletName ?? (hamletId is null ? SmsReplies.NoHamlet : null), "flood", "Gửi qua SMS", Urgency.Urgent, null,
            f.Lines.Select(l => new RequestLineInput(l.ResourceType, l.Quantity)).ToList(), false, true, hamletId);
        var (value, problem) = SmsReplies.Unwrap(await RequestsApi.Create(body, run.Aid, run.AidOptions));
        if (problem is not null) return new("error", SmsReplies.Refusal(problem, "yc", null));
        var request = (RequestDto)value!;
        await db.Database.OpenConnectionAsync(ct);
        var suggestions = new List<string>();
        foreach (var line in request.Lines)
        {
            var match = await Matching.MatchLineAsync((NpgsqlConnection)db.Database.GetDbConnection(), request.Id, line.Id, run.Aid.Now, false, ct);
            // 4-on-the-spot order; the commune's own stock is not an ask by SMS.
            foreach (var s in (match?.Suggestions ?? []).Where(s => s.DonorCode != commune).Take(options.Value.Suggestions))
                suggestions.Add($"HOI {request.Id} {SmsReplies.ShortName(s.DonorName)} {Math.Min(s.SuggestedQuantity, line.Quantity)}{(request.Lines.Count > 1 ? " " + SmsReplies.Alias(line.ResourceType) : "")}");
        }
        return new("yc", SmsReplies.Filed(request, suggestions));
    }

    static async Task<SmsCommandReply> AskAsync(Run run, SmsCommand.Ask a, CancellationToken ct)
    {
        var db = run.Db;
        var request = await db.AidRequests.AsNoTracking().Include(r => r.Lines).FirstOrDefaultAsync(r => r.Id == a.RequestId, ct);
        if (request is null) return new("error", SmsReplies.NoRequest(a.RequestId));
        var lines = a.ResourceType is null ? request.Lines : request.Lines.Where(l => l.ResourceType == a.ResourceType).ToList();
        if (lines.Count != 1)
            return new("error", lines.Count == 0 ? SmsReplies.NoSuchLine(request.Id, request.Lines.Select(l => l.ResourceType))
                : SmsReplies.WhichLine(request.Id, request.Lines.Select(l => l.ResourceType)));
        var donors = await DonorsAsync(db, a.Donor, request.CommuneCode, ct);
        if (donors.Count == 0) return new("error", SmsReplies.NoCommune(a.Donor));
        if (donors.Count > 1) return new("error", SmsReplies.WhichCommune(a.RequestId, a.Quantity, donors.Select(d => (d.Code, d.Name))));
        var (value, problem) = SmsReplies.Unwrap(await Pledges.Ask(new PledgeRequestInput(lines[0].Id, donors[0].Code, a.Quantity, null, null), run.Aid));
        if (problem is not null) return new("error", SmsReplies.Refusal(problem, "hoi", null));
        return new("hoi", SmsReplies.Asked((PledgeDto)value!));
    }

    sealed record Donor(string Code, string Name);

    /// <summary>A commune by code or by folded name (with or without "xã"/"phường", current or pre-merger), nearest the requester first.</summary>
    static async Task<List<Donor>> DonorsAsync(CoordinationDb db, string words, string requester, CancellationToken ct)
    {
        var key = SearchKey.Fold(words);
        if (key.Length == 5 && key.All(char.IsAsciiDigit))
            return await db.Communes.Where(c => c.Code == key).Select(c => new Donor(c.Code, c.Name)).ToListAsync(ct);
        foreach (var kind in new[] { "xa ", "phuong ", "dac khu " })
            if (key.StartsWith(kind, StringComparison.Ordinal)) key = key[kind.Length..];
        string[] keys = [key, "xa " + key, "phuong " + key, "dac khu " + key];
        var found = await db.Communes.Where(c => keys.Contains(c.SearchKey)).Select(c => new { c.Code, c.Name, c.ProvinceCode }).ToListAsync(ct);
        if (found.Count == 0)
            found = await db.Communes.Where(c => c.FormerKeys.Any(f => keys.Contains(f) || f == "thi tran " + key)).Select(c => new { c.Code, c.Name, c.ProvinceCode }).ToListAsync(ct);
        if (found.Count <= 1) return found.Select(f => new Donor(f.Code, f.Name)).ToList();
        // The same name in several provinces: the requester's province is meant.
        var province = await db.Communes.Where(c => c.Code == requester).Select(c => c.ProvinceCode).FirstAsync(ct);
        var near = found.Where(f => f.ProvinceCode == province).ToList();
        return (near.Count > 0 ? near : found).Select(f => new Donor(f.Code, f.Name)).OrderBy(d => d.Code).ToList();
    }

    static async Task<SmsCommandReply> StockAsync(Run run, SmsCommand.SetStock s)
    {
        if (run.Sender.Commune is not { } commune) return new("error", SmsReplies.CommuneOnly("KHO"));
        var set = new List<InventoryDto>();
        foreach (var (type, onHand) in s.Items)
        {
            var (value, problem) = SmsReplies.Unwrap(await ResourcesApi.SetInventory(commune, type, new InventoryInput(onHand), run.Aid));
            // All or nothing: the caller's savepoint undoes the items already set.
            if (problem is not null) return new("error", SmsReplies.Refusal(problem, "kho", null));
            set.Add((InventoryDto)value!);
        }
        return new("kho", SmsReplies.Stock(set));
    }

    static async Task<SmsCommandReply> StatusAsync(Run run, int id, CancellationToken ct) =>
        await RequestsApi.LoadAsync(run.Db, id, ct) is { } r ? new("tt", SmsReplies.Status(r)) : new("error", SmsReplies.NoRequest(id));
}

/// <summary>
/// The grammar of the current catalogue, read again at most once a minute (a type an administrator adds is understood
/// by SMS within a minute), so an inbound message does not read the catalogue each time.
/// </summary>
public sealed class SmsGrammarCache(TimeProvider clock)
{
    static readonly TimeSpan Fresh = TimeSpan.FromMinutes(1);
    (SmsGrammar Grammar, DateTimeOffset At)? _current;

    public async Task<SmsGrammar> ForAsync(CoordinationDb db, CancellationToken ct)
    {
        if (_current is { } c && clock.GetUtcNow() - c.At < Fresh) return c.Grammar;
        var catalogue = await db.ResourceTypes.AsNoTracking().Select(t => new { t.Code, t.NameVi }).ToListAsync(ct);
        var grammar = SmsGrammar.For(catalogue.Select(t => (t.Code, t.NameVi)));
        _current = (grammar, clock.GetUtcNow());
        return grammar;
    }
}

/// <summary>
/// The context of one SMS command, held by this instance alone (ASP.NET Core's HttpContextAccessor keeps one per async
/// flow, which would also be the webhook's).
/// </summary>
sealed class CommandContext(HttpContext http) : IHttpContextAccessor
{
    public HttpContext? HttpContext { get => http; set => throw new InvalidOperationException("an SMS command's context is fixed"); }
}
