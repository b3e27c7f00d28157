using System.Security.Cryptography;
using Coordination.Api.Data;
using Coordination.Api.Kernel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Coordination.Api.Identity;

public sealed record UserDto(string Id, string UserName, string DisplayName, string Role, ScopeDto? Scope, bool AlertSender, DateTimeOffset? LockedOutUntil);
public sealed record CreateUserRequest(string? UserName, string? DisplayName, string? Password, string? Role, string? ScopeKind, string? ScopeCode, bool AlertSender);
public sealed record UpdateUserRequest(string? DisplayName, string? Role, string? ScopeKind, string? ScopeCode, bool AlertSender);
public sealed record CreatedUserDto(UserDto User, string? GeneratedPassword);

public static class UsersApi
{
    /// <summary>Administrators only: create users and assign role + scope.</summary>
    public static RouteGroupBuilder MapAdminUsers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/users").WithTags("Administration").RequireAuthorization(Policies.Admin);
        group.MapGet("/", async (UserManager<AppUser> users, ScopeChecker scopes, CancellationToken ct) =>
        {
            var list = await users.Users.OrderBy(u => u.UserName).ToListAsync(ct);
            var result = new List<UserDto>();
            foreach (var u in list) result.Add(await ToDto(u, scopes, ct));
            return TypedResults.Ok(result);
        });
        group.MapPost("/", Create);
        group.MapPut("/{id}", Update);
        return group;
    }

    static async Task<UserDto> ToDto(AppUser u, ScopeChecker scopes, CancellationToken ct) =>
        new(u.Id, u.UserName!, u.DisplayName, u.Role,
            u.ScopeKind is null ? null : new ScopeDto(u.ScopeKind, u.ScopeCode!, await scopes.ScopeNameAsync(u.ScopeKind, u.ScopeCode, ct)),
            u.AlertSender, u.LockoutEnd > DateTimeOffset.UtcNow ? u.LockoutEnd : null);

    /// <summary>Role, scope and the alert-sender grant must fit together; the scope must exist.</summary>
    static async Task<Dictionary<string, string[]>> Validate(string? role, string? scopeKind, string? scopeCode, bool alertSender, ScopeChecker scopes, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (role is null || !Roles.All.Contains(role)) { errors["role"] = [$"role must be one of {string.Join(", ", Roles.All)}."]; return errors; }
        var expected = Roles.ScopeKindOf(role);
        if (expected is null && (scopeKind is not null || scopeCode is not null)) errors["scopeKind"] = ["an administrator has no scope."];
        else if (expected is not null && scopeKind != expected) errors["scopeKind"] = [$"role {role} needs scopeKind {expected}."];
        else if (expected is not null && await scopes.ScopeNameAsync(scopeKind, scopeCode, ct) is null) errors["scopeCode"] = [$"no {scopeKind} '{scopeCode}'."];
        if (alertSender && role is not (Roles.ProvinceOperator or Roles.DefenseCommander))
            errors["alertSender"] = ["only a province operator or a defense-area commander may send alerts."];
        return errors;
    }

    static async Task<Results<Created<CreatedUserDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateUserRequest body, UserManager<AppUser> users, ScopeChecker scopes, AuditLog audit, CoordinationDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = await Validate(body.Role, body.ScopeKind, body.ScopeCode, body.AlertSender, scopes, ct);
        var userName = body.UserName?.Trim();
        if (string.IsNullOrEmpty(userName)) errors["userName"] = ["userName is required."];
        var displayName = SearchKey.Nfc(body.DisplayName);
        if (string.IsNullOrEmpty(displayName)) errors["displayName"] = ["displayName is required."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (await users.FindByNameAsync(userName!) is not null)
            return TypedResults.Problem(title: "User exists.", detail: $"A user named '{userName}' already exists.", statusCode: StatusCodes.Status409Conflict);

        var generated = body.Password is null ? GeneratePassword() : null;
        var user = new AppUser
        {
            UserName = userName, DisplayName = displayName!, Role = body.Role!, ScopeKind = body.ScopeKind, ScopeCode = body.ScopeCode,
            AlertSender = body.AlertSender, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        // The user and its audit row are written in one transaction.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await users.CreateAsync(user, body.Password ?? generated!);
        if (!result.Succeeded)
            return TypedResults.ValidationProblem(result.Errors.GroupBy(e => e.Code.Contains("Password") ? "password" : "userName")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        var dto = await ToDto(user, scopes, ct);
        audit.Add(IdentityAudit.UserCreated, "user", user.Id, after: dto);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/admin/users/{user.Id}", new CreatedUserDto(dto, generated));
    }

    static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> Update(
        string id, UpdateUserRequest body, UserManager<AppUser> users, ScopeChecker scopes, AuditLog audit, CoordinationDb db, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null) return Problems.NotFound("user", id);
        var errors = await Validate(body.Role, body.ScopeKind, body.ScopeCode, body.AlertSender, scopes, ct);
        var displayName = SearchKey.Nfc(body.DisplayName);
        if (string.IsNullOrEmpty(displayName)) errors["displayName"] = ["displayName is required."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var before = await ToDto(user, scopes, ct);
        user.DisplayName = displayName!;
        user.Role = body.Role!;
        user.ScopeKind = body.ScopeKind;
        user.ScopeCode = body.ScopeCode;
        user.AlertSender = body.AlertSender;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await users.UpdateAsync(user);
        await users.UpdateSecurityStampAsync(user);   // existing sessions pick up the new role within a minute
        var after = await ToDto(user, scopes, ct);
        audit.Add(IdentityAudit.UserChanged, "user", user.Id, before, after);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(after);
    }

    static string GeneratePassword() =>
        "Cd-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y') + "7!";
}
