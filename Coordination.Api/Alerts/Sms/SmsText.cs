// Also compiled into the fake Twilio (no global usings there).
using System.Globalization;
using System.Text;

namespace Coordination.Api.Alerts.Sms;

public sealed record SegmentCount(string Encoding, int Characters, int Segments, int PerSegment);

/// <summary>
/// What an SMS costs: NFC first (decomposed diacritics would count extra), then GSM-7 if every character is in the
/// GSM 03.38 default alphabet or its extension table (extension characters count twice), else UCS-2 counted in
/// UTF-16 code units. GSM-7: 160 in one SMS, 153 per segment; UCS-2: 70, 67 per segment.
/// </summary>
public static class SmsText
{
    const string Gsm7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    const string Gsm7Extension = "^{}\\[~]|€\f";

    public static SegmentCount Count(string text)
    {
        text = text.Normalize(NormalizationForm.FormC);
        var septets = 0;
        var gsm = true;
        foreach (var ch in text)
        {
            if (Gsm7.Contains(ch)) septets++;
            else if (Gsm7Extension.Contains(ch)) septets += 2;
            else { gsm = false; break; }
        }
        if (gsm) return new("GSM-7", septets, septets <= 160 ? 1 : (septets + 152) / 153, septets <= 160 ? 160 : 153);
        var units = text.Length;   // UTF-16 code units, as UCS-2 counts them
        return new("UCS-2", units, units <= 70 ? 1 : (units + 66) / 67, units <= 70 ? 70 : 67);
    }

    /// <summary>
    /// Vietnamese without diacritics (không dấu), case kept: every tone and vowel mark removed, đ→d, Đ→D. Stripping
    /// combining marks after NFD alone would miss đ/Đ, which are letters of their own.
    /// </summary>
    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(ch switch { 'đ' => 'd', 'Đ' => 'D', _ => ch });
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
