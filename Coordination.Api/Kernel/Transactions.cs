namespace Coordination.Api.Kernel;

/// <summary>
/// One unit of work per write: begin, run the handler's work, save and commit — unless the work answers a
/// refusal (any 4xx/5xx result), which rolls everything back, so a refused request changes nothing.
/// Inside an already open transaction (a write under an Idempotency-Key) the work joins it: it saves what it did
/// unless it refused, and the owner of the transaction commits or rolls back.
/// </summary>
public static class Transactions
{
    public static async Task<T> InTransactionAsync<T>(this DbContext db, Func<Task<T>> work, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            var joined = await work();
            if (!IsRefusal(joined)) await db.SaveChangesAsync(ct);
            return joined;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await work();
        if (IsRefusal(result))
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return result;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }

    public static Task InTransactionAsync(this DbContext db, Func<Task> work, CancellationToken ct) =>
        db.InTransactionAsync(async () => { await work(); return true; }, ct);

    /// <summary>
    /// Set-based SQL on EF's own connection, in one transaction: the work gets the open connection (for COPY,
    /// unnest arrays, PostGIS), then <paramref name="after"/> may add tracked rows (the audit of what was done),
    /// which are saved in the same transaction. An exception rolls everything back; the connection is closed either way.
    /// </summary>
    public static async Task<T> InRawTransactionAsync<T>(this DbContext db, Func<NpgsqlConnection, Task<T>> work, CancellationToken ct,
        Action<T>? after = null)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            var joined = await work((NpgsqlConnection)db.Database.GetDbConnection());
            after?.Invoke(joined);
            await db.SaveChangesAsync(ct);
            return joined;
        }
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var result = await work((NpgsqlConnection)db.Database.GetDbConnection());
            after?.Invoke(result);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A result that answers an error (typed unions are unwrapped).</summary>
    public static bool IsRefusal(object? result) => result switch
    {
        INestedHttpResult nested => IsRefusal(nested.Result),
        IStatusCodeHttpResult { StatusCode: >= 400 } => true,
        _ => false,
    };
}
