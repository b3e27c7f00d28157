namespace Coordination.Api.MutualAid;

public sealed record NotificationDto(long Id, string CommuneCode, string Audience, string Kind, int? RequestId, int? PledgeId, string TextVi, string TextEn, DateTime CreatedAt);

public static class NotificationsApi
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    /// <summary>
    /// What the signed-in user must see: notifications of the communes they act for (a leader: its own commune's,
    /// not those addressed to the command above it). A list (after=ID) and a live stream of server-sent events
    /// (resumes after Last-Event-ID). The stream polls the table once a second: rows are the truth, so nothing is
    /// missed across restarts or instances.
    /// </summary>
    public static void MapNotifications(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications").WithTags("Mutual aid").RequireAuthorization(Policies.Authenticated);
        group.MapGet("/", async (long? after, CoordinationDb db, CurrentUser current, CancellationToken ct) =>
            TypedResults.Ok((await Visible(db, current, after ?? 0).OrderByDescending(n => n.Id).Take(100).Select(Dto).ToListAsync(ct)).OrderBy(n => n.Id).ToList()))
            .WithSummary("Latest notifications for the communes you act for (after=ID for newer ones).");
        group.MapGet("/stream", Stream).WithSummary("Server-sent events: one 'notification' event per row, id = notification id.");
    }

    static readonly System.Linq.Expressions.Expression<Func<Notification, NotificationDto>> Dto =
        n => new NotificationDto(n.Id, n.CommuneCode, n.Audience, n.Kind, n.RequestId, n.PledgeId, n.TextVi, n.TextEn, n.CreatedAt);

    /// <summary>
    /// The notifications of the communes the user acts for (<see cref="CurrentUser.Communes"/>, the one scope rule);
    /// a commune leader sees only those addressed to the commune, not to the command above it. Filter on the
    /// entity; project afterwards.
    /// </summary>
    public static IQueryable<Notification> Visible(CoordinationDb db, CurrentUser current, long after)
    {
        var communes = current.Communes;
        var q = db.Notifications.Where(n => n.Id > after && communes.Contains(n.CommuneCode));
        if (current.Scope?.Role == Roles.CommuneLeader) q = q.Where(n => n.Audience == Audience.Commune);
        return q;
    }

    static async Task Stream(HttpContext http, IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, CancellationToken requestAborted)
    {
        // A stream ends when its client goes away or when the host stops (before it disposes the services the loop uses).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        var ct = stop.Token;
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        long after = long.TryParse(http.Request.Headers["Last-Event-ID"], out var last) ? last : 0;
        if (after == 0)
        {
            // A new stream starts from now: the list endpoint serves the backlog.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CoordinationDb>();
            after = await db.Notifications.MaxAsync(n => (long?)n.Id, ct) ?? 0;
        }
        await http.Response.WriteAsync($": connected\nretry: 3000\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
        var sinceBeat = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<CoordinationDb>();
                    // The scope's CurrentUser is this request's user (the HTTP context flows), over the scope's context.
                    foreach (var n in await Visible(db, scope.ServiceProvider.GetRequiredService<CurrentUser>(), after).OrderBy(n => n.Id).Take(200).Select(Dto).ToListAsync(ct))
                    {
                        await http.Response.WriteAsync($"id: {n.Id}\nevent: notification\ndata: {JsonSerializer.Serialize(n, Json)}\n\n", ct);
                        after = n.Id;
                        sinceBeat = 0;
                    }
                }
                if (++sinceBeat >= 15) { await http.Response.WriteAsync(": keep-alive\n\n", ct); sinceBeat = 0; }
                await http.Response.Body.FlushAsync(ct);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
        catch (OperationCanceledException) { }   // the client went away, or the host is stopping
    }
}
