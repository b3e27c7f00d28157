namespace Coordination.Api.Kernel;

/// <summary>
/// The one scope rule (README "Who may do what"): the communes a user acts for. An administrator acts for every
/// commune; a commune leader for its own; a defense-area commander for the communes of its area; a province
/// operator for the communes of its province; anyone else for none. Every permission check, list filter,
/// notification audience and audit filter is derived from this query, so they cannot disagree.
/// Written in SQL on the boundary tables so the kernel needs no capability's types; it composes into the
/// caller's query as a sub-select (one round trip).
/// </summary>
public static class ActingFor
{
    public static IQueryable<string> Communes(DbContext db, UserScope? user) => user switch
    {
        { Role: Roles.Admin } =>
            db.Database.SqlQuery<string>($"SELECT code AS \"Value\" FROM communes"),
        { Role: Roles.CommuneLeader, Kind: ScopeKinds.Commune, Code: { } commune } =>
            db.Database.SqlQuery<string>($"SELECT code AS \"Value\" FROM communes WHERE code = {commune}"),
        { Role: Roles.DefenseCommander, Kind: ScopeKinds.DefenseArea } when int.TryParse(user.Code, out var area) =>
            db.Database.SqlQuery<string>($"SELECT commune_code AS \"Value\" FROM defense_area_communes WHERE defense_area_id = {area}"),
        { Role: Roles.ProvinceOperator, Kind: ScopeKinds.Province, Code: { } province } =>
            db.Database.SqlQuery<string>($"SELECT code AS \"Value\" FROM communes WHERE province_code = {province}"),
        _ => db.Database.SqlQuery<string>($"SELECT code AS \"Value\" FROM communes WHERE false"),
    };
}

/// <summary>
/// The signed-in user of this request and what they act for, injected instead of reading claims in every handler.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor http, DbContext db)
{
    UserScope? _scope;
    bool _read;

    /// <summary>The user's role and scope, or null when nobody is signed in.</summary>
    public UserScope? Scope
    {
        get
        {
            if (!_read) { _scope = http.HttpContext is { } c ? UserScope.From(c.User) : null; _read = true; }
            return _scope;
        }
    }

    /// <summary>The user's role and scope on an endpoint that requires sign-in.</summary>
    public UserScope Required => Scope ?? throw new InvalidOperationException("This endpoint requires an authenticated user.");

    public bool IsAdmin => Scope?.IsAdmin == true;

    /// <summary>The communes this user acts for, as a composable query (see <see cref="ActingFor"/>).</summary>
    public IQueryable<string> Communes => ActingFor.Communes(db, Scope);

    public Task<bool> ActsForAsync(string communeCode, CancellationToken ct = default) =>
        Scope is null ? Task.FromResult(false) : Communes.AnyAsync(c => c == communeCode, ct);

    /// <summary>Of the given communes, those the user may not act for (empty: all allowed). One query.</summary>
    public async Task<List<string>> OutsideAsync(IReadOnlyCollection<string> codes, CancellationToken ct = default)
    {
        if (codes.Count == 0) return [];
        var list = codes.ToList();
        var ok = (await Communes.Where(c => list.Contains(c)).ToListAsync(ct)).ToHashSet();
        return codes.Where(c => !ok.Contains(c)).ToList();
    }
}
