using System.Collections.Concurrent;
using Coordination.Api.Alerts.Sms;
using NpgsqlTypes;

namespace Coordination.Api.Alerts.Delivery;

/// <summary>
/// Sends the outbox through its providers (<see cref="ISmsProvider"/>: Twilio, and Android gateway phones for the
/// numbers routed to them), one loop per provider. Any number of dispatcher processes may run against one database:
/// <list type="number">
/// <item>Claim: a batch of queued rows of the provider's route is set to <c>sending</c> with a lease, this process's
/// id and the provider's name, and committed (FOR UPDATE SKIP LOCKED, so two loops never claim the same row; several
/// gateways share the gateway-routed rows). No lock is held during HTTP.</item>
/// <item>Pace: the batch's segments are reserved on the provider's <c>sms_pacing</c> row, which gives every process
/// its own future time slot, so the provider's rate (Twilio's segments/s, a SIM's SMS/min) holds for all processes together.</item>
/// <item>Send, with our row id where the provider can give it back: Twilio's StatusCallback URL (<c>?m=ID</c>), the
/// gateway's message id (<c>m-ID</c>), so an answer or a callback is attributed even if we die before recording.</item>
/// <item>Record: accepted, retry later (not processed), failed (final), or <c>uncertain</c> (timeout/5xx: may exist).</item>
/// <item>Reconcile: an uncertain row, or a <c>sending</c> row whose lease expired (its process died between claim and
/// record), is looked up at the provider that row was claimed for (Twilio's list of messages to that number since the
/// attempt; the gateway's GET /message/m-ID). Found: that status. Not found: queued again. Only then can it be sent again.</item>
/// </list>
/// Guarantee: every outbox row ends with at most one message at its provider and is never dropped, across kill -9 at
/// any point, provided the provider's lookup shows a created message by the time we reconcile (ReconcileDelaySeconds
/// after the attempt, and after the lease). Residual risk: a request the provider takes later than that (or a list
/// that lags) can produce one duplicate.
/// </summary>
public sealed class SmsDispatcher(IDatabaseLocation database, SmsProviders providers, IOptions<SmsOptions> smsOptions, ILogger<SmsDispatcher> log)
{
    readonly Guid _me = Guid.NewGuid();
    readonly ConcurrentDictionary<int, (string Body, string Folded)> _bodies = new();
    NpgsqlDataSource? _source;

    DispatchOptions D => smsOptions.Value.Dispatch;
    NpgsqlDataSource Source => _source ??= NpgsqlDataSource.Create(database.ConnectionString);

    public Guid ProcessId => _me;

    public async Task RunAsync(CancellationToken ct)
    {
        if (!providers.AnyConfigured)
        {
            log.LogWarning("SMS gateway not configured (Twilio:AccountSid, AuthToken or ApiKey/ApiSecret, From or MessagingServiceSid; or Sms:Gateways): messages stay in the outbox, marked not sent");
            return;
        }
        await Task.WhenAll(providers.All.Select(p => Task.Run(() => LoopAsync(p, ct), ct)));
    }

    async Task LoopAsync(ISmsProvider provider, CancellationToken ct)
    {
        log.LogInformation("SMS dispatcher {Id} sending through {Provider} at {Rate} segments/s", _me, provider.Name, provider.SegmentsPerSecond > 0 ? provider.SegmentsPerSecond : "unlimited");
        var prepared = DateTime.MinValue;
        var ready = false;
        var idle = D.IdleSeconds;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!ready && DateTime.UtcNow - prepared > TimeSpan.FromSeconds(30))
                {
                    prepared = DateTime.UtcNow;
                    ready = await provider.PrepareAsync(ct);
                }
                var reconciled = await ReconcileAsync(provider, ct);
                var sent = await DispatchBatchAsync(provider, ct);
                // With gateways, Twilio's claim that finds nothing has scanned past the gateway rows (in Vietnam nearly all
                // of them, waiting for slow SIMs): an idle Twilio loop backs off, up to 10 s, instead of scanning every second.
                idle = sent > 0 || reconciled > 0 || provider.GatewayRoute || providers.GatewayPrefixes.Length == 0
                    ? D.IdleSeconds : Math.Min(Math.Max(idle * 2, D.IdleSeconds), 10);
                if (sent == 0 && reconciled == 0) await Task.Delay(TimeSpan.FromSeconds(idle), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or HttpRequestException)
            {
                log.LogWarning(e, "dispatcher round for {Provider} failed; trying again shortly", provider.Name);
                try { await Task.Delay(TimeSpan.FromSeconds(2), ct); } catch (OperationCanceledException) { break; }
            }
        }
    }

    sealed record Claimed(long Id, string Phone, bool Folded, int? AlertId, string? Body, short Segments, DateTime AttemptStartedAt, short Attempts)
    {
        public OutboxSms Sms => new(Id, Phone, AttemptStartedAt);
    }

    sealed record Result(long Id, string Status, string? Sid, int? Code, string? Message, DateTime? NextAttemptAt);

    /// <summary>Claims, paces, sends and records one batch of every provider; returns how many were claimed.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken ct)
    {
        var n = 0;
        foreach (var p in providers.All) n += await DispatchBatchAsync(p, ct);
        return n;
    }

    /// <summary>Looks up uncertain rows of every provider; returns how many were settled.</summary>
    public async Task<int> ReconcileAsync(CancellationToken ct)
    {
        var n = 0;
        foreach (var p in providers.All) n += await ReconcileAsync(p, ct);
        return n;
    }

    async Task<int> DispatchBatchAsync(ISmsProvider provider, CancellationToken ct)
    {
        var mps = provider.SegmentsPerSecond;
        // With a rate, claim about two seconds' worth (at least one), so a claim is not held for long while waiting for its slot.
        var size = mps > 0 ? Math.Clamp((int)(mps * 2), 1, D.BatchSize) : D.BatchSize;
        var batch = await ClaimAsync(provider, size, ct);
        if (batch.Count == 0) return 0;

        var start = DateTime.UtcNow;
        if (mps > 0)
        {
            var segments = batch.Sum(m => m.Segments);
            start = await ReserveAsync(provider.Name, segments, mps, ct);
            // The claim must outlive the wait for our slot and the sending itself.
            await ExtendLeaseAsync(batch, start.AddSeconds(segments / mps + D.LeaseSeconds), ct);
        }
        await EnsureBodiesAsync(batch, ct);

        var results = new ConcurrentBag<Result>();
        var offsets = new double[batch.Count];
        for (int i = 1; i < batch.Count; i++) offsets[i] = offsets[i - 1] + (mps > 0 ? batch[i - 1].Segments / mps : 0);
        await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), new ParallelOptions { MaxDegreeOfParallelism = D.Concurrency, CancellationToken = ct },
            async (i, token) =>
            {
                var m = batch[i];
                var due = start.AddSeconds(offsets[i]) - DateTime.UtcNow;
                if (due > TimeSpan.Zero) await Task.Delay(due, token);
                var outcome = await provider.SendAsync(m.Sms, Text(m), token);
                results.Add(ToResult(m, outcome));
            });
        await RecordAsync(results, ct);
        var limited = results.Where(r => r.Status == SmsStatus.Queued).Select(r => r.NextAttemptAt).Max();
        if (limited is { } until && until > DateTime.UtcNow)
            await Task.Delay(until - DateTime.UtcNow > TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(5) : until - DateTime.UtcNow, ct);
        return batch.Count;
    }

    /// <summary>The text a claimed row sends: its own, or its alert's (folded when the row says so).</summary>
    string Text(Claimed m) => m.Body ?? (m.Folded ? _bodies[m.AlertId!.Value].Folded : _bodies[m.AlertId!.Value].Body);

    Result ToResult(Claimed m, SendOutcome o) => o.Kind switch
    {
        SendOutcomeKind.Accepted => new(m.Id, SmsStatus.Accepted, o.Sid, null, null, null),
        SendOutcomeKind.RetryLater => m.Attempts >= D.MaxAttempts
            ? new(m.Id, SmsStatus.Failed, null, o.ErrorCode, $"gave up after {m.Attempts} attempts: {o.ErrorMessage}", null)
            : new(m.Id, SmsStatus.Queued, null, o.ErrorCode, o.ErrorMessage,
                DateTime.UtcNow + (o.RetryAfter ?? TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, m.Attempts))))),
        SendOutcomeKind.Uncertain => new(m.Id, SmsStatus.Uncertain, null, o.ErrorCode, o.ErrorMessage, DateTime.UtcNow.AddSeconds(D.ReconcileDelaySeconds)),
        _ => new(m.Id, o.ErrorCode == 21610 ? SmsStatus.OptedOut : SmsStatus.Failed, null, o.ErrorCode, o.ErrorMessage, null),
    };

    /// <summary>The routing rule in SQL over <c>m.phone</c>: $4 the gateway prefixes (empty: none), $5 whether this provider takes those numbers.</summary>
    const string RouteSql = "(EXISTS (SELECT 1 FROM unnest($4::text[]) p WHERE starts_with(m.phone, p))) = $5";

    async Task<List<Claimed>> ClaimAsync(ISmsProvider provider, int size, CancellationToken ct)
    {
        await using var cmd = Source.CreateCommand($"""
            WITH c AS (
                SELECT m.id, m.alert_id FROM sms_messages m
                WHERE m.status = 'queued' AND m.next_attempt_at <= now() AND {RouteSql}
                ORDER BY m.next_attempt_at, m.id
                LIMIT $1
                FOR UPDATE SKIP LOCKED),
            u AS (
                UPDATE sms_messages m SET
                    -- Only an alert obeys an opt-out and its alert's end; a reply or a notification always goes.
                    status = CASE WHEN m.kind <> 'alert' THEN 'sending'
                                  WHEN EXISTS (SELECT 1 FROM subscribers s WHERE s.phone = m.phone AND s.opted_out) THEN 'opted_out'
                                  WHEN a.expires <= now() THEN 'expired'
                                  WHEN a.state <> 'active' THEN 'cancelled'
                                  ELSE 'sending' END,
                    attempts = m.attempts + 1,
                    lease_until = now() + make_interval(secs => $2),
                    claimed_by = $3,
                    provider = $6,
                    attempt_started_at = date_trunc('second', clock_timestamp()),
                    updated_at = now()
                FROM c LEFT JOIN alerts a ON a.id = c.alert_id
                WHERE m.id = c.id
                RETURNING m.id, m.phone, m.folded, m.alert_id, m.body, m.segments, m.attempt_started_at, m.attempts, m.status)
            SELECT id, phone, folded, alert_id, body, segments, attempt_started_at, attempts FROM u WHERE status = 'sending' ORDER BY id
            """);
        cmd.Parameters.Add(new() { Value = size });
        cmd.Parameters.Add(new() { Value = (double)D.LeaseSeconds });
        cmd.Parameters.Add(new() { Value = _me });
        cmd.Parameters.Add(new() { Value = providers.GatewayPrefixes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = provider.GatewayRoute });
        cmd.Parameters.Add(new() { Value = provider.Name });
        return await ReadClaimedAsync(cmd, ct);
    }

    /// <summary>Pushes the provider's shared schedule forward by our segments; returns when our slot begins.</summary>
    async Task<DateTime> ReserveAsync(string provider, int segments, double mps, CancellationToken ct)
    {
        // One row per provider, created on first use (a gateway added to the configuration needs no migration).
        await using var cmd = Source.CreateCommand("""
            INSERT INTO sms_pacing AS p (provider, next_free) VALUES ($2, clock_timestamp() + make_interval(secs => $1))
            ON CONFLICT (provider) DO UPDATE SET next_free = GREATEST(p.next_free, clock_timestamp()) + make_interval(secs => $1)
            RETURNING next_free - make_interval(secs => $1)
            """);
        cmd.Parameters.Add(new() { Value = segments / mps });
        cmd.Parameters.Add(new() { Value = provider });
        return DateTime.SpecifyKind((DateTime)(await cmd.ExecuteScalarAsync(ct))!, DateTimeKind.Utc);
    }

    async Task ExtendLeaseAsync(List<Claimed> batch, DateTime until, CancellationToken ct)
    {
        await using var cmd = Source.CreateCommand("UPDATE sms_messages SET lease_until = $1 WHERE id = ANY($2) AND claimed_by = $3 AND status = 'sending'");
        cmd.Parameters.Add(new() { Value = until });
        cmd.Parameters.Add(new() { Value = batch.Select(m => m.Id).ToArray() });
        cmd.Parameters.Add(new() { Value = _me });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    async Task EnsureBodiesAsync(IEnumerable<Claimed> rows, CancellationToken ct)
    {
        var missing = rows.Where(m => m.Body is null).Select(m => m.AlertId!.Value).Distinct().Where(id => !_bodies.ContainsKey(id)).ToArray();
        if (missing.Length == 0) return;
        await using var cmd = Source.CreateCommand("SELECT id, body, body_folded FROM alerts WHERE id = ANY($1)");
        cmd.Parameters.Add(new() { Value = missing });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) _bodies[r.GetInt32(0)] = (r.GetString(1), r.GetString(2));
    }

    /// <summary>
    /// Writes a batch's outcomes in one statement. An acceptance is recorded whatever happened meanwhile (a callback
    /// may already have moved the row further: it is not moved back); any other outcome only while the row is
    /// still our claim. A final opt-out from Twilio (21610) also marks the subscriber.
    /// </summary>
    async Task RecordAsync(IReadOnlyCollection<Result> results, CancellationToken ct)
    {
        if (results.Count == 0) return;
        await using var cmd = Source.CreateCommand("""
            WITH r AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::timestamptz[]) AS r(id, status, sid, code, msg, next_at)),
            u AS (
                UPDATE sms_messages m SET
                    status = CASE WHEN r.status = 'accepted' THEN (CASE WHEN m.status IN ('queued','sending','uncertain') THEN 'accepted' ELSE m.status END)
                                  ELSE r.status END,
                    twilio_sid = COALESCE(m.twilio_sid, r.sid),
                    error_code = r.code, error_message = left(r.msg, 300),
                    next_attempt_at = COALESCE(r.next_at, m.next_attempt_at),
                    lease_until = NULL, claimed_by = NULL, updated_at = now()
                FROM r
                WHERE m.id = r.id AND (r.status = 'accepted' OR (m.status = 'sending' AND m.claimed_by = $7))
                RETURNING m.phone, m.status)
            UPDATE subscribers s SET opted_out = true, opted_out_at = now(), updated_at = now()
            FROM u WHERE u.status = 'opted_out' AND s.phone = u.phone AND NOT s.opted_out
            """);
        AddResults(cmd, results);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Looks up the provider's uncertain rows (and claims of dead processes) at the provider; returns how many were settled.</summary>
    async Task<int> ReconcileAsync(ISmsProvider provider, CancellationToken ct)
    {
        List<Claimed> rows = [];
        // Rows claimed before providers were recorded went through Twilio.
        await using (var cmd = Source.CreateCommand("""
            WITH c AS (
                SELECT id FROM sms_messages
                WHERE ((status = 'sending' AND lease_until < now())
                   OR (status = 'uncertain' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())))
                  AND COALESCE(provider, 'twilio') = $3
                ORDER BY id LIMIT 50
                FOR UPDATE SKIP LOCKED)
            UPDATE sms_messages m SET status = 'uncertain', lease_until = now() + make_interval(secs => $1), claimed_by = $2, updated_at = now()
            FROM c WHERE m.id = c.id
            RETURNING m.id, m.phone, m.folded, m.alert_id, m.body, m.segments, m.attempt_started_at, m.attempts
            """))
        {
            cmd.Parameters.Add(new() { Value = (double)D.LeaseSeconds });
            cmd.Parameters.Add(new() { Value = _me });
            cmd.Parameters.Add(new() { Value = provider.Name });
            rows = await ReadClaimedAsync(cmd, ct);
        }
        if (rows.Count == 0) return 0;
        await EnsureBodiesAsync(rows, ct);
        var results = new ConcurrentBag<Result>();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(8, D.Concurrency), CancellationToken = ct }, async (m, token) =>
        {
            List<FoundSms> candidates;
            try { candidates = await provider.FindAsync(m.Sms, Text(m), token); }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                results.Add(new(m.Id, SmsStatus.Uncertain, null, null, "reconcile: " + e.Message, DateTime.UtcNow.AddSeconds(D.ReconcileDelaySeconds)));
                return;
            }
            // A message another row already owns (same number and text, e.g. the previous round) is not ours.
            var known = await KnownSidsAsync(candidates.Where(c => c.Sid is not null).Select(c => c.Sid!).ToList(), token);
            var found = candidates.FirstOrDefault(c => c.Sid is null || !known.Contains(c.Sid));
            results.Add(found is not null
                ? new(m.Id, found.Status, found.Sid, found.ErrorCode, found.ErrorMessage, null)
                : m.Attempts >= D.MaxAttempts
                    ? new(m.Id, SmsStatus.Failed, null, null, $"not at {provider.Name} after {m.Attempts} attempts", null)
                    : new(m.Id, SmsStatus.Queued, null, null, null, DateTime.UtcNow));
        });
        await using (var cmd = Source.CreateCommand("""
            UPDATE sms_messages m SET
                status = r.status,   -- still our 'uncertain' claim (WHERE below): any outcome is a step forward
                twilio_sid = COALESCE(m.twilio_sid, r.sid), error_code = COALESCE(r.code, m.error_code), error_message = left(r.msg, 300),
                next_attempt_at = COALESCE(r.next_at, m.next_attempt_at), lease_until = NULL, claimed_by = NULL, updated_at = now()
            FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::timestamptz[]) AS r(id, status, sid, code, msg, next_at)
            WHERE m.id = r.id AND m.claimed_by = $7 AND m.status = 'uncertain'
            """))
        {
            AddResults(cmd, results);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        return rows.Count;
    }

    /// <summary>Rows of a claim: id, phone, folded, alert, body, segments, attempt start, attempts.</summary>
    static async Task<List<Claimed>> ReadClaimedAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<Claimed>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new(r.GetInt64(0), r.GetString(1), r.GetBoolean(2), r.IsDBNull(3) ? null : r.GetInt32(3), r.IsDBNull(4) ? null : r.GetString(4),
                r.GetInt16(5), r.GetDateTime(6), r.GetInt16(7)));
        return list;
    }

    /// <summary>Outcomes as the arrays $1..$6 of an unnest(), and this process's id as $7.</summary>
    void AddResults(NpgsqlCommand cmd, IReadOnlyCollection<Result> results)
    {
        cmd.Parameters.Add(new() { Value = results.Select(r => r.Id).ToArray() });
        cmd.Parameters.Add(new() { Value = results.Select(r => r.Status).ToArray() });
        cmd.Parameters.Add(new() { Value = results.Select(r => r.Sid).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = results.Select(r => r.Code).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        cmd.Parameters.Add(new() { Value = results.Select(r => r.Message).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = results.Select(r => r.NextAttemptAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new() { Value = _me });
    }

    async Task<HashSet<string>> KnownSidsAsync(List<string> sids, CancellationToken ct)
    {
        if (sids.Count == 0) return [];
        await using var cmd = Source.CreateCommand("SELECT twilio_sid FROM sms_messages WHERE twilio_sid = ANY($1)");
        cmd.Parameters.Add(new() { Value = sids.ToArray() });
        var known = new HashSet<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) known.Add(r.GetString(0));
        return known;
    }
}

/// <summary>Runs the dispatcher inside the API process (Sms:Dispatch:Enabled).</summary>
public sealed class SmsDispatcherService(SmsDispatcher dispatcher) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => dispatcher.RunAsync(stoppingToken), stoppingToken);
}
