using Coordination.Api.Alerts.Sms;

namespace Coordination.Api.Alerts.Delivery;

/// <summary>
/// Rounds and their fan-out. One statement inserts one outbox row per distinct recipient of the alert's communes
/// (opted-out numbers excluded, Test/Exercise limited to the test group), inside the caller's transaction, so an
/// accepted alert and its messages commit together or not at all. The unique (round, phone) index makes a repeated
/// fan-out a no-op rather than a double send.
/// </summary>
public static class Outbox
{
    /// <summary>Recipients of an alert's communes, as SQL over @alert (shared by the fan-out and the preview).</summary>
    const string Recipients = """
        FROM subscribers s
        WHERE NOT s.opted_out
          AND (NOT @test_only OR s.test_group)
          AND EXISTS (SELECT 1 FROM subscriber_communes sc JOIN alert_communes ac ON ac.commune_code = sc.commune_code
                      WHERE sc.subscriber_id = s.id AND ac.alert_id = @alert)
        """;

    public static bool TestOnly(string capStatus) => capStatus != CapStatus.Actual;

    /// <summary>
    /// One message that is not an alert's (a reply, a notification), added to the caller's unit of work: saved by the
    /// caller's SaveChanges, inside the caller's transaction. Sent as written (the caller folds it when the reader
    /// wrote without diacritics).
    /// </summary>
    public static SmsMessage EnqueueText(CoordinationDb db, string phone, string text, string kind, DateTime now)
    {
        var m = new SmsMessage
        {
            Kind = kind, Phone = phone, Body = text, Folded = false, Segments = (short)SmsText.Count(text).Segments,
            Status = SmsStatus.Queued, NextAttemptAt = now, UpdatedAt = now,
        };
        db.SmsMessages.Add(m);
        return m;
    }

    /// <summary>Creates the next round of an alert and its outbox rows; returns the round.</summary>
    public static async Task<AlertRound> AddRoundAsync(CoordinationDb db, Alert alert, DateTime now, CancellationToken ct)
    {
        var number = 1 + (await db.AlertRounds.Where(r => r.AlertId == alert.Id).MaxAsync(r => (int?)r.Number, ct) ?? 0);
        var round = new AlertRound { AlertId = alert.Id, Number = number, CreatedAt = now };
        db.AlertRounds.Add(round);
        await db.SaveChangesAsync(ct);
        var segments = SmsText.Count(alert.Body).Segments;
        var segmentsFolded = SmsText.Count(alert.BodyFolded).Segments;
        var inserted = await db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO sms_messages (round_id, alert_id, phone, folded, segments, status, attempts, next_attempt_at, updated_at)
            SELECT @round, @alert, s.phone, (@fold OR s.prefers_folded),
                   CASE WHEN @fold OR s.prefers_folded THEN @seg_folded ELSE @seg END, 'queued', 0, @now, @now
            {Recipients}
            ON CONFLICT (round_id, phone) DO NOTHING
            """,
            [new NpgsqlParameter("round", round.Id), new NpgsqlParameter("alert", alert.Id), new NpgsqlParameter("fold", alert.Fold),
             new NpgsqlParameter("seg_folded", (short)segmentsFolded), new NpgsqlParameter("seg", (short)segments),
             new NpgsqlParameter("now", now), new NpgsqlParameter("test_only", TestOnly(alert.Status))], ct);
        round.Recipients = inserted;
        await db.SaveChangesAsync(ct);
        return round;
    }

    /// <summary>Recipients, those sent không dấu, and of each how many are routed to the local gateways (their number starts with a gateway prefix).</summary>
    public sealed record RecipientCount(int Total, int Folded, int Gateway = 0, int GatewayFolded = 0);

    /// <summary>How many would receive it now (for the preview), with the same rule as the fan-out; <paramref name="gatewayPrefixes"/> splits them by route.</summary>
    public static async Task<RecipientCount> CountAsync(NpgsqlConnection connection, IReadOnlyCollection<string> communes, bool testOnly, bool fold, CancellationToken ct,
        string[]? gatewayPrefixes = null)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*), count(*) FILTER (WHERE @fold OR s.prefers_folded),
                   count(*) FILTER (WHERE g.routed), count(*) FILTER (WHERE g.routed AND (@fold OR s.prefers_folded))
            FROM subscribers s
            CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM unnest(@prefixes::text[]) p WHERE starts_with(s.phone, p)) AS routed) g
            WHERE NOT s.opted_out AND (NOT @test_only OR s.test_group)
              AND EXISTS (SELECT 1 FROM subscriber_communes sc WHERE sc.subscriber_id = s.id AND sc.commune_code = ANY(@codes))
            """, connection);
        cmd.Parameters.AddWithValue("fold", fold);
        cmd.Parameters.AddWithValue("test_only", testOnly);
        cmd.Parameters.AddWithValue("codes", communes.ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("prefixes", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = gatewayPrefixes ?? [] });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new((int)r.GetInt64(0), (int)r.GetInt64(1), (int)r.GetInt64(2), (int)r.GetInt64(3));
    }

    /// <summary>Queued messages of an alert that will not go out any more (cancelled, superseded).</summary>
    public static Task<int> WithdrawQueuedAsync(CoordinationDb db, int alertId, DateTime now, CancellationToken ct) =>
        db.SmsMessages.Where(m => m.AlertId == alertId && m.Status == SmsStatus.Queued)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, SmsStatus.Cancelled).SetProperty(m => m.UpdatedAt, now), ct);
}

/// <summary>The outbox as the other capabilities see it (<see cref="ISmsOutbox"/>): rows join the scope's unit of work.</summary>
public sealed class SmsOutbox(CoordinationDb db) : ISmsOutbox
{
    public void Enqueue(string phone, string text, string kind, DateTime now, bool fold = false) =>
        Outbox.EnqueueText(db, phone, fold ? SmsText.Fold(text) : text, kind, now);
}
