namespace Coordination.Api.Identity;

/// <summary>The problem codes of sign-in and user administration (the web words each one in Vietnamese and English).</summary>
[ProblemCodes]
public static class IdentityProblems
{
    /// <summary>401: wrong user name or password (which of the two is not said).</summary>
    public const string SignInFailed = "identity.sign_in.failed";
    /// <summary>423: too many failed sign-ins, the account is locked; <c>lockedUntil</c> (UTC).</summary>
    public const string LockedOut = "identity.sign_in.locked_out";
    /// <summary>404: no user with that id; <c>key</c>.</summary>
    public const string UserNotFound = "identity.user.not_found";
    /// <summary>409: a user of that name exists already; <c>userName</c>.</summary>
    public const string UserNameTaken = "identity.user.name_taken";

    /// <summary>409: another user has that phone (a number speaks for one official by SMS); <c>phone</c>.</summary>
    public const string PhoneTaken = "identity.user.phone_taken";

    // Field codes (in fieldCodes).
    /// <summary>Field "scopeKind": an administrator has no scope.</summary>
    public const string AdminHasNoScope = "identity.user.admin_has_no_scope";
    /// <summary>Field "scopeKind": the role needs another kind of scope; <c>role</c>, <c>scopeKind</c> (the one it needs).</summary>
    public const string ScopeKindMismatch = "identity.user.scope_kind_mismatch";
    /// <summary>Field "alertSender": only a province operator or a defense-area commander may send alerts.</summary>
    public const string AlertSenderRole = "identity.user.alert_sender_role";
    /// <summary>Field "password": the password does not meet the rules (the message says which).</summary>
    public const string PasswordRejected = "identity.user.password_rejected";
    /// <summary>Field "userName": the user name is not allowed (the message says why).</summary>
    public const string UserNameRejected = "identity.user.name_rejected";
}
