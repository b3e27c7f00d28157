using Coordination.Api.Alerts.Sms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Coordination.Tests.Sms;

/// <summary>The REST client against the fake Twilio in its own process: outcomes by Twilio's answer, fetch, list, signed callbacks.</summary>
public class TwilioClientTests : IAsyncLifetime
{
    FakeTwilioServer _fake = null!;
    TwilioClient _client = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeTwilioServer.StartAsync();
        _client = Client(FakeTwilioServer.AuthToken);
    }

    TwilioClient Client(string token, int timeoutSeconds = 2) => new(new HttpClient(), Options.Create(new TwilioOptions
    {
        AccountSid = FakeTwilioServer.AccountSid, AuthToken = token, From = "UBND-XA", BaseUrl = _fake.BaseUrl, TimeoutSeconds = timeoutSeconds,
    }));

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task A_message_is_created_fetched_and_listed()
    {
        var body = "Cảnh báo lũ: sông Hiếu dâng cao, sơ tán ngay khỏi bản Hạnh Tiến.";
        var sent = await _client.CreateMessageAsync("+84912345678", body, null, default);
        Assert.Equal(SendOutcomeKind.Accepted, sent.Kind);
        Assert.StartsWith("SM", sent.Sid);
        Assert.Equal("queued", sent.Status);
        Assert.Equal(1, sent.Segments);
        var fetched = await _client.FetchAsync(sent.Sid!, default);
        Assert.Equal(body, fetched!.Body);
        Assert.Equal("UBND-XA", fetched.From);
        var listed = await _client.ListAsync("+84912345678", DateOnly.FromDateTime(DateTime.UtcNow), default);
        Assert.Equal(sent.Sid, Assert.Single(listed).Sid);
        Assert.Empty(await _client.ListAsync("+84987654321", DateOnly.FromDateTime(DateTime.UtcNow), default));
        Assert.Null(await _client.FetchAsync("SM00000000000000000000000000000000", default));
        var received = await _fake.ReceivedAsync();
        Assert.Equal(1, received.GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("+15005550001", SendOutcomeKind.Failed, 21211)]
    [InlineData("+15005550004", SendOutcomeKind.Failed, 21610)]
    [InlineData("+15005550009", SendOutcomeKind.Failed, 21614)]
    [InlineData("+15005550429", SendOutcomeKind.RetryLater, 20429)]
    [InlineData("+15005550500", SendOutcomeKind.Uncertain, null)]
    [InlineData("+15005550408", SendOutcomeKind.Uncertain, null)]   // no answer within the client's time-out
    public async Task Twilios_answers_are_classified(string to, SendOutcomeKind kind, int? code)
    {
        var outcome = await _client.CreateMessageAsync(to, "Thử", null, default);
        Assert.Equal(kind, outcome.Kind);
        Assert.Equal(code, outcome.ErrorCode);
        Assert.Equal(0, (await _fake.ReceivedAsync()).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Wrong_credentials_are_a_final_failure()
    {
        var outcome = await Client("wrong-token").CreateMessageAsync("+84912345678", "Thử", null, default);
        Assert.Equal(SendOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(20003, outcome.ErrorCode);
    }

    [Fact]
    public async Task Status_callbacks_arrive_signed_like_Twilio()
    {
        // A receiver standing in for our webhook: it records what it gets and checks the signature.
        var port = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        port.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)port.LocalEndpoint).Port}/sms/status?m=42";
        port.Stop();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url[..url.IndexOf("/sms", StringComparison.Ordinal)]);
        await using var receiver = builder.Build();
        var got = new System.Collections.Concurrent.ConcurrentQueue<(string Status, bool Valid, bool Forged)>();
        receiver.MapPost("/sms/status", async (HttpRequest r) =>
        {
            var form = (await r.ReadFormAsync()).Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value.ToString())).ToList();
            var signature = r.Headers["X-Twilio-Signature"].ToString();
            got.Enqueue((form.Single(f => f.Key == "MessageStatus").Value,
                TwilioSignature.Verify(FakeTwilioServer.AuthToken, url, form, signature),
                TwilioSignature.Verify("another-token", url, form, signature)));
            return Results.Ok();
        });
        await receiver.StartAsync();
        var sent = await _client.CreateMessageAsync("+84912345678", "Thử callback", url, default);
        Assert.Equal(SendOutcomeKind.Accepted, sent.Kind);
        for (var i = 0; i < 100 && got.Count < 2; i++) await Task.Delay(50);
        Assert.Equal(["sent", "delivered"], got.Select(g => g.Status).ToArray());
        Assert.All(got, g => Assert.True(g.Valid && !g.Forged));
    }
}
