using Coordination.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace Coordination.Api.Alerts;

/// <summary>
/// Demo mode only: three templates so the composer has something to offer. Their registration references say DEMO:
/// a real deployment registers its own with the operators and enters them as an administrator.
/// </summary>
public static class DemoTemplates
{
    public static async Task EnsureAsync(CoordinationDb db, TimeProvider clock, CancellationToken ct = default)
    {
        if (await db.SmsTemplates.AnyAsync(ct)) return;
        var now = clock.GetUtcNow().UtcDateTime;
        SmsTemplate T(string name, string reference, string text) =>
            new() { Name = name, RegistrationRef = reference, Text = text, CreatedAt = now, UpdatedAt = now, CreatedBy = "demo" };
        db.SmsTemplates.AddRange(
            T("Cảnh báo lũ, lũ quét", "DEMO-TPL-01", "[PCTT] Cảnh báo {event} tại {communes} từ {time}. {instruction}"),
            T("Lệnh sơ tán", "DEMO-TPL-02", "[PCTT] Lệnh sơ tán: {communes}. Đến {place} trước {expires}. {instruction}"),
            T("Huỷ cảnh báo", "DEMO-TPL-03", "[PCTT] Huỷ cảnh báo {event} tại {communes}. {instruction}"));
        await db.SaveChangesAsync(ct);
    }
}
