namespace Coordination.Api.Kernel;

/// <summary>
/// Folds Vietnamese text to a search key: NFC-agnostic, lower case, diacritics removed, đ→d,
/// punctuation to spaces, whitespace collapsed. "Châu Khê", "chau khe" and "CHÂU KHÊ" fold alike;
/// so do the two spellings "Hoà"/"Hòa" that NFC alone does not unify.
/// </summary>
public static class SearchKey
{
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var ch in decomposed)
        {
            var cat = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (cat == UnicodeCategory.NonSpacingMark) continue;
            // đ/Đ are letters of their own, not d + a combining mark: NFD leaves them intact.
            var c = ch switch { 'đ' or 'Đ' => 'd', _ => char.ToLowerInvariant(ch) };
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && sb.Length > 0) sb.Append(' ');
                pendingSpace = false;
                sb.Append(c);
            }
            else pendingSpace = true;
        }
        return sb.ToString();
    }

    /// <summary>The text without its diacritics (đ → d), case, spacing and punctuation kept: what an SMS without diacritics shows (the alerts' SmsText.Fold is the same, kept apart because the fake Twilio compiles it alone).</summary>
    public static string Unaccent(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(ch switch { 'đ' => 'd', 'Đ' => 'D', _ => ch });
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>NFC form of user text, trimmed; null stays null.</summary>
    public static string? Nfc(string? text) => text?.Trim().Normalize(NormalizationForm.FormC);
}
