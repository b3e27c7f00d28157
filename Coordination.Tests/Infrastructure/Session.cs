namespace Coordination.Tests.Infrastructure;

/// <summary>A browser-like client: cookie jar, antiforgery header on writes, real sign-in through the API.</summary>
public sealed class Session(HttpClient http)
{
    public const string DemoPassword = "Demo@2025!";
    /// <summary>COORDINATION_TEST_KEY_EVERY_WRITE=1 sends a fresh Idempotency-Key with every write, so the whole suite
    /// checks that each handler behaves the same inside the key's transaction.</summary>
    static readonly bool KeyEveryWrite = Environment.GetEnvironmentVariable("COORDINATION_TEST_KEY_EVERY_WRITE") == "1";
    string? _xsrf;

    public HttpClient Http => http;

    public async Task<HttpResponseMessage> SignInAsync(string userName, string password = DemoPassword)
    {
        await RefreshAntiforgeryAsync();
        return await SendAsync(HttpMethod.Post, "/api/auth/login", new { userName, password });
    }

    public async Task RefreshAntiforgeryAsync()
    {
        var af = await http.GetFromJsonAsync<JsonElement>("/api/auth/antiforgery");
        _xsrf = af.GetProperty("token").GetString();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object? body = null, bool antiforgery = true,
        string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (antiforgery && _xsrf is not null) request.Headers.Add("X-XSRF-TOKEN", _xsrf);
        idempotencyKey ??= KeyEveryWrite && method != HttpMethod.Get ? Guid.NewGuid().ToString() : null;
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return await http.SendAsync(request);
    }

    /// <summary>A file as the request body (CSV, GeoJSON), with the antiforgery header like any cookie write.</summary>
    public async Task<HttpResponseMessage> PostBodyAsync(string url, byte[] body, string contentType, string? idempotencyKey = null)
    {
        await RefreshAntiforgeryAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new(contentType);
        if (_xsrf is not null) request.Headers.Add("X-XSRF-TOKEN", _xsrf);
        idempotencyKey ??= KeyEveryWrite ? Guid.NewGuid().ToString() : null;
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await http.SendAsync(request);
    }

    /// <summary>GET, asserting 200, read as the API's own record.</summary>
    public async Task<T> GetAsync<T>(string url) => await (await http.GetAsync(url)).ExpectAsync<T>(HttpStatusCode.OK);

    /// <summary>A write (with the antiforgery header), asserting the status, its answer read as the API's own record.</summary>
    public async Task<T> SendAsync<T>(HttpMethod method, string url, object? body, HttpStatusCode expected) =>
        await (await SendAsync(method, url, body)).ExpectAsync<T>(expected);

    public static Task<Session> SignedInAsync(ApiFactory api, string? userName) => SignedInAsync(api.CreateClient(), userName);

    /// <summary>A session on the client, signed in as the user (anonymous for null), with the antiforgery token of that user.</summary>
    public static async Task<Session> SignedInAsync(HttpClient client, string? userName)
    {
        var session = new Session(client);
        if (userName is not null)
        {
            var r = await session.SignInAsync(userName);
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"sign-in {userName}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            await session.RefreshAntiforgeryAsync();   // the token is bound to the signed-in user
        }
        return session;
    }
}
