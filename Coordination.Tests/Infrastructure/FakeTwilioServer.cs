using System.Diagnostics;
using System.Net.Sockets;
using Coordination.Api.Infrastructure;

namespace Coordination.Tests.Infrastructure;

/// <summary>
/// Coordination.FakeTwilio as a separate process on a free local port: the SMS code talks to it over TCP exactly as
/// it would to Twilio. Disposing kills it.
/// </summary>
public sealed class FakeTwilioServer : IAsyncDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef", AuthToken = "test-auth-token-5b1e";
    readonly Process _process;
    public string BaseUrl { get; }

    FakeTwilioServer(Process process, string baseUrl) => (_process, BaseUrl) = (process, baseUrl);

    readonly List<string> _lines = [];

    /// <summary>Waits until the fake prints a line starting with the prefix (e.g. "HOLD").</summary>
    public async Task WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            lock (_lines) if (_lines.Any(l => l.StartsWith(prefix, StringComparison.Ordinal))) return;
            await Task.Delay(20);
        }
        throw new TimeoutException($"the fake Twilio never printed {prefix}");
    }

    public static async Task<FakeTwilioServer> StartAsync(params string[] extraArgs)
    {
        var port = FreePort();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(EmbeddedPostgres.RepositoryRoot(), "Coordination.FakeTwilio", "bin", configuration, "net10.0", "Coordination.FakeTwilio.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution");
        var url = $"http://127.0.0.1:{port}";
        var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "--urls", url, "--account", AccountSid, "--token", AuthToken, .. extraArgs])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var server = new FakeTwilioServer(process, url);
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
        throw new InvalidOperationException("the fake Twilio did not start");
    }

    public async Task<JsonElement> ReceivedAsync()
    {
        using var http = new HttpClient();
        return JsonDocument.Parse(await http.GetStringAsync($"{BaseUrl}/_fake/received")).RootElement.Clone();
    }

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
