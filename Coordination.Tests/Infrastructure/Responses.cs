namespace Coordination.Tests.Infrastructure;

public static class Responses
{
    /// <summary>What the API writes JSON with: the web defaults (camelCase names, case-insensitive reading).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Asserts the status (showing the body when it differs) and returns the JSON body.</summary>
    public static async Task<JsonElement> ExpectJsonAsync(this HttpResponseMessage r, HttpStatusCode expected)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"expected {(int)expected}, got {(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the status (showing the body when it differs) and reads the body as the API's own record.</summary>
    public static async Task<T> ExpectAsync<T>(this HttpResponseMessage r, HttpStatusCode expected) =>
        (await r.ExpectJsonAsync(expected)).As<T>();

    /// <summary>A JSON value read as the API's own record.</summary>
    public static T As<T>(this JsonElement json) => json.Deserialize<T>(Json) ?? throw new InvalidOperationException($"null where a {typeof(T).Name} was expected");

    /// <summary>Asserts an RFC 9457 problem details answer with the status; returns it.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage r, HttpStatusCode expected)
    {
        var json = await r.ExpectJsonAsync(expected);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.True(json.TryGetProperty("title", out _), $"a problem has a title: {json}");
        return json;
    }

    /// <summary>The problem's stable <c>code</c> extension (null when it has none).</summary>
    public static string? Code(this JsonElement problem) =>
        problem.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;

    /// <summary>RFC 9457's own <c>status</c> member.</summary>
    public static int Status(this JsonElement problem) => problem.GetProperty("status").GetInt32();

    /// <summary>An extension member of the problem (a fact its sentence needs: the current state, a quantity).</summary>
    public static T Member<T>(this JsonElement problem, string name) => problem.GetProperty(name).As<T>();

    /// <summary>Whether a validation problem names the field.</summary>
    public static bool HasError(this JsonElement problem, string field) =>
        problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _);

    /// <summary>The first message a validation problem gives for the field.</summary>
    public static string Error(this JsonElement problem, string field) => problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
}
