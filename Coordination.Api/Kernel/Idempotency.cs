using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordination.Api.Kernel;

/// <summary>
/// A write that was answered, kept by the key its client gave (<c>Idempotency-Key</c>): the same key again gets the
/// same answer without doing the write twice — a phone that replays its offline queue, or a double tap.
/// </summary>
public sealed class IdempotentResponse
{
    /// <summary>Who sent it (the user's id): keys are the client's own, so two users may use the same one.</summary>
    public required string Principal { get; set; }
    public required string Key { get; set; }
    /// <summary>SHA-256 of method, path, query and body: the same key with another request is refused (422).</summary>
    public required byte[] RequestHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public int StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public byte[] Body { get; set; } = [];
}

/// <summary>
/// Honours <c>Idempotency-Key</c> on every write of a signed-in user (POST, PUT, PATCH, DELETE under /api).
/// The key's row is inserted in the same transaction as the write and holds the answer, so the write and the record
/// that it was done commit together: after a crash either both are there (a replay gets the stored answer) or
/// neither is (a replay does the write). A second request with the key while the first runs waits on the row and
/// then gets the first one's answer. Refusals (4xx) are kept too, so a replay says the same thing; the write's own
/// changes are rolled back first. Server errors are not kept: the client may try again with the same key.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";
    /// <summary>How long an answer is kept (at least 24 h is promised; the purge runs hourly).</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromHours(48);

    public async Task InvokeAsync(HttpContext http, DbContext db, TimeProvider clock)
    {
        var request = http.Request;
        if (!request.Headers.TryGetValue(Header, out var values) || !IsWrite(request.Method)
            || !request.Path.StartsWithSegments("/api") || http.User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } principal)
        {
            await next(http);
            return;
        }
        var key = values.ToString();
        if (key.Length is 0 or > 200 || key.Any(c => c is < '!' or > '~'))
        {
            await Problems.BadParameter(Header, "Idempotency-Key must be 1 to 200 visible ASCII characters.", CommonProblems.FieldMalformed)
                .ExecuteAsync(http);
            return;
        }

        // The server's own body limit (30 MB) would cut an upload short while it is hashed, before the endpoint
        // lifts it for its file (Uploads): hashing reads up to MaxHashedBytes, so that much may come.
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit && limit.MaxRequestBodySize is { } bodyLimit && bodyLimit <= MaxHashedBytes)
            limit.MaxRequestBodySize = MaxHashedBytes + 1;
        request.EnableBuffering();
        if (await HashAsync(request, http.RequestAborted) is not { } hash)
        {
            // Larger than any write we accept: the endpoint refuses it (413) without the key's help, and the body is
            // not buffered to its end first.
            await next(http);
            return;
        }
        // A holder that fails with a server error keeps nothing; then this request does the write itself.
        for (var attempt = 0; attempt < 3; attempt++)
            if (await OnceAsync(http, db, principal, key, hash, clock.GetUtcNow().UtcDateTime)) return;
        await Problems.Status(StatusCodes.Status503ServiceUnavailable, "Try again.", "The write under this key kept failing; send it again.",
            CommonProblems.ServerError).ExecuteAsync(http);
    }

    /// <summary>Does the write under the key, or answers what the key already holds; false when neither could be done.</summary>
    async Task<bool> OnceAsync(HttpContext http, DbContext db, string principal, string key, byte[] hash, DateTime now)
    {
        var ct = http.RequestAborted;

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Waits while another request holds the key uncommitted; then either owns it or finds its answer.
            var owned = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO idempotent_responses (principal, key, request_hash, created_at, status_code, body)
                VALUES ({principal}, {key}, {hash}, {now}, 0, '\x'::bytea) ON CONFLICT DO NOTHING
                """, ct) == 1;
            if (owned)
            {
                var original = http.Response.Body;
                using var buffer = new MemoryStream();
                http.Response.Body = buffer;
                try
                {
                    await next(http);
                }
                catch
                {
                    http.Response.Body = original;
                    throw;   // rolled back by the dispose: nothing kept, the client may try again
                }
                http.Response.Body = original;
                var status = http.Response.StatusCode;
                var answer = new IdempotentResponse
                {
                    Principal = principal, Key = key, RequestHash = hash, CreatedAt = now, StatusCode = status,
                    ContentType = http.Response.ContentType, Location = http.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null,
                    Body = buffer.ToArray(),
                };
                if (status < 400)
                {
                    await db.SaveChangesAsync(ct);   // what a joined unit of work left for the outer one to save
                    await StoreAsync(db, answer, ct);
                    await tx.CommitAsync(ct);
                }
                else
                {
                    await tx.RollbackAsync(ct);
                    db.ChangeTracker.Clear();
                    if (status < 500 && status != StatusCodes.Status429TooManyRequests)
                        await KeepRefusalAsync(db, answer, ct);
                }
                await original.WriteAsync(answer.Body, ct);
                return true;
            }
            await tx.RollbackAsync(ct);
        }

        var stored = await db.Set<IdempotentResponse>().AsNoTracking()
            .SingleOrDefaultAsync(r => r.Principal == principal && r.Key == key, ct);
        if (stored is null) return false;   // the holder rolled back (a server error) between our insert and our read
        if (!stored.RequestHash.AsSpan().SequenceEqual(hash))
        {
            await Problems.Status(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused.",
                "This Idempotency-Key was used for a different request; use a new key for a new write.",
                CommonProblems.IdempotencyKeyReused).ExecuteAsync(http);
            return true;
        }
        http.Response.StatusCode = stored.StatusCode;
        if (stored.ContentType is not null) http.Response.ContentType = stored.ContentType;
        if (stored.Location is not null) http.Response.Headers.Location = stored.Location;
        http.Response.Headers[ReplayedHeader] = "true";
        http.Response.ContentLength = stored.Body.Length;
        await http.Response.Body.WriteAsync(stored.Body, ct);
        return true;
    }

    static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    /// <summary>Bodies hashed at most (above every upload limit): a larger one is not a write the key can keep.</summary>
    public const long MaxHashedBytes = 64L * 1024 * 1024;

    /// <summary>SHA-256 of method, path, query and body, the body rewound; null when the body exceeds <see cref="MaxHashedBytes"/>.</summary>
    static async Task<byte[]?> HashAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxHashedBytes) return null;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if ((total += read) > MaxHashedBytes) { request.Body.Position = 0; return null; }
            sha.AppendData(chunk, 0, read);
        }
        request.Body.Position = 0;
        return sha.GetHashAndReset();
    }

    static async Task StoreAsync(DbContext db, IdempotentResponse a, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"""
            UPDATE idempotent_responses SET status_code = {a.StatusCode}, content_type = {a.ContentType}, location = {a.Location}, body = {a.Body}
            WHERE principal = {a.Principal} AND key = {a.Key}
            """, ct);

    static async Task KeepRefusalAsync(DbContext db, IdempotentResponse a, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO idempotent_responses (principal, key, request_hash, created_at, status_code, content_type, location, body)
            VALUES ({a.Principal}, {a.Key}, {a.RequestHash}, {a.CreatedAt}, {a.StatusCode}, {a.ContentType}, {a.Location}, {a.Body})
            ON CONFLICT DO NOTHING
            """, ct);
}

/// <summary>Forgets kept answers older than <see cref="IdempotencyMiddleware.Kept"/>, hourly.</summary>
public sealed class IdempotencyPurge(IServiceScopeFactory scopes, TimeProvider clock, ILogger<IdempotencyPurge> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await PurgeAsync(scope.ServiceProvider.GetRequiredService<DbContext>(), clock.GetUtcNow().UtcDateTime, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Purging idempotent responses failed; trying again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Deletes the answers kept longer than <see cref="IdempotencyMiddleware.Kept"/>; returns how many.</summary>
    public static Task<int> PurgeAsync(DbContext db, DateTime now, CancellationToken ct = default)
    {
        var before = now - IdempotencyMiddleware.Kept;
        return db.Set<IdempotentResponse>().Where(r => r.CreatedAt < before).ExecuteDeleteAsync(ct);
    }
}
