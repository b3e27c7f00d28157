using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Coordination.Api.Alerts.Sms;

// A local server that speaks Twilio's Messages contract (see ../shared/twilio.md as summarised in the README):
//   POST /2010-04-01/Accounts/{AccountSid}/Messages.json   form: To, Body, From | MessagingServiceSid, StatusCallback
//   GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json
//   GET  /2010-04-01/Accounts/{AccountSid}/Messages.json?To=…&DateSent>=yyyy-MM-dd
// It checks Basic auth and the form, answers by recipient (magic numbers below), records what it received
// (GET /_fake/received, with duplicates counted), and sends status callbacks signed like Twilio.
//   --account AC…  --token …  --urls http://127.0.0.1:PORT
//   --hold-after K: the K-th accepted message is stored (Twilio has it) but its answer never comes; the fake prints
//   "HOLD K" on stdout at that moment, so a test can kill the caller exactly in the window between Twilio accepting
//   and the caller recording it.
// Magic To numbers: +15005550001 → 400/21211, +15005550004 → 400/21610, +15005550009 → 400/21614,
//   +15005550429 → 429/20429, +15005550500 → 500, +15005550408 → no answer for 30 s (a timeout).
// Twilio's JSON and dates are written the invariant way whatever the machine's locale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var account = builder.Configuration["account"] ?? "AC00000000000000000000000000000000";
var token = builder.Configuration["token"] ?? "fake-auth-token";
var holdAfter = builder.Configuration.GetValue<int?>("hold-after");
long acceptedCount = 0;
var app = builder.Build();
var messages = new ConcurrentDictionary<string, Sent>();
var order = new ConcurrentQueue<string>();
var callbacks = new HttpClient();
long seq = 0;
var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account}:{token}"));
var prefix = $"/2010-04-01/Accounts/{account}";

IResult Error(int status, int code, string message) =>
    Results.Json(new { code, message, more_info = $"https://www.twilio.com/docs/errors/{code}", status }, statusCode: status);

object Json(Sent m) => new
{
    sid = m.Sid, to = m.To, from = m.From, body = m.Body, status = m.Status, num_segments = m.Segments.ToString(), price = (string?)null,
    error_code = (int?)null, error_message = (string?)null, date_created = m.Created.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", System.Globalization.CultureInfo.InvariantCulture),
    messaging_service_sid = m.Service,
};

bool Authorised(HttpRequest r) => r.Headers.Authorization.ToString() == basic;

app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (string sid, HttpRequest request) =>
{
    if (!Authorised(request) || sid != account) return Error(401, 20003, "Authenticate");
    if (!request.HasFormContentType) return Error(400, 21601, "form-encoded body expected");
    var form = await request.ReadFormAsync();
    string to = form["To"].ToString(), body = form["Body"].ToString(), from = form["From"].ToString(), service = form["MessagingServiceSid"].ToString();
    if (to.Length == 0) return Error(400, 21604, "A 'To' phone number is required.");
    if (from.Length == 0 && service.Length == 0) return Error(400, 21603, "A 'From' phone number or MessagingServiceSid is required.");
    if (body.Length == 0) return Error(400, 21602, "Message body is required.");
    if (body.Length > 1600) return Error(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    switch (to)
    {
        case "+15005550001": return Error(400, 21211, $"The 'To' number {to} is not a valid phone number.");
        case "+15005550004": return Error(400, 21610, "Attempt to send to unsubscribed recipient");
        case "+15005550009": return Error(400, 21614, $"'To' number is not a valid mobile number");
        case "+15005550429": return Error(429, 20429, "Too Many Requests");
        case "+15005550500": return Results.StatusCode(500);
        case "+15005550408": await Task.Delay(TimeSpan.FromSeconds(30)); return Results.StatusCode(504);
    }
    var m = new Sent($"SM{Interlocked.Increment(ref seq):x32}", to, from.Length > 0 ? from : null, service.Length > 0 ? service : null, body,
        SmsText.Count(body).Segments, service.Length > 0 ? "accepted" : "queued", DateTimeOffset.UtcNow, form["StatusCallback"].ToString());
    messages[m.Sid] = m;
    order.Enqueue(m.Sid);
    if (Interlocked.Increment(ref acceptedCount) == holdAfter)
    {
        Console.WriteLine($"HOLD {holdAfter}");
        try { await Task.Delay(Timeout.Infinite, request.HttpContext.RequestAborted); } catch (OperationCanceledException) { }
        return Results.StatusCode(504);
    }
    if (m.Callback.Length > 0)
        _ = Task.Run(async () =>
        {
            foreach (var status in (string[])["sent", "delivered"])
            {
                await Task.Delay(50);
                m.Status = status;
                var fields = new Dictionary<string, string> { ["MessageSid"] = m.Sid, ["SmsSid"] = m.Sid, ["MessageStatus"] = status, ["SmsStatus"] = status,
                    ["AccountSid"] = account, ["To"] = m.To, ["From"] = m.From ?? "", ["ApiVersion"] = "2010-04-01" };
                var post = new HttpRequestMessage(HttpMethod.Post, m.Callback) { Content = new FormUrlEncodedContent(fields) };
                post.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(token, m.Callback, fields));
                try { (await callbacks.SendAsync(post)).Dispose(); } catch (HttpRequestException) { }
            }
        });
    return Results.Json(Json(m), statusCode: 201);
});

app.MapGet("/2010-04-01/Accounts/{sid}/Messages/{messageSid}.json", (string sid, string messageSid, HttpRequest request) =>
    !Authorised(request) || sid != account ? Error(401, 20003, "Authenticate")
    : messages.TryGetValue(messageSid, out var m) ? Results.Json(Json(m)) : Error(404, 20404, "The requested resource was not found"));

app.MapGet("/2010-04-01/Accounts/{sid}/Messages.json", (string sid, HttpRequest request) =>
{
    if (!Authorised(request) || sid != account) return Error(401, 20003, "Authenticate");
    var to = request.Query["To"].ToString();
    DateOnly? since = DateOnly.TryParse(request.Query["DateSent>"].ToString(), out var d) ? d : null;
    var list = order.Select(s => messages[s]).Where(m => (to.Length == 0 || m.To == to) && (since is null || DateOnly.FromDateTime(m.Created.UtcDateTime) >= since))
        .Reverse().Take(50).Select(Json).ToList();
    return Results.Json(new { messages = list, next_page_uri = (string?)null, page = 0, page_size = 50 });
});

// What the fake received: every accepted message, and how many (To, Body) pairs arrived more than once.
// ?summary=1: only count and duplicates (the benchmark's hundreds of thousands of messages would be a huge answer).
app.MapGet("/_fake/received", (HttpRequest request) =>
{
    var all = order.Select(s => messages[s]).ToList();
    var duplicates = all.GroupBy(m => (m.To, m.Body)).Sum(g => g.Count() - 1);
    if (request.Query["summary"] == "1") return Results.Json(new { count = all.Count, duplicates });
    return Results.Json(new
    {
        count = all.Count,
        duplicates,
        messages = all.Select(m => new { m.Sid, m.To, m.Body, m.Status, m.Segments, m.Created }),
    });
});

app.Run();

sealed record Sent(string Sid, string To, string? From, string? Service, string Body, int Segments, string Status, DateTimeOffset Created, string Callback)
{
    public string Status { get; set; } = Status;
}
