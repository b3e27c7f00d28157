namespace Coordination.Api.Kernel;

/// <summary>
/// Where the database is, for work that opens its own connections outside a request (the SMS dispatcher's leases).
/// The host decides (an external PostGIS or the embedded cluster); capabilities only read the answer.
/// </summary>
public interface IDatabaseLocation
{
    string ConnectionString { get; }
}
