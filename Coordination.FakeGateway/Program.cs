using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordination.Api.Alerts.Sms;

// A local server that speaks the Android SMS-gateway app's local API (capcom6/android-sms-gateway, local server mode):
//   POST /message          Basic auth; {id?, textMessage: {text} | message, phoneNumbers: [..], simNumber?, withDeliveryReport?}
//                          → 202 {id, state, recipients: [{phoneNumber, state}]}; an id it already has → 409
//   GET  /message/{id}     → 200 {id, state, recipients: [{phoneNumber, state, error?}]} | 404
//   POST /webhooks         {id?, url, event} (sms:received | sms:sent | sms:delivered | sms:failed); same id replaces; GET /webhooks lists
// Events are posted to the registered URLs as the app does: {deviceId, event, id (delivery id), payload, webhookId},
// signed with X-Signature = hex HMAC-SHA256(signing key, body + X-Timestamp), retried with backoff on a non-2xx answer.
// For tests and the bench:
//   GET  /_fake/received   every accepted message with the time it arrived, duplicates (phone, text) counted, and how
//                          many arrived faster than --per-minute allows (tooFast); ?summary=1 without the messages
//   POST /_fake/inbound    {phoneNumber, message, deliveryId?}: an SMS arrives at the SIM → signed sms:received; the
//                          same deliveryId again re-delivers the same event (same delivery id, same message id)
//   GET  /_fake/webhooks   every event delivery attempt (event, delivery id, HTTP status)
//   --user sms --password … --signing-key … --urls http://127.0.0.1:PORT --device-id …
//   --per-minute N: the SIM's rate; a message arriving less than one interval (60/N s) after the one two before it
//   — three within one interval, about twice the rate, beyond what timer and network jitter explain — is refused
//   with 429 and counted in tooFast (a paced sender never sees it)
//   --hold-after K: the K-th accepted message is stored (the phone has it) but its answer never comes; prints
//   "HOLD K" at that moment, so a test can kill the caller between the phone accepting and the caller recording it.
// Magic numbers: +84900000400 → 400, +84900000500 → 500 (nothing stored), +84900000408 → stored, answered after
//   30 s (a timeout), +84900000503 → 503 (nothing stored), +84900000777 → accepted, then sms:failed.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var user = builder.Configuration["user"] ?? "sms";
var password = builder.Configuration["password"] ?? "fake-gateway-password";
var signingKey = builder.Configuration["signing-key"] ?? "fake-signing-key";
var deviceId = builder.Configuration["device-id"] ?? "fake-device-1";
var holdAfter = builder.Configuration.GetValue<int?>("hold-after");
var perMinute = builder.Configuration.GetValue<double?>("per-minute");
var app = builder.Build();
var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
var messages = new ConcurrentDictionary<string, Sent>();
var order = new ConcurrentQueue<string>();
var hooks = new ConcurrentDictionary<string, Hook>();
var deliveries = new ConcurrentQueue<object>();
var inbound = new ConcurrentDictionary<string, string>();   // delivery id → signed body, for re-delivery
var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
var gate = new object();
var lastTwo = new Queue<DateTimeOffset>();   // arrival times of the last two accepted messages
long accepted = 0, tooFast = 0, seq = 0;
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);

bool Authorised(HttpRequest r) => r.Headers.Authorization.ToString() == basic;
IResult Problem(int status, string message) => Results.Json(new { message }, statusCode: status);
object State(Sent m) => new
{
    id = m.Id, state = m.State, isHashed = false, isEncrypted = false,
    recipients = new[] { new { phoneNumber = m.Phone, state = m.State, error = m.Error } },
};

// Posts one event to every URL registered for it, signed, retrying with backoff while the app answers non-2xx.
async Task PostEventAsync(string evt, string deliveryId, object payload, string? rawOverride = null)
{
    foreach (var hook in hooks.Values.Where(h => h.Event == evt))
    {
        var raw = rawOverride ?? JsonSerializer.Serialize(new { deviceId, @event = evt, id = deliveryId, payload, webhookId = hook.Id }, json);
        if (evt == "sms:received") inbound[deliveryId] = raw;
        var body = Encoding.UTF8.GetBytes(raw);
        for (var attempt = 0; attempt < 6; attempt++)
        {
            if (attempt > 0) await Task.Delay(TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt - 1)));
            var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            using var post = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
            post.Content.Headers.ContentType = new("application/json");
            post.Headers.Add(GatewayEventSignature.TimestampHeader, ts);
            post.Headers.Add(GatewayEventSignature.SignatureHeader, GatewayEventSignature.Compute(signingKey, body, ts));
            int status;
            try { using var answer = await http.SendAsync(post); status = (int)answer.StatusCode; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { status = 0; }
            deliveries.Enqueue(new { @event = evt, id = deliveryId, attempt, status, at = DateTimeOffset.UtcNow });
            if (status is >= 200 and < 300) break;
        }
    }
}

app.MapPost("/message", async (HttpRequest request) =>
{
    if (!Authorised(request)) return Problem(401, "Unauthorized");
    JsonNode? body;
    try { body = await JsonNode.ParseAsync(request.Body); }
    catch (JsonException e) { return Problem(400, "invalid JSON: " + e.Message); }
    var text = body?["textMessage"]?["text"]?.GetValue<string>() ?? body?["message"]?.GetValue<string>();
    var phones = body?["phoneNumbers"] as JsonArray;
    if (string.IsNullOrEmpty(text)) return Problem(400, "textMessage.text is required");
    if (phones is null || phones.Count == 0) return Problem(400, "phoneNumbers is required");
    var phone = phones[0]!.GetValue<string>();
    switch (phone)
    {
        case "+84900000400": return Problem(400, "invalid phone number");
        case "+84900000500": return Results.StatusCode(500);
        case "+84900000503": return Problem(503, "SIM not ready");
    }
    var id = body?["id"]?.GetValue<string>() ?? $"fake{Interlocked.Increment(ref seq)}";
    var now = DateTimeOffset.UtcNow;
    lock (gate)
    {
        if (perMinute is > 0 && lastTwo.Count == 2 && (now - lastTwo.Peek()).TotalSeconds < 60 / perMinute.Value)
        {
            tooFast++;
            return Problem(429, "too many messages for this SIM");
        }
        if (messages.ContainsKey(id)) return Problem(409, $"message {id} exists");
        lastTwo.Enqueue(now);
        if (lastTwo.Count > 2) lastTwo.Dequeue();
    }
    var m = new Sent(id, phone, text, body?["simNumber"]?.GetValue<int>(), now) { State = "Pending" };
    messages[id] = m;
    order.Enqueue(id);
    if (Interlocked.Increment(ref accepted) == holdAfter)
    {
        Console.WriteLine($"HOLD {holdAfter}");
        try { await Task.Delay(Timeout.Infinite, request.HttpContext.RequestAborted); } catch (OperationCanceledException) { }
        return Results.StatusCode(504);
    }
    var report = body?["withDeliveryReport"]?.GetValue<bool>() ?? true;
    _ = Task.Run(async () =>
    {
        await Task.Delay(50);
        m.State = "Processed";
        await Task.Delay(50);
        var sim = m.Sim ?? 1;
        if (phone == "+84900000777")
        {
            m.State = "Failed";
            m.Error = "RESULT_ERROR_GENERIC_FAILURE";
            await PostEventAsync("sms:failed", Guid.NewGuid().ToString("N"), new { messageId = id, phoneNumber = phone, simNumber = sim, failedAt = DateTimeOffset.UtcNow, reason = m.Error });
            return;
        }
        m.State = "Sent";
        await PostEventAsync("sms:sent", Guid.NewGuid().ToString("N"), new { messageId = id, phoneNumber = phone, simNumber = sim, sentAt = DateTimeOffset.UtcNow });
        if (!report) return;
        await Task.Delay(50);
        m.State = "Delivered";
        await PostEventAsync("sms:delivered", Guid.NewGuid().ToString("N"), new { messageId = id, phoneNumber = phone, simNumber = sim, deliveredAt = DateTimeOffset.UtcNow });
    });
    if (phone == "+84900000408") await Task.Delay(TimeSpan.FromSeconds(30));
    return Results.Json(State(m), statusCode: 202);
});

app.MapGet("/message/{id}", (string id, HttpRequest request) =>
    !Authorised(request) ? Problem(401, "Unauthorized")
    : messages.TryGetValue(id, out var m) ? Results.Json(State(m)) : Problem(404, "message not found"));

app.MapPost("/webhooks", async (HttpRequest request) =>
{
    if (!Authorised(request)) return Problem(401, "Unauthorized");
    JsonNode? body;
    try { body = await JsonNode.ParseAsync(request.Body); }
    catch (JsonException e) { return Problem(400, "invalid JSON: " + e.Message); }
    var url = body?["url"]?.GetValue<string>();
    var evt = body?["event"]?.GetValue<string>();
    if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out _)) return Problem(400, "url is required");
    if (evt is not ("sms:received" or "sms:sent" or "sms:delivered" or "sms:failed")) return Problem(400, "unknown event");
    var hook = new Hook(body?["id"]?.GetValue<string>() ?? Guid.NewGuid().ToString("N"), url, evt);
    hooks[hook.Id] = hook;
    return Results.Json(hook, statusCode: 201);
});
app.MapGet("/webhooks", (HttpRequest request) => Authorised(request) ? Results.Json(hooks.Values) : Problem(401, "Unauthorized"));

app.MapGet("/_fake/received", (HttpRequest request) =>
{
    var all = order.Select(id => messages[id]).ToList();
    var duplicates = all.GroupBy(m => (m.Phone, m.Text)).Sum(g => g.Count() - 1);
    if (request.Query["summary"] == "1") return Results.Json(new { count = all.Count, duplicates, tooFast = Interlocked.Read(ref tooFast) });
    return Results.Json(new
    {
        count = all.Count, duplicates, tooFast = Interlocked.Read(ref tooFast),
        messages = all.Select(m => new { m.Id, phoneNumber = m.Phone, text = m.Text, state = m.State, simNumber = m.Sim, receivedAt = m.At }),
    });
});

app.MapPost("/_fake/inbound", async (HttpRequest request) =>
{
    JsonNode? body;
    try { body = await JsonNode.ParseAsync(request.Body); }
    catch (JsonException e) { return Problem(400, "invalid JSON: " + e.Message); }
    var deliveryId = body?["deliveryId"]?.GetValue<string>();
    if (deliveryId is not null && inbound.TryGetValue(deliveryId, out var raw))
    {
        await PostEventAsync("sms:received", deliveryId, null!, raw);   // the same event again, as the app's retry would send it
        return Results.Json(new { deliveryId, redelivered = true });
    }
    var phone = body?["phoneNumber"]?.GetValue<string>();
    var text = body?["message"]?.GetValue<string>();
    if (phone is null || text is null) return Problem(400, "phoneNumber and message are required");
    deliveryId ??= Guid.NewGuid().ToString("N");
    var messageId = $"in{Interlocked.Increment(ref seq)}";
    await PostEventAsync("sms:received", deliveryId, new { messageId, message = text, phoneNumber = phone, simNumber = 1, receivedAt = DateTimeOffset.UtcNow });
    return Results.Json(new { deliveryId, messageId, redelivered = false });
});

app.MapGet("/_fake/webhooks", () => Results.Json(deliveries.ToArray()));

app.Run();

sealed record Hook(string Id, string Url, string Event);

sealed record Sent(string Id, string Phone, string Text, int? Sim, DateTimeOffset At)
{
    public string State { get; set; } = "Pending";
    public string? Error { get; set; }
}
