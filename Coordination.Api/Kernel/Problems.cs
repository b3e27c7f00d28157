namespace Coordination.Api.Kernel;

/// <summary>
/// Marks a static class whose <c>public const string</c> fields are problem codes: the stable names a client turns
/// into its own words (the web keeps a Vietnamese and an English sentence per code, checked by a test). Each
/// capability declares its codes in one such class; the English <c>detail</c> stays for logs and API users.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ProblemCodesAttribute : Attribute;

/// <summary>Codes every capability shares: malformed input, scope, sign-in, files, limits.</summary>
[ProblemCodes]
public static class CommonProblems
{
    /// <summary>400: some fields are wrong; <c>fieldCodes</c> says which and why.</summary>
    public const string Invalid = "request.invalid";
    /// <summary>400: the body is not JSON, or a value has the wrong type (a field code tells which).</summary>
    public const string Malformed = "request.malformed";
    /// <summary>401: not signed in (or the token expired).</summary>
    public const string SignInRequired = "auth.sign_in_required";
    /// <summary>403: signed in, but the resource is outside the user's scope or role.</summary>
    public const string Forbidden = "scope.forbidden";
    /// <summary>403: the antiforgery token is missing or stale (reload the page).</summary>
    public const string Antiforgery = "auth.antiforgery";
    /// <summary>404: no such resource (or route); <c>entity</c> and <c>key</c> say what was looked for.</summary>
    public const string NotFound = "not_found";
    /// <summary>405/415 and other protocol mistakes of a client.</summary>
    public const string NotSupported = "request.not_supported";
    /// <summary>413: the body or file is too large; <c>maxBytes</c>.</summary>
    public const string TooLarge = "request.too_large";
    /// <summary>429: too many attempts; <c>retryAfterSeconds</c>.</summary>
    public const string RateLimited = "rate_limited";
    /// <summary>400: a file was refused with row or feature reasons under <c>errors.file</c>; nothing was written.</summary>
    public const string FileRefused = "file.refused";
    /// <summary>422: the Idempotency-Key was already used for a different request.</summary>
    public const string IdempotencyKeyReused = "request.idempotency_key_reused";
    /// <summary>5xx: our fault; nothing the user can change.</summary>
    public const string ServerError = "server.error";

    // Field codes (in fieldCodes): why one field is wrong.
    public const string FieldRequired = "field.required";
    public const string FieldMalformed = "field.malformed";
    public const string FieldOutOfRange = "field.out_of_range";
    public const string FieldTooLong = "field.too_long";
    public const string FieldUnknown = "field.unknown_value";
}

/// <summary>RFC 9457 problem details: every 4xx carries a stable <c>code</c> and the facts its sentence needs.</summary>
public static class Problems
{
    /// <summary>Names RFC 9457 reserves for the problem itself; a fact may not take them.</summary>
    static readonly HashSet<string> Reserved = ["type", "title", "status", "detail", "instance", "code", "errors", "fieldCodes"];

    /// <summary>400 for one field: its English message, and a field code (plus facts such as min/max).</summary>
    public static ValidationProblem BadParameter(string name, string message, string fieldCode = CommonProblems.FieldMalformed, object? facts = null) =>
        Invalid([new FieldError(name, fieldCode, message)], facts);

    /// <summary>400 for several fields at once.</summary>
    public static ValidationProblem Invalid(IReadOnlyList<FieldError> fields, object? facts = null, string code = CommonProblems.Invalid,
        string title = "A parameter is malformed.", string? detail = null)
    {
        var extensions = Extensions(code, facts);
        // A field's facts (e.g. a length and its limit) join the problem's, where the field's sentence finds them.
        foreach (var field in fields.Where(f => f.Facts is not null))
            foreach (var (name, value) in Extensions(field.Code, field.Facts).Where(e => e.Key != "code")) extensions[name] = value;
        extensions["fieldCodes"] = fields.GroupBy(f => f.Name).ToDictionary(g => g.Key, g => g.Select(f => f.Code).ToArray());
        return TypedResults.ValidationProblem(fields.GroupBy(f => f.Name).ToDictionary(g => g.Key, g => g.Select(f => f.Message).ToArray()),
            title: title, detail: detail ?? string.Join(" ", fields.Select(f => f.Message)), extensions: extensions);
    }

    public static ProblemHttpResult NotFound(string what, string key, string code = CommonProblems.NotFound) =>
        TypedResults.Problem(title: $"Unknown {what}.", detail: $"There is no {what} '{key}'.", statusCode: StatusCodes.Status404NotFound,
            extensions: Extensions(code, new { Entity = what, Key = key }));

    /// <summary>403: signed in, but the resource is outside the user's scope (checked on the resource itself).</summary>
    public static ProblemHttpResult Forbidden(string detail, string code = CommonProblems.Forbidden, object? facts = null) =>
        TypedResults.Problem(title: "Outside your scope.", detail: detail, statusCode: StatusCodes.Status403Forbidden, extensions: Extensions(code, facts));

    /// <summary>409: the request is well-formed but the resource's current state does not allow it.</summary>
    /// <param name="code">A declared code (e.g. "aid.pledge.state"), so clients say it in their own words instead of parsing the English detail.</param>
    /// <param name="facts">Values the client's sentence needs (the current state, a quantity); never named like RFC 9457's own members.</param>
    public static ProblemHttpResult Conflict(string detail, string code, object? facts = null) =>
        TypedResults.Problem(title: "Not possible in the current state.", detail: detail, statusCode: StatusCodes.Status409Conflict,
            extensions: Extensions(code, facts));

    /// <summary>Any other 4xx with a code and facts.</summary>
    public static ProblemHttpResult Status(int status, string title, string detail, string code, object? facts = null) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status, extensions: Extensions(code, facts));

    static Dictionary<string, object?> Extensions(string code, object? facts)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (facts is null) return extensions;
        foreach (var p in facts.GetType().GetProperties())
        {
            var name = char.ToLowerInvariant(p.Name[0]) + p.Name[1..];
            if (Reserved.Contains(name)) throw new ArgumentException($"'{name}' is a member of the problem itself", nameof(facts));
            extensions[name] = p.GetValue(facts);
        }
        return extensions;
    }

    /// <summary>The code a problem written without one gets from its status (framework answers: 401, 404 of a route, 405, 429…).</summary>
    public static string CodeForStatus(int status) => status switch
    {
        400 => CommonProblems.Malformed,
        401 => CommonProblems.SignInRequired,
        403 => CommonProblems.Forbidden,
        404 => CommonProblems.NotFound,
        413 => CommonProblems.TooLarge,
        429 => CommonProblems.RateLimited,
        >= 500 => CommonProblems.ServerError,
        _ => CommonProblems.NotSupported,
    };

    /// <summary>Official codes are digit strings (most have 5 digits, some 4); anything else is malformed.</summary>
    public static bool IsCommuneCode(string code) => code.Length is >= 4 and <= 6 && code.All(char.IsAsciiDigit);
    public static bool IsProvinceCode(string code) => code.Length == 2 && code.All(char.IsAsciiDigit);
}

/// <summary>One wrong field: its name as the client sent it, a field code, an English message, and the facts its sentence needs.</summary>
public sealed record FieldError(string Name, string Code, string Message, object? Facts = null);
