using System.Diagnostics;
using System.Net.Sockets;
using Coordination.Api.Infrastructure;

namespace Coordination.Tests.Infrastructure;

/// <summary>
/// Coordination.FakeGateway (the Android SMS-gateway app's local API) as a separate process on a free local port:
/// the dispatcher talks to it over TCP as it would to a phone, and it posts signed webhooks back. Disposing kills it.
/// </summary>
public sealed class FakeGatewayServer : IAsyncDisposable
{
    public const string User = "sms", Password = "gw-password-31c9";
    readonly Process _process;
    readonly List<string> _lines = [];
    public string BaseUrl { get; }
    public string SigningKey { get; }

    FakeGatewayServer(Process process, string baseUrl, string signingKey) => (_process, BaseUrl, SigningKey) = (process, baseUrl, signingKey);

    /// <summary>Starts a fake phone; <paramref name="signingKey"/> is its webhook key (each gateway has its own).</summary>
    public static async Task<FakeGatewayServer> StartAsync(string signingKey = "gw-signing-key-a", params string[] extraArgs)
    {
        var port = FreePort();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(EmbeddedPostgres.RepositoryRoot(), "Coordination.FakeGateway", "bin", configuration, "net10.0", "Coordination.FakeGateway.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution");
        var url = $"http://127.0.0.1:{port}";
        var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "--urls", url, "--user", User, "--password", Password, "--signing-key", signingKey, .. extraArgs])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var server = new FakeGatewayServer(process, url, signingKey);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server._lines) server._lines.Add(e.Data); };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try { if ((await http.GetAsync($"{url}/_fake/received")).IsSuccessStatusCode) return server; }
            catch (HttpRequestException) { }
            if (process.HasExited) break;
            await Task.Delay(100);
        }
        await server.DisposeAsync();
        throw new InvalidOperationException("the fake gateway did not start");
    }

    /// <summary>Waits until the fake prints a line starting with the prefix (e.g. "HOLD").</summary>
    public async Task WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            lock (_lines) if (_lines.Any(l => l.StartsWith(prefix, StringComparison.Ordinal))) return;
            await Task.Delay(20);
        }
        throw new TimeoutException($"the fake gateway never printed {prefix}");
    }

    /// <summary>Everything the phone accepted: count, duplicates (same number and text), tooFast, messages with receivedAt.</summary>
    public async Task<JsonElement> ReceivedAsync()
    {
        using var http = new HttpClient();
        return JsonDocument.Parse(await http.GetStringAsync($"{BaseUrl}/_fake/received")).RootElement.Clone();
    }

    /// <summary>Every webhook delivery attempt the phone made (event, id, attempt, status).</summary>
    public async Task<JsonElement> WebhooksAsync()
    {
        using var http = new HttpClient();
        return JsonDocument.Parse(await http.GetStringAsync($"{BaseUrl}/_fake/webhooks")).RootElement.Clone();
    }

    /// <summary>An SMS arrives at the phone's SIM (the fake posts a signed sms:received); the same deliveryId again re-delivers that event.</summary>
    public async Task<string> InboundAsync(string phoneNumber, string message, string? deliveryId = null)
    {
        using var http = new HttpClient();
        var answer = await http.PostAsJsonAsync($"{BaseUrl}/_fake/inbound", new { phoneNumber, message, deliveryId });
        answer.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("deliveryId").GetString()!;
    }

    /// <summary>Configuration of this phone as gateway <paramref name="index"/> of Sms:Gateways.</summary>
    public Dictionary<string, string?> Settings(int index, string name, double perMinute = 0, int timeoutSeconds = 2) => new()
    {
        [$"Sms:Gateways:{index}:Name"] = name,
        [$"Sms:Gateways:{index}:BaseUrl"] = BaseUrl,
        [$"Sms:Gateways:{index}:User"] = User,
        [$"Sms:Gateways:{index}:Password"] = Password,
        [$"Sms:Gateways:{index}:SigningKey"] = SigningKey,
        [$"Sms:Gateways:{index}:MessagesPerMinute"] = perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"Sms:Gateways:{index}:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
