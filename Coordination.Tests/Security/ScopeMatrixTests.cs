using Coordination.Api.Boundaries;
using Coordination.Api.Identity;

namespace Coordination.Tests.Security;

/// <summary>
/// Role × endpoint group against the running app with real sign-ins (demo users of Nghệ An). Every deny is
/// 401 (anonymous) or 403 (signed in, out of scope) and leaves the data as it was.
/// </summary>
[Collection("postgis")]
public class ScopeMatrixTests(PostgisFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    const string ChauKhe = "17248";
    /// <summary>Xuân Bình, Thanh Hóa: across the province border from Nghệ An.</summary>
    const string OtherProvince = "16177";
    Dictionary<string, Session> _sessions = null!;
    string _outsideArea = null!;

    protected override async Task ArrangeAsync()
    {
        await using var seed = Db();
        await new Coordination.Api.Boundaries.Import.GeoImporter(seed, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Coordination.Api.Boundaries.Import.GeoImporter>.Instance)
            .ImportCommunesAsync(GeoJsonFiles.Write(GeoJsonFiles.Collection(GeoJsonFiles.NationwideFeature(OtherProvince))));
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _sessions = await SignInAllAsync(Actors);
        // A Nghệ An commune outside the commander's (sample) area and not Châu Khê.
        await using var db = Db();
        var area = await db.DefenseAreaCommunes.Where(m => m.CommuneCode == ChauKhe).Select(m => m.DefenseAreaId).SingleAsync();
        _outsideArea = await db.Communes.Where(c => c.ProvinceCode == "40" && !db.DefenseAreaCommunes.Any(m => m.DefenseAreaId == area && m.CommuneCode == c.Code))
            .OrderBy(c => c.Code).Select(c => c.Code).FirstAsync();
    }

    Session As(string? actor) => _sessions[actor ?? "anonymous"];

    Task<string> Snapshot() => QueryTextAsync("""
        SELECT concat_ws('|', (SELECT count(*) FROM "AspNetUsers"),
            (SELECT md5(string_agg(user_name || role || coalesce(scope_code, '') || alert_sender::text, ',' ORDER BY user_name)) FROM "AspNetUsers"),
            (SELECT md5(coalesce(string_agg(commune_code || coalesce(duty_phone, '') || coalesce(duty_officer, ''), ',' ORDER BY commune_code), '')) FROM commune_contacts)) AS "Value"
        """);

    async Task Expect(string? actor, HttpMethod method, string url, HttpStatusCode expected, object? body = null)
    {
        var before = await Snapshot();
        var response = await As(actor).SendAsync(method, url, body);
        output.WriteLine($"{actor ?? "anonymous",-16} {method,-4} {url,-40} {(int)response.StatusCode}");
        Assert.True(expected == response.StatusCode, $"{actor ?? "anonymous"} {method} {url}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if ((int)expected >= 400)
            Assert.Equal(before, await Snapshot());   // a deny changes nothing
    }

    public static TheoryData<string> PublicReads() => new()
    {
        "/api/provinces", "/api/communes?q=chau khe", $"/api/communes/{ChauKhe}", $"/api/communes/{ChauKhe}/neighbours?rings=2",
        "/api/adjacency?province=40", "/api/defense-areas?province=40", "/tiles/communes/8/202/114.mvt",
        $"/api/communes/{ChauKhe}/contact", "/openapi/v1.json", "/health",
        "/api/offices?province=40&floodProne=true", "/api/hazard-layers", "/api/hazard-zones?province=40", "/api/flood-events?active=true",
    };

    [Theory]
    [MemberData(nameof(PublicReads))]
    public async Task Public_reads_are_open_to_everyone(string url)
    {
        foreach (var actor in Actors) await Expect(actor, HttpMethod.Get, url, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Commune_contact_is_written_only_by_those_who_act_for_the_commune()
    {
        var contact = new { dutyPhone = "0238 3873 123", dutyOfficer = "Lô Văn Tâm", note = "Trực 24/24 mùa mưa lũ" };
        // Châu Khê: its leader, its defense-area commander, its province operator, an administrator.
        var chauKhe = new Dictionary<string, HttpStatusCode>
        {
            ["anonymous"] = HttpStatusCode.Unauthorized, ["chaukhe.leader"] = HttpStatusCode.OK, ["concuong.leader"] = HttpStatusCode.Forbidden,
            ["kv5.commander"] = HttpStatusCode.OK, ["nghean.operator"] = HttpStatusCode.OK, ["admin.demo"] = HttpStatusCode.OK,
        };
        foreach (var actor in Actors)
            await Expect(actor, HttpMethod.Put, $"/api/communes/{ChauKhe}/contact", chauKhe[actor ?? "anonymous"], contact);

        // A commune of the same province outside the commander's area: neither the Châu Khê leader nor the commander.
        var outside = new Dictionary<string, HttpStatusCode>
        {
            ["anonymous"] = HttpStatusCode.Unauthorized, ["chaukhe.leader"] = HttpStatusCode.Forbidden, ["concuong.leader"] = HttpStatusCode.Forbidden,
            ["kv5.commander"] = HttpStatusCode.Forbidden, ["nghean.operator"] = HttpStatusCode.OK, ["admin.demo"] = HttpStatusCode.OK,
        };
        foreach (var actor in Actors)
        {
            if (actor == "concuong.leader" && _outsideArea == "17254") continue;   // its own commune
            await Expect(actor, HttpMethod.Put, $"/api/communes/{_outsideArea}/contact", outside[actor ?? "anonymous"], contact);
        }

        // Across the province border: only an administrator (the Nghệ An operator is scoped to its province).
        foreach (var actor in Actors)
        {
            var expected = actor switch { null => HttpStatusCode.Unauthorized, "admin.demo" => HttpStatusCode.OK, _ => HttpStatusCode.Forbidden };
            await Expect(actor, HttpMethod.Put, $"/api/communes/{OtherProvince}/contact", expected, contact);
        }
    }

    [Fact]
    public async Task Defense_areas_are_edited_by_the_province_operator_and_administrators()
    {
        int areaId;
        List<string> members;
        await using (var db = Db())
        {
            areaId = await db.DefenseAreaCommunes.Where(m => m.CommuneCode == ChauKhe).Select(m => m.DefenseAreaId).SingleAsync();
            members = await db.DefenseAreaCommunes.Where(m => m.DefenseAreaId == areaId).Select(m => m.CommuneCode).OrderBy(c => c).ToListAsync();
        }
        var renamed = new { name = "Khu vực 3 – Quỳ Châu", communes = members };
        foreach (var actor in Actors)
        {
            var expected = actor switch
            {
                null => HttpStatusCode.Unauthorized,
                "nghean.operator" or "admin.demo" => HttpStatusCode.OK,
                _ => HttpStatusCode.Forbidden,   // leaders, and the commander of that very area
            };
            await ExpectArea(actor, HttpMethod.Put, $"/api/defense-areas/{areaId}", expected, renamed);
        }
        // A commune of another province, or one already in another area, is refused and nothing changes.
        await ExpectArea("nghean.operator", HttpMethod.Put, $"/api/defense-areas/{areaId}", HttpStatusCode.BadRequest,
            new { name = "X", communes = members.Append(OtherProvince).ToList() });
        await ExpectArea("nghean.operator", HttpMethod.Put, $"/api/defense-areas/{areaId}", HttpStatusCode.BadRequest,
            new { name = "X", communes = members.Append(_outsideArea).ToList() });
        await ExpectArea("nghean.operator", HttpMethod.Post, "/api/defense-areas", HttpStatusCode.Forbidden,
            new { name = "Y", provinceCode = "38", communes = new[] { OtherProvince } });

        var area = await As(null).GetAsync<DefenseAreaDto>($"/api/defense-areas/{areaId}");
        Assert.Equal("Khu vực 3 – Quỳ Châu", area.Name);
        Assert.False(area.IsSample);
        await using var check = Db();
        Assert.True(await check.AuditEvents.AnyAsync(e => e.Action == "defense_area.changed" && e.EntityId == areaId.ToString() && e.ActorName == "nghean.operator"));
    }

    async Task<string> AreasSnapshot()
    {
        await using var db = Db();
        return string.Join(";", await db.DefenseAreas.OrderBy(d => d.Id)
            .Select(d => d.Name + ":" + string.Join(",", d.Communes.OrderBy(c => c.CommuneCode).Select(c => c.CommuneCode))).ToListAsync());
    }

    async Task ExpectArea(string? actor, HttpMethod method, string url, HttpStatusCode expected, object body)
    {
        var before = await AreasSnapshot();
        var response = await As(actor).SendAsync(method, url, body);
        Assert.True(expected == response.StatusCode, $"{actor ?? "anonymous"} {method} {url}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if ((int)expected >= 400) Assert.Equal(before, await AreasSnapshot());
    }

    [Fact]
    public async Task Users_are_managed_by_administrators_only()
    {
        var newUser = new { userName = "thanhchuong.leader", displayName = "Chủ tịch UBND xã Thanh Chương", role = "commune_leader", scopeKind = "commune", scopeCode = "17254", alertSender = false };
        foreach (var actor in Actors)
        {
            var expected = actor switch { null => HttpStatusCode.Unauthorized, "admin.demo" => HttpStatusCode.OK, _ => HttpStatusCode.Forbidden };
            await Expect(actor, HttpMethod.Get, "/api/admin/users", expected);
            if (actor != "admin.demo") await Expect(actor, HttpMethod.Post, "/api/admin/users", expected, newUser);
        }
        await Expect("admin.demo", HttpMethod.Post, "/api/admin/users", HttpStatusCode.Created, newUser);
        // Role and scope must fit: a leader needs a commune; only operators and commanders may send alerts.
        await Expect("admin.demo", HttpMethod.Post, "/api/admin/users", HttpStatusCode.BadRequest,
            new { userName = "x1", displayName = "X", role = "commune_leader", scopeKind = "province", scopeCode = "40", alertSender = false });
        await Expect("admin.demo", HttpMethod.Post, "/api/admin/users", HttpStatusCode.BadRequest,
            new { userName = "x2", displayName = "X", role = "commune_leader", scopeKind = "commune", scopeCode = ChauKhe, alertSender = true });
        await Expect("admin.demo", HttpMethod.Post, "/api/admin/users", HttpStatusCode.BadRequest,
            new { userName = "x3", displayName = "X", role = "commune_leader", scopeKind = "commune", scopeCode = "99999", alertSender = false });
    }

    [Fact]
    public async Task The_audit_log_is_read_by_administrators_commanders_and_operators_within_scope()
    {
        await Expect("chaukhe.leader", HttpMethod.Put, $"/api/communes/{ChauKhe}/contact", HttpStatusCode.OK, new { dutyPhone = "0912 345 678" });
        foreach (var actor in Actors)
        {
            var expected = actor switch
            {
                null => HttpStatusCode.Unauthorized,
                "chaukhe.leader" or "concuong.leader" => HttpStatusCode.Forbidden,
                _ => HttpStatusCode.OK,
            };
            await Expect(actor, HttpMethod.Get, "/api/audit", expected);
        }
        var commander = await As("kv5.commander").GetAsync<List<AuditDto>>("/api/audit");
        Assert.Contains(commander, e => e.Action == "commune_contact.updated");
        Assert.DoesNotContain(commander, e => e.Action.StartsWith("auth.", StringComparison.Ordinal));
        var admin = await As("admin.demo").GetAsync<List<AuditDto>>("/api/audit?action=auth.sign_in");
        Assert.Contains(admin, e => e.ActorName == "chaukhe.leader");
    }

    [Fact]
    public async Task Me_needs_a_session_and_reports_role_and_scope()
    {
        await Expect(null, HttpMethod.Get, "/api/auth/me", HttpStatusCode.Unauthorized);
        var me = await As("chaukhe.leader").GetAsync<MeDto>("/api/auth/me");
        Assert.Equal("commune_leader", me.Role);
        Assert.Equal(ChauKhe, me.Scope!.Code);
        Assert.Equal("Châu Khê", me.Scope.Name);
    }
}
