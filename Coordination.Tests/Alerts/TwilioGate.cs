using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coordination.Tests.Alerts;

/// <summary>
/// The way to Twilio as a test controls it: a local HTTP relay in front of the fake Twilio that passes the first
/// <c>pass</c> message creations on and holds every later one without passing it on (Twilio never hears of it, the
/// caller never gets an answer). A dispatcher pointed at the gate can be killed in exactly the window between
/// claiming a batch and reaching Twilio, with no hook in the dispatcher itself. Everything else (fetch, list) is
/// relayed as is.
/// </summary>
public sealed class TwilioGate : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _creates;

    public string BaseUrl { get; }

    TwilioGate(WebApplication app, string baseUrl) => (_app, BaseUrl) = (app, baseUrl);

    /// <summary>A gate in front of Twilio (message creations: POST …/Messages.json), or of any provider whose sends <paramref name="isSend"/> recognises by path (the Android gateway: POST /message).</summary>
    public static async Task<TwilioGate> StartAsync(string twilioBaseUrl, int pass, Func<string, bool>? isSend = null)
    {
        isSend ??= path => path.EndsWith("/Messages.json", StringComparison.Ordinal);
        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var gate = new TwilioGate(app, $"http://127.0.0.1:{port}");
        var upstream = new HttpClient { BaseAddress = new Uri(twilioBaseUrl) };
        app.Run(async context =>
        {
            var request = context.Request;
            if (HttpMethods.IsPost(request.Method) && isSend(request.Path.Value!)
                && Interlocked.Increment(ref gate._creates) > pass)
            {
                gate._holding.TrySetResult();
                try { await Task.Delay(Timeout.Infinite, context.RequestAborted); } catch (OperationCanceledException) { }
                return;
            }
            using var relay = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString);
            if (request.ContentLength > 0 || request.Headers.ContainsKey("Transfer-Encoding"))
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                relay.Content = new ByteArrayContent(body.ToArray());
                if (request.ContentType is { } type) relay.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
            foreach (var h in new[] { "Authorization", "Accept" })
                if (request.Headers.TryGetValue(h, out var v)) relay.Headers.TryAddWithoutValidation(h, v.ToString());
            using var answer = await upstream.SendAsync(relay, context.RequestAborted);
            context.Response.StatusCode = (int)answer.StatusCode;
            if (answer.Content.Headers.ContentType is { } ct) context.Response.ContentType = ct.ToString();
            await answer.Content.CopyToAsync(context.Response.Body);
        });
        await app.StartAsync();
        return gate;
    }

    /// <summary>Completes when the first message creation beyond the passed ones has arrived and is being held.</summary>
    public Task WaitHoldingAsync(TimeSpan timeout) => _holding.Task.WaitAsync(timeout);

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
