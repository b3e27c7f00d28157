namespace Coordination.Api.Identity;

/// <summary>Audit action names of sign-in and user administration (values are stored: never change them).</summary>
public static class IdentityAudit
{
    public const string SignIn = "auth.sign_in", SignInFailed = "auth.sign_in_failed", LockedOut = "auth.locked_out",
        SignOut = "auth.sign_out", UserCreated = "user.created", UserChanged = "user.role_changed";
}
