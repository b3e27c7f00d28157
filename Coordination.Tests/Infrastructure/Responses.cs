using System.Net;
using System.Text.Json;

namespace Coordination.Tests.Infrastructure;

public static class Responses
{
    /// <summary>Asserts the status (showing the body when it differs) and returns the JSON body.</summary>
    public static async Task<JsonElement> ExpectJsonAsync(this HttpResponseMessage r, HttpStatusCode expected)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"expected {(int)expected}, got {(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem details answer with the status; returns it.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage r, HttpStatusCode expected)
    {
        var json = await r.ExpectJsonAsync(expected);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.True(json.TryGetProperty("title", out _), $"a problem has a title: {json}");
        return json;
    }
}
