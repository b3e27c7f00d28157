namespace Coordination.Api.Alerts.Delivery;

/// <summary>
/// Re-broadcasts (Decree 66/2021: directives repeat at least every 3 hours, hourly above risk level 3) and ends
/// alerts at their expiry. Each due alert is locked (SKIP LOCKED, so several processes share the work) and its new
/// round fanned out in the same transaction that moves its next round forward.
/// </summary>
public sealed class AlertScheduler(IServiceScopeFactory scopes, TimeProvider clock, ILogger<AlertScheduler> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ct = stoppingToken;
        while (!ct.IsCancellationRequested)
        {
            try { await RunOnceAsync(ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception e) when (e is Npgsql.NpgsqlException or DbUpdateException or InvalidOperationException)
            {
                log.LogWarning(e, "alert scheduler round failed");
            }
            try { await Task.Delay(Interval, clock, ct); } catch (OperationCanceledException) { break; }
        }
    }

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoordinationDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        // Expired: no more rounds, and what is still queued will not go out (the dispatcher also checks at claim).
        await db.Alerts.Where(a => a.State == AlertState.Active && a.Expires <= now)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.State, AlertState.Ended).SetProperty(a => a.EndedReason, "expired")
                .SetProperty(a => a.EndedAt, now).SetProperty(a => a.NextRoundAt, (DateTime?)null), ct);
        var rounds = 0;
        for (var i = 0; i < 20; i++)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var alert = await db.Alerts.FromSql($"""
                SELECT * FROM alerts WHERE state = 'active' AND next_round_at <= {now} ORDER BY next_round_at LIMIT 1 FOR UPDATE SKIP LOCKED
                """).FirstOrDefaultAsync(ct);
            if (alert is null) break;
            var round = await Outbox.AddRoundAsync(db, alert, now, ct);
            alert.NextRoundAt = alert.RepeatEveryMinutes is { } every && alert.NextRoundAt!.Value.AddMinutes(every) < alert.Expires
                ? Next(alert.NextRoundAt.Value, every, now) : null;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            log.LogInformation("alert {Id}: round {Number} queued for {Recipients} recipients", alert.Id, round.Number, round.Recipients);
            rounds++;
        }
        return rounds;
    }

    /// <summary>The next slot on the alert's cadence after now (a scheduler that was down does not fire a burst of missed rounds).</summary>
    static DateTime Next(DateTime last, int everyMinutes, DateTime now)
    {
        var next = last.AddMinutes(everyMinutes);
        while (next <= now) next = next.AddMinutes(everyMinutes);
        return next;
    }
}
