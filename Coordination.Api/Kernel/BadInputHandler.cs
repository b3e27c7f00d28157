using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Coordination.Api.Kernel;

/// <summary>
/// A body or query value the framework cannot bind (10¹² where an int is expected, "abc" for a number, broken JSON)
/// is the client's error: 400 validation problem details that name the field, instead of a bare "Bad Request".
/// Nothing has run, so nothing was written.
/// </summary>
public sealed class BadInputHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (http, ct) = (httpContext, cancellationToken);
        if (exception is not BadHttpRequestException bad) return false;
        var (field, message, fieldCode) = Describe(bad);
        http.Response.StatusCode = bad.StatusCode;
        var details = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request is too large." : "A parameter is malformed.",
            Detail = message,
            Extensions =
            {
                ["code"] = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? CommonProblems.TooLarge : CommonProblems.Malformed,
                ["fieldCodes"] = new Dictionary<string, string[]> { [field] = [fieldCode] },
            },
        };
        return await problems.TryWriteAsync(new() { HttpContext = http, ProblemDetails = details, Exception = exception });
    }

    static (string Field, string Message, string FieldCode) Describe(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            // "$.lines[0].quantity" → "lines[0].quantity"; the web names fields from this key.
            var path = json.Path is { Length: > 0 } p ? p.TrimStart('$').TrimStart('.') : "";
            var field = path.Length > 0 ? path : "body";
            return path.Length > 0
                ? (field, $"{field}: the value is not of the expected type or is out of range (whole numbers up to 2,147,483,647).", CommonProblems.FieldMalformed)
                : (field, "the body is not valid JSON.", CommonProblems.FieldMalformed);
        }
        // Query and route values: 'Failed to bind parameter "int limit" from "abc".'
        var m = System.Text.RegularExpressions.Regex.Match(bad.Message, "parameter \"[^\"]*?(\\w+)\" from \"(.*)\"");
        if (m.Success) return (m.Groups[1].Value, $"{m.Groups[1].Value}: '{m.Groups[2].Value}' is not a valid value.", CommonProblems.FieldMalformed);
        if (bad.Message.Contains("Required parameter", StringComparison.Ordinal) || bad.Message.Contains("body was not provided", StringComparison.Ordinal))
            return ("body", "a JSON body is required.", CommonProblems.FieldRequired);
        return ("body", bad.Message, CommonProblems.FieldMalformed);
    }
}
