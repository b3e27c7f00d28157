using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Coordination.Api.Identity;

public sealed record UserDto(string Id, string UserName, string DisplayName, string Role, ScopeDto? Scope, bool AlertSender, DateTimeOffset? LockedOutUntil,
    string? Phone = null, string[]? SmsNotify = null);
/// <summary>Phone: the official's mobile, whose SMS commands act as them (README "SMS commands"); smsNotify: which notification kinds it receives (null: all).</summary>
public sealed record CreateUserRequest(string? UserName, string? DisplayName, string? Password, string? Role, string? ScopeKind, string? ScopeCode, bool AlertSender,
    string? Phone = null, string[]? SmsNotify = null);
/// <summary>Phone and smsNotify absent: unchanged; phone "": removed.</summary>
public sealed record UpdateUserRequest(string? DisplayName, string? Role, string? ScopeKind, string? ScopeCode, bool AlertSender,
    string? Phone = null, string[]? SmsNotify = null);
public sealed record CreatedUserDto(UserDto User, string? GeneratedPassword);

public static class UsersApi
{
    /// <summary>Administrators only: create users and assign role + scope.</summary>
    public static RouteGroupBuilder MapAdminUsers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/users").WithTags("Administration").RequireAuthorization(Policies.Admin);
        group.MapGet("/", async (UserManager<AppUser> users, ScopeNames scopes, CancellationToken ct) =>
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

    static async Task<UserDto> ToDto(AppUser u, ScopeNames scopes, CancellationToken ct) =>
        new(u.Id, u.UserName!, u.DisplayName, u.Role,
            u.ScopeKind is null ? null : new ScopeDto(u.ScopeKind, u.ScopeCode!, await scopes.ScopeNameAsync(u.ScopeKind, u.ScopeCode, ct)),
            u.AlertSender, u.LockoutEnd > DateTimeOffset.UtcNow ? u.LockoutEnd : null, u.PhoneNumber, u.SmsNotify);

    /// <summary>The phone in E.164 (a mobile: it must receive SMS) and the notification kinds; errors on their fields.</summary>
    static (string? Phone, string[]? Kinds) SmsFields(string? phone, string[]? kinds, List<FieldError> errors)
    {
        string? e164 = null;
        if (!string.IsNullOrWhiteSpace(phone))
        {
            var normalised = Phones.Normalise(phone);
            if (normalised.E164 is null) errors.Add(new("phone", CommonProblems.FieldMalformed, normalised.Error!));
            e164 = normalised.E164;
        }
        if (kinds?.FirstOrDefault(k => !SmsNotifyKinds.All.Contains(k)) is { } unknown)
            errors.Add(new("smsNotify", CommonProblems.FieldUnknown, $"'{unknown}' is not a notification kind ({string.Join(", ", SmsNotifyKinds.All)})."));
        return (e164, kinds?.Distinct().ToArray());
    }

    static async Task<ProblemHttpResult?> PhoneTakenAsync(UserManager<AppUser> users, string? phone, string? self, CancellationToken ct) =>
        phone is not null && await users.Users.AnyAsync(u => u.PhoneNumber == phone && u.Id != self, ct)
            ? Problems.Conflict($"Another user has the phone {phone}: a number speaks for one official.", IdentityProblems.PhoneTaken, new { Phone = phone })
            : null;

    /// <summary>Role, scope and the alert-sender grant must fit together; the scope must exist.</summary>
    static async Task<List<FieldError>> Validate(string? role, string? scopeKind, string? scopeCode, bool alertSender, ScopeNames scopes, CancellationToken ct)
    {
        if (role is null || !Roles.All.Contains(role))
            return [new("role", role is null ? CommonProblems.FieldRequired : CommonProblems.FieldUnknown, $"role must be one of {string.Join(", ", Roles.All)}.")];
        var errors = new List<FieldError>();
        var expected = Roles.ScopeKindOf(role);
        if (expected is null && (scopeKind is not null || scopeCode is not null))
            errors.Add(new("scopeKind", IdentityProblems.AdminHasNoScope, "an administrator has no scope."));
        else if (expected is not null && scopeKind != expected)
            errors.Add(new("scopeKind", IdentityProblems.ScopeKindMismatch, $"role {role} needs scopeKind {expected}."));
        else if (expected is not null && await scopes.ScopeNameAsync(scopeKind, scopeCode, ct) is null)
            errors.Add(new("scopeCode", CommonProblems.FieldUnknown, $"no {scopeKind} '{scopeCode}'."));
        if (alertSender && role is not (Roles.ProvinceOperator or Roles.DefenseCommander))
            errors.Add(new("alertSender", IdentityProblems.AlertSenderRole, "only a province operator or a defense-area commander may send alerts."));
        return errors;
    }

    /// <summary>The facts a user form's sentences need: the role and the scope kind it needs.</summary>
    static object Facts(string? role) => new { Role = role, ScopeKind = role is null ? null : Roles.ScopeKindOf(role) };

    static async Task<Results<Created<CreatedUserDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateUserRequest body, UserManager<AppUser> users, ScopeNames scopes, AuditLog audit, CoordinationDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = await Validate(body.Role, body.ScopeKind, body.ScopeCode, body.AlertSender, scopes, ct);
        var userName = body.UserName?.Trim();
        if (string.IsNullOrEmpty(userName)) errors.Add(new("userName", CommonProblems.FieldRequired, "userName is required."));
        var displayName = SearchKey.Nfc(body.DisplayName);
        if (string.IsNullOrEmpty(displayName)) errors.Add(new("displayName", CommonProblems.FieldRequired, "displayName is required."));
        var (phone, kinds) = SmsFields(body.Phone, body.SmsNotify, errors);
        if (errors.Count > 0) return Problems.Invalid(errors, Facts(body.Role));
        if (await users.FindByNameAsync(userName!) is not null)
            return Problems.Conflict($"A user named '{userName}' already exists.", IdentityProblems.UserNameTaken, new { UserName = userName });
        if (await PhoneTakenAsync(users, phone, null, ct) is { } taken) return taken;

        var generated = body.Password is null ? GeneratePassword() : null;
        var user = new AppUser
        {
            UserName = userName, DisplayName = displayName!, Role = body.Role!, ScopeKind = body.ScopeKind, ScopeCode = body.ScopeCode,
            AlertSender = body.AlertSender, CreatedAt = clock.GetUtcNow().UtcDateTime,
            // Registered by an administrator, who vouches for it: confirmed.
            PhoneNumber = phone, PhoneNumberConfirmed = phone is not null, SmsNotify = kinds,
        };
        // The user and its audit row are written in one transaction; a refused password writes neither.
        return await db.InTransactionAsync<Results<Created<CreatedUserDto>, ValidationProblem, ProblemHttpResult>>(async () =>
        {
            var result = await users.CreateAsync(user, body.Password ?? generated!);
            if (!result.Succeeded) return Problems.Invalid(result.Errors.Select(IdentityError).ToList());
            var dto = await ToDto(user, scopes, ct);
            audit.Add(IdentityAudit.UserCreated, "user", user.Id, after: dto);
            return TypedResults.Created($"/api/admin/users/{user.Id}", new CreatedUserDto(dto, generated));
        }, ct);
    }

    /// <summary>ASP.NET Identity's refusal of a new user, on the field it concerns.</summary>
    static FieldError IdentityError(IdentityError e) => e.Code.Contains("Password")
        ? new("password", IdentityProblems.PasswordRejected, e.Description)
        : new("userName", IdentityProblems.UserNameRejected, e.Description);

    static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> Update(
        string id, UpdateUserRequest body, UserManager<AppUser> users, ScopeNames scopes, AuditLog audit, CoordinationDb db, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null) return Problems.NotFound("user", id, IdentityProblems.UserNotFound);
        var errors = await Validate(body.Role, body.ScopeKind, body.ScopeCode, body.AlertSender, scopes, ct);
        var displayName = SearchKey.Nfc(body.DisplayName);
        if (string.IsNullOrEmpty(displayName)) errors.Add(new("displayName", CommonProblems.FieldRequired, "displayName is required."));
        // Absent (null) keeps the phone and the kinds as they are, so a client that does not know them changes
        // nothing; an empty phone removes it.
        var (phone, kinds) = SmsFields(body.Phone, body.SmsNotify, errors);
        if (body.Phone is null) phone = user.PhoneNumber;
        if (errors.Count > 0) return Problems.Invalid(errors, Facts(body.Role));
        if (await PhoneTakenAsync(users, phone, user.Id, ct) is { } taken) return taken;

        var before = await ToDto(user, scopes, ct);
        user.PhoneNumber = phone;
        user.PhoneNumberConfirmed = phone is not null;
        if (body.SmsNotify is not null) user.SmsNotify = kinds;
        user.DisplayName = displayName!;
        user.Role = body.Role!;
        user.ScopeKind = body.ScopeKind;
        user.ScopeCode = body.ScopeCode;
        user.AlertSender = body.AlertSender;
        return await db.InTransactionAsync<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>>(async () =>
        {
            await users.UpdateAsync(user);
            await users.UpdateSecurityStampAsync(user);   // existing sessions pick up the new role within a minute
            var after = await ToDto(user, scopes, ct);
            audit.Add(IdentityAudit.UserChanged, "user", user.Id, before, after);
            return TypedResults.Ok(after);
        }, ct);
    }

    static string GeneratePassword() =>
        "Cd-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y') + "7!";
}
