using Coordination.Api.Alerts;
using Coordination.Api.Alerts.Sms;

namespace Coordination.Tests.Sms;

/// <summary>The Android gateway client against the fake phone in its own process: outcomes by the phone's answer, state by our id, webhook registration.</summary>
public class GatewayClientTests : IAsyncLifetime
{
    FakeGatewayServer _phone = null!;

    public async Task InitializeAsync() => _phone = await FakeGatewayServer.StartAsync();

    public async Task DisposeAsync() => await _phone.DisposeAsync();

    GatewayClient Client(string password = FakeGatewayServer.Password, string? url = null) => new(new HttpClient(), new GatewayOptions
    {
        Name = "test", BaseUrl = url ?? _phone.BaseUrl, User = FakeGatewayServer.User, Password = password, TimeoutSeconds = 2,
    });

    [Fact]
    public async Task A_message_goes_with_our_id_and_is_found_by_it()
    {
        var client = Client();
        Assert.Null(await client.GetAsync(41, default));   // the phone never had it: 404
        var sent = await client.SendAsync(41, "+84912345678", "Cảnh báo lũ: sơ tán ngay.", default);
        Assert.Equal(SendOutcomeKind.Accepted, sent.Kind);
        var state = await client.GetAsync(41, default);
        Assert.Equal("m-41", state!.Id);
        Assert.NotNull(SmsStatus.FromGateway(state.RecipientState));
        var at = (await _phone.ReceivedAsync()).GetProperty("messages")[0];
        Assert.Equal(("m-41", "+84912345678", "Cảnh báo lũ: sơ tán ngay."),
            (at.GetProperty("id").GetString(), at.GetProperty("phoneNumber").GetString(), at.GetProperty("text").GetString()));
        // The same id again: the phone has it — uncertain (look it up), never a second message.
        Assert.Equal(SendOutcomeKind.Uncertain, (await client.SendAsync(41, "+84912345678", "Cảnh báo lũ: sơ tán ngay.", default)).Kind);
        Assert.Equal(1, (await _phone.ReceivedAsync()).GetProperty("count").GetInt32());
        Assert.Equal(41, GatewayClient.OutboxId("m-41"));
        Assert.Null(GatewayClient.OutboxId("Xyz"));
        Assert.Null(GatewayClient.OutboxId("m-4x"));
    }

    [Theory]
    [InlineData("+84900000400", SendOutcomeKind.Failed)]       // refused: final
    [InlineData("+84900000500", SendOutcomeKind.Uncertain)]    // 5xx: may exist
    [InlineData("+84900000503", SendOutcomeKind.RetryLater)]   // SIM not ready: nothing taken
    [InlineData("+84900000408", SendOutcomeKind.Uncertain)]    // no answer within the timeout
    public async Task Outcomes_follow_the_phones_answer(string to, SendOutcomeKind expected) =>
        Assert.Equal(expected, (await Client().SendAsync(7, to, "Thử", default)).Kind);

    [Fact]
    public async Task Wrong_credentials_and_a_phone_that_is_off_take_nothing_and_are_tried_later()
    {
        Assert.Equal(SendOutcomeKind.RetryLater, (await Client("wrong").SendAsync(1, "+84912345678", "Thử", default)).Kind);
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var closed = $"http://127.0.0.1:{((IPEndPoint)l.LocalEndpoint).Port}";
        l.Stop();
        Assert.Equal(SendOutcomeKind.RetryLater, (await Client(url: closed).SendAsync(1, "+84912345678", "Thử", default)).Kind);
        Assert.Equal(0, (await _phone.ReceivedAsync()).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Webhooks_are_registered_for_the_four_events_and_registering_again_replaces_them()
    {
        var client = Client();
        await client.RegisterWebhooksAsync("http://127.0.0.1:9/api/sms/gateways/test/events", default);
        await client.RegisterWebhooksAsync("http://127.0.0.1:9/api/sms/gateways/test/events", default);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeGatewayServer.User}:{FakeGatewayServer.Password}")));
        var hooks = JsonDocument.Parse(await http.GetStringAsync($"{_phone.BaseUrl}/webhooks")).RootElement.EnumerateArray()
            .Select(h => h.GetProperty("event").GetString()!).Order().ToArray();
        Assert.Equal(["sms:delivered", "sms:failed", "sms:received", "sms:sent"], hooks);
    }
}
