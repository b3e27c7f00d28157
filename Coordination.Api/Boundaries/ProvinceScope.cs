namespace Coordination.Api.Boundaries;

/// <summary>
/// Provinces a user acts for as a whole, derived from the one scope rule (<see cref="CurrentUser.Communes"/>): those of
/// which every commune is acted for (a province operator's own; every province for an administrator). A province with
/// no commune loaded is acted for by nobody.
/// </summary>
public static class ProvinceScope
{
    public static IQueryable<string> ProvincesActedFor(this CurrentUser current, CoordinationDb db)
    {
        var communes = current.Communes;
        return db.Provinces.Where(p => p.Communes.Any() && p.Communes.All(c => communes.Contains(c.Code))).Select(p => p.Code);
    }

    public static Task<bool> ActsForProvinceAsync(this CurrentUser current, CoordinationDb db, string province, CancellationToken ct) =>
        current.Scope is null ? Task.FromResult(false) : current.ProvincesActedFor(db).AnyAsync(p => p == province, ct);
}
