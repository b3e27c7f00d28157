namespace Coordination.Api.MutualAid;

/// <summary>
/// A pledge request left unanswered for <see cref="AidOptions.EscalateAfterMinutes"/> escalates: the requesting
/// commune and the command above it are told, with the next suggested donor. Each ask escalates once (the
/// conditional UPDATE claims it), so two instances or a restart never tell twice.
/// </summary>
public sealed class PledgeEscalation(IServiceScopeFactory scopes, TimeProvider clock, IOptions<AidOptions> options, ILogger<PledgeEscalation> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, options.Value.EscalationScanSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var n = await EscalateDueAsync(scope.ServiceProvider.GetRequiredService<CoordinationDb>(), scope.ServiceProvider.GetRequiredService<AuditLog>(),
                    clock.GetUtcNow().UtcDateTime, TimeSpan.FromMinutes(options.Value.EscalateAfterMinutes), stoppingToken);
                if (n > 0) log.LogInformation("Escalated {Count} unanswered pledge request(s)", n);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Escalation scan failed; will retry");
            }
            try { await Task.Delay(every, clock, stoppingToken); } catch (OperationCanceledException) { }
        }
    }

    public static async Task<int> EscalateDueAsync(CoordinationDb db, AuditLog audit, DateTime now, TimeSpan after, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var conn = (NpgsqlConnection)db.Database.GetDbConnection();
            var due = new List<(int Pledge, int Line, int Request, string Requester, string RequesterName, string DonorName, string TypeVi, string TypeEn)>();
            await using (var cmd = new NpgsqlCommand("""
                UPDATE pledges p SET escalated_at = @now
                FROM aid_request_lines l, aid_requests r, communes rc, communes dc, resource_types t
                WHERE p.status = ANY(@from) AND p.escalated_at IS NULL AND p.created_at <= @due
                  AND l.id = p.request_line_id AND r.id = l.request_id AND rc.code = r.commune_code AND dc.code = p.donor_code AND t.code = l.resource_type
                RETURNING p.id, l.id, r.id, r.commune_code, rc.name, dc.name, t.name_vi, t.name_en
                """, conn))
            {
                cmd.Parameters.AddWithValue("now", now);
                cmd.Parameters.AddWithValue("due", now - after);
                cmd.Parameters.AddWithValue("from", PledgeMachine.AllowedFrom(PledgeMove.Escalate).Wire());
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                    due.Add((r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7)));
            }
            var minutes = (int)after.TotalMinutes;
            foreach (var d in due)
            {
                var match = await Matching.MatchLineAsync(conn, d.Request, d.Line, now, includeAffected: false, ct);
                var next = match?.Suggestions.FirstOrDefault(s => s.SuggestedQuantity > 0) ?? (match?.Suggestions is [var first, ..] ? first : null);
                var text = NotificationTexts.PledgeEscalated(d.DonorName, d.TypeVi, d.TypeEn, minutes, d.Request, next);
                Notify.Add(db, now, d.Requester, Audience.Commune, "pledge.escalated", d.Request, d.Pledge, text);
                Notify.Add(db, now, d.Requester, Audience.Command, "pledge.escalated", d.Request, d.Pledge, text);
                audit.Add(AidAudit.PledgeEscalated, "pledge", d.Pledge.ToString(), null, new { d.Request, Next = next?.DonorCode }, communeCode: d.Requester, actorName: "system");
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return due.Count;
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }
}
