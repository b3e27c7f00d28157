namespace Coordination.Api.Alerts;

/// <summary>
/// Demo mode only: three templates so the composer has something to offer (two warnings, one cancellation). Their registration references say DEMO:
/// a real deployment registers its own with the operators and enters them as an administrator.
/// </summary>
public static class DemoTemplates
{
    public const string CancelName = "Hủy cảnh báo (hết hiệu lực)";
    public const string CancelText = "[PCTT] Hủy cảnh báo {event} tại {communes}: cảnh báo trước đó không còn hiệu lực từ {time}.";

    public static async Task EnsureAsync(CoordinationDb db, TimeProvider clock, CancellationToken ct = default)
    {
        if (await db.SmsTemplates.AnyAsync(ct)) return;
        var now = clock.GetUtcNow().UtcDateTime;
        SmsTemplate T(string name, string reference, string text, string kind = TemplateKind.Warning) =>
            new() { Name = name, RegistrationRef = reference, Text = text, Kind = kind, CreatedAt = now, UpdatedAt = now, CreatedBy = "demo" };
        db.SmsTemplates.AddRange(
            T("Cảnh báo lũ, lũ quét", "DEMO-TPL-01", "[PCTT] Cảnh báo {event} tại {communes} từ {time}. {instruction}"),
            T("Lệnh sơ tán", "DEMO-TPL-02", "[PCTT] Lệnh sơ tán: {communes}. Đến {place} trước {expires}. {instruction}"),
            // No {instruction}: a cancellation must not carry the warning's "move to high ground" back to people.
            T(CancelName, "DEMO-TPL-03", CancelText, TemplateKind.Cancel));
        await db.SaveChangesAsync(ct);
    }
}
