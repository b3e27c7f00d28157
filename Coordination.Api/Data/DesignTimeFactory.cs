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
        o.UseNpgsql(connectionString, x => x.UseNetTopologySuite().CommandTimeout(120))
         .UseSnakeCaseNamingConvention();
}
