using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;


namespace Coordination.Api.Identity;

public sealed class IdentitySeedOptions
{
    /// <summary>First administrator's user name; its password from Admin:Password (env Admin__Password) or generated and printed once.</summary>
    public string UserName { get; set; } = "admin";
    public string? Password { get; set; }
}

/// <summary>Ensures a first administrator exists, and in demo mode the Nghệ An demo users.</summary>
public sealed class IdentitySeeder(UserManager<AppUser> users, CoordinationDb db, TimeProvider clock, ILogger<IdentitySeeder> log)
{
    public const string DemoPassword = "Demo@2025!";

    public async Task EnsureAdministratorAsync(IdentitySeedOptions o, CancellationToken ct = default)
    {
        if (await users.Users.AnyAsync(u => u.Role == Roles.Admin, ct)) return;
        var generated = o.Password is null;
        var password = o.Password ?? "Ad-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y') + "9!";
        await CreateAsync(o.UserName, "Quản trị hệ thống", Roles.Admin, null, null, false, password);
        if (generated)
            Console.WriteLine($"""

                  First administrator created — shown once, write it down:
                    user name  {o.UserName}
                    password   {password}
                  (set Admin__UserName / Admin__Password to choose them instead)

                """);
        else log.LogInformation("First administrator '{User}' created from configuration", o.UserName);
    }

    /// <summary>Demo users for Nghệ An (README lists them). Only in demo/development mode.</summary>
    public async Task EnsureDemoUsersAsync(CancellationToken ct = default)
    {
        var kv = await db.DefenseAreaCommunes.Where(m => m.CommuneCode == "17248").Select(m => (int?)m.DefenseAreaId).FirstOrDefaultAsync(ct);
        var demo = new (string user, string name, string role, string? kind, string? code, bool alerts)[]
        {
            ("admin.demo", "Quản trị (demo)", Roles.Admin, null, null, false),
            ("chaukhe.leader", "Chủ tịch UBND xã Châu Khê (demo)", Roles.CommuneLeader, ScopeKinds.Commune, "17248", false),
            ("concuong.leader", "Chủ tịch UBND xã Con Cuông (demo)", Roles.CommuneLeader, ScopeKinds.Commune, "17254", false),
            ("kv5.commander", "Chỉ huy khu vực phòng thủ (demo)", Roles.DefenseCommander, ScopeKinds.DefenseArea, kv?.ToString(), true),
            ("nghean.operator", "Cán bộ tỉnh Nghệ An (demo)", Roles.ProvinceOperator, ScopeKinds.Province, "40", true),
        };
        foreach (var d in demo)
        {
            if (d.kind is not null && d.code is null) continue;   // Nghệ An not loaded
            if (await users.FindByNameAsync(d.user) is null)
                await CreateAsync(d.user, d.name, d.role, d.kind, d.code, d.alerts, DemoPassword);
        }
    }

    async Task CreateAsync(string userName, string displayName, string role, string? kind, string? code, bool alerts, string password)
    {
        var result = await users.CreateAsync(new AppUser
        {
            UserName = userName, DisplayName = displayName, Role = role, ScopeKind = kind, ScopeCode = code,
            AlertSender = alerts, CreatedAt = clock.GetUtcNow().UtcDateTime,
        }, password);
        if (!result.Succeeded)
            throw new InvalidOperationException($"cannot create user {userName}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
