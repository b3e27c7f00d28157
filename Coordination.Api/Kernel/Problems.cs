using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordination.Api.Kernel;

/// <summary>RFC 9457 problem details for the cases every endpoint shares.</summary>
public static class Problems
{
    public static ValidationProblem BadParameter(string name, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [name] = [message] },
            title: "A parameter is malformed.", detail: message);

    public static ProblemHttpResult NotFound(string what, string key) =>
        TypedResults.Problem(title: $"Unknown {what}.", detail: $"There is no {what} '{key}'.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>403: signed in, but the resource is outside the user's scope (checked on the resource itself).</summary>
    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(title: "Outside your scope.", detail: detail, statusCode: StatusCodes.Status403Forbidden);

    /// <summary>409: the request is well-formed but the resource's current state does not allow it.</summary>
    /// <param name="code">A stable name for the case (e.g. "pledge_state"), so clients say it in their own words instead of parsing the English detail.</param>
    /// <param name="facts">Values the client's sentence needs (the current state, a quantity); never named like RFC 9457's own members (status, title, …).</param>
    public static ProblemHttpResult Conflict(string detail, string? code = null, object? facts = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (code is not null) extensions["code"] = code;
        if (facts is not null)
            foreach (var p in facts.GetType().GetProperties())
            {
                var name = char.ToLowerInvariant(p.Name[0]) + p.Name[1..];
                if (name is "type" or "title" or "status" or "detail" or "instance") throw new ArgumentException($"'{name}' is a member of the problem itself", nameof(facts));
                extensions[name] = p.GetValue(facts);
            }
        return TypedResults.Problem(title: "Not possible in the current state.", detail: detail, statusCode: StatusCodes.Status409Conflict,
            extensions: extensions.Count > 0 ? extensions : null);
    }

    /// <summary>Official codes are digit strings (most have 5 digits, some 4); anything else is malformed.</summary>
    public static bool IsCommuneCode(string code) => code.Length is >= 4 and <= 6 && code.All(char.IsAsciiDigit);
    public static bool IsProvinceCode(string code) => code.Length == 2 && code.All(char.IsAsciiDigit);
}
