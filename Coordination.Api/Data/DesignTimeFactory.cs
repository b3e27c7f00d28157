using Microsoft.EntityFrameworkCore.Design;

namespace Coordination.Api.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the app or a database.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CoordinationDb>
{
    public CoordinationDb CreateDbContext(string[] args) => CoordinationDb.Create("Host=localhost;Database=design");
}

public static class DbOptionsExtensions
{
    public static DbContextOptionsBuilder UseCoordination(this DbContextOptionsBuilder o, string connectionString) =>
        o.UseNpgsql(WithStatementCache(connectionString), x => x.UseNetTopologySuite().CommandTimeout(120))
         .UseSnakeCaseNamingConvention();

    /// <summary>
    /// EF sends the same few dozen statements again and again; PostgreSQL parsing and planning each one every time cost
    /// a fifth of the inbound SMS path's CPU (bench --sms-inbound). Npgsql prepares a statement on a connection once it
    /// has been seen twice and keeps the 100 most used; a connection string that sets Max Auto Prepare itself wins.
    /// </summary>
    public static string WithStatementCache(string connectionString)
    {
        // Every DbContext asks (one per request): remember the last answer rather than parse the string each time.
        if (_last is { } last && ReferenceEquals(last.From, connectionString)) return last.To;
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        if (!b.ContainsKey("Max Auto Prepare"))
        {
            b.MaxAutoPrepare = 100;
            b.AutoPrepareMinUsages = 2;
        }
        var rewritten = new Rewritten(connectionString, b.ConnectionString);
        _last = rewritten;
        return rewritten.To;
    }

    sealed record Rewritten(string From, string To);
    static Rewritten? _last;
}
