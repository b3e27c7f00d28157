using System.Net.Sockets;
using Coordination.Api.Alerts;

namespace Coordination.Tests.Alerts;

/// <summary>
/// The API on Kestrel (so the fake Twilio, a separate process, can post status callbacks to it over TCP) with Twilio
/// pointed at the fake, the dispatcher running in process, and a gateway secret for inbound SMS.
/// </summary>
public sealed class SmsHost : IAsyncDisposable
{
    public const string GatewaySecret = "gateway-shared-secret-7f3a";
    public const string ChauKhe = "17248", ConCuong = "17254";
    public required ApiFactory Api { get; init; }
    public required FakeTwilioServer? Twilio { get; init; }
    public required string Url { get; init; }
    public required string ConnectionString { get; init; }

    public static async Task<SmsHost> StartAsync(string cs, bool twilio = true, IDictionary<string, string?>? extra = null)
    {
        var fake = twilio ? await FakeTwilioServer.StartAsync() : null;
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var settings = new Dictionary<string, string?>
        {
            ["Sms:GatewaySecret"] = GatewaySecret,
            ["Sms:PublicBaseUrl"] = url,
            ["Sms:Dispatch:IdleSeconds"] = "0.2",
            ["Sms:Dispatch:ReconcileDelaySeconds"] = "1",
            ["Sms:Dispatch:LeaseSeconds"] = "5",
            ["Sms:Dispatch:MaxAttempts"] = "3",
        };
        if (fake is not null)
        {
            settings["Twilio:AccountSid"] = FakeTwilioServer.AccountSid;
            settings["Twilio:AuthToken"] = FakeTwilioServer.AuthToken;
            settings["Twilio:From"] = "PCTT-NGHEAN";
            settings["Twilio:BaseUrl"] = fake.BaseUrl;
            settings["Twilio:StatusCallbackUrl"] = $"{url}/api/sms/twilio/status";
            settings["Twilio:MaxSegmentsPerSecond"] = "0";
            settings["Twilio:TimeoutSeconds"] = "2";
        }
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var api = new ApiFactory(cs, settings);
        api.UseKestrel(port);
        api.StartServer();
        return new SmsHost { Api = api, Twilio = fake, Url = url, ConnectionString = cs };
    }

    public Task<Session> SignInAsync(string? user) => Session.SignedInAsync(new HttpClient { BaseAddress = new Uri(Url) }, user);

    /// <summary>A second alert sender for the two-person rule, created through the admin API.</summary>
    public async Task<Session> SecondSenderAsync(string userName = "kv5.deputy")
    {
        var admin = await SignInAsync("admin.demo");
        var area = await ScalarAsync<int>($"SELECT defense_area_id FROM defense_area_communes WHERE commune_code = '{ChauKhe}'");
        (await admin.SendAsync(HttpMethod.Post, "/api/admin/users", new
        {
            userName, displayName = "Phó chỉ huy (test)", role = "defense_commander", scopeKind = "defense_area", scopeCode = area.ToString(),
            alertSender = true, password = Session.DemoPassword,
        })).EnsureSuccessStatusCode();
        return await SignInAsync(userName);
    }

    /// <summary>A registered template; kind "cancel" for a cancellation / all-clear (a warning otherwise).</summary>
    public async Task<int> TemplateAsync(string text, string name = "Cảnh báo lũ", string kind = "warning")
    {
        var admin = await SignInAsync("admin.demo");
        var t = await admin.SendAsync<TemplateDto>(HttpMethod.Post, "/api/sms-templates", new { name, registrationRef = "VNPT-TPL-2025-0042", text, kind }, HttpStatusCode.Created);
        return t.Id;
    }

    public Task<T> ScalarAsync<T>(string sql) => ScalarAsync<T>(ConnectionString, sql);

    public static async Task<T> ScalarAsync<T>(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync())!, typeof(T));
    }

    public async Task ExecAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Polls an alert's progress until the condition holds (or fails after the timeout with the last figures).</summary>
    public static async Task<ProgressDto> WaitProgressAsync(Session s, int alertId, Func<ProgressDto, bool> done, int seconds = 30)
    {
        ProgressDto p = null!;
        for (var i = 0; i < seconds * 5; i++)
        {
            p = (await s.Http.GetFromJsonAsync<ProgressDto>($"/api/alerts/{alertId}/progress", Responses.Json))!;
            if (done(p)) return p;
            await Task.Delay(200);
        }
        Assert.Fail($"progress of alert {alertId} did not get there: {p}");
        return p;
    }

    /// <summary>Vietnamese text of exactly n characters, neither starting nor ending with a space (values are trimmed).</summary>
    public static string Fill(int n)
    {
        var s = string.Concat(Enumerable.Repeat("Nước lên nhanh, ", n / 16 + 1))[..n].ToCharArray();
        if (s[^1] == ' ') s[^1] = '.';
        return new string(s);
    }

    /// <summary>An inbound SMS as the gateway posts it: signed with the shared secret (none for null) at the time (now unless given).</summary>
    public async Task<HttpResponseMessage> GatewayAsync(string from, string body, string? id = null, string? secret = GatewaySecret, long? at = null)
    {
        var raw = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { from, body, id }));
        var ts = (at ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString();
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Url}/api/sms/gateway/inbound") { Content = new ByteArrayContent(raw) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Gateway-Timestamp", ts);
        if (secret is not null) request.Headers.Add("X-Gateway-Signature", GatewaySignature.Compute(secret, ts, raw));
        return await http.SendAsync(request);
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        if (Twilio is not null) await Twilio.DisposeAsync();
    }
}

/// <summary>An API test on an <see cref="SmsHost"/>: the app on Kestrel, the fake Twilio beside it unless <see cref="Twilio"/> is false.</summary>
public abstract class SmsApiTest(PostgisFixture fixture) : ApiTest(fixture)
{
    protected SmsHost Host { get; private set; } = null!;

    /// <summary>Whether the fake Twilio runs (false: outbox only, nothing leaves).</summary>
    protected virtual bool Twilio => true;

    protected override async Task<ApiFactory> StartAsync(string connectionString)
    {
        Host = await SmsHost.StartAsync(connectionString, Twilio, Settings);
        return Host.Api;
    }

    protected override HttpClient NewClient() => new() { BaseAddress = new Uri(Host.Url) };

    public override async Task DisposeAsync() => await Host.DisposeAsync();
}
