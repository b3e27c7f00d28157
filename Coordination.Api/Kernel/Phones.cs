using PhoneNumbers;

namespace Coordination.Api.Kernel;

/// <summary>Region: libphonenumber's region of the number ("VN" for +84).</summary>
public sealed record PhoneResult(string? E164, string? Error, string? Region = null);

/// <summary>
/// Phone numbers to E.164 with libphonenumber (Vietnam as the default region): "0912 345 678" → "+84912345678".
/// Only mobile numbers can receive an SMS: landlines and invalid numbers are refused with a reason. The number
/// type comes from libphonenumber's metadata rather than a hand-kept prefix list (carriers add prefixes).
/// </summary>
public static class Phones
{
    static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static PhoneResult Normalise(string? input, string region = "VN")
    {
        var text = input?.Normalize(System.Text.NormalizationForm.FormKC).Trim();
        if (string.IsNullOrEmpty(text)) return new(null, "the phone number is empty");
        if (text.Length > 30) return new(null, "the phone number is too long");
        PhoneNumber number;
        try { number = Util.Parse(text, region); }
        catch (NumberParseException e) { return new(null, $"'{input}' is not a phone number ({e.ErrorType})"); }
        if (!Util.IsValidNumber(number)) return new(null, $"'{input}' is not a valid number");
        var type = Util.GetNumberType(number);
        if (type is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE))
            return new(null, type == PhoneNumberType.FIXED_LINE
                ? $"'{input}' is a landline: it cannot receive SMS"
                : $"'{input}' is not a mobile number ({type})");
        return new(Util.Format(number, PhoneNumberFormat.E164), null, Util.GetRegionCodeForNumber(number));
    }

    /// <summary>
    /// A number that may subscribe to a Vietnamese commune: a mobile, and Vietnamese unless foreign numbers are
    /// allowed (Sms:AllowForeignNumbers).
    /// </summary>
    public static PhoneResult Subscriber(string? input, bool allowForeign)
    {
        var p = Normalise(input);
        if (p.E164 is null || allowForeign || p.Region == "VN") return p;
        return new(null, $"'{input?.Trim()}' is not a Vietnamese mobile number (+84): commune subscribers must be Vietnamese mobiles (Sms:AllowForeignNumbers)", p.Region);
    }
}
