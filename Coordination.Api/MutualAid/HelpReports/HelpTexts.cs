namespace Coordination.Api.MutualAid.HelpReports;

/// <summary>
/// What a citizen who asked for help is told by SMS, in Vietnamese, and how it is shortened. A reply goes without
/// diacritics when the citizen wrote without them (the phone may not show them; GSM-7 fits 160 characters in one SMS
/// where Vietnamese letters force UCS-2 and 70). A reply names only the citizen's own report and public places —
/// never another citizen's report, name or number.
/// </summary>
public static class HelpTexts
{
    /// <summary>One GSM-7 SMS.</summary>
    public const int OneSms = 160;

    /// <summary>Vietnamese without diacritics, case kept (đ→d, Đ→D): the kernel's, the same folding the SMS alerts use.</summary>
    public static string Fold(string text) => SearchKey.Unaccent(text);

    /// <summary>Written without a single diacritic (the reply then goes không dấu).</summary>
    public static bool IsPlain(string text) => Fold(text) == text;

    /// <summary>As the citizen is answered: folded when they wrote without diacritics.</summary>
    public static string For(bool plain, string text) => plain ? Fold(text) : text;

    /// <summary>
    /// A number shown to someone who does not act for the report's commune: country code, the first two digits and the
    /// last three ("+8491****678").
    /// </summary>
    public static string Mask(string phone)
    {
        if (phone.Length < 8) return new string('*', phone.Length);
        var head = phone.StartsWith("+84", StringComparison.Ordinal) ? 5 : 4;
        return phone[..head] + new string('*', phone.Length - head - 3) + phone[^3..];
    }

    /// <summary>A commune as a sentence names it: its kind and name, "xã Con Cuông" (callers pass kind + " " + name).</summary>
    public static string Inline(string communeName) =>
        communeName.Length > 0 && char.IsUpper(communeName[0]) ? char.ToLowerInvariant(communeName[0]) + communeName[1..] : communeName;

    /// <summary>Shortened with "..." (GSM-7 has no ellipsis character).</summary>
    static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 3)].TrimEnd() + "...";

    /// <summary>
    /// The acknowledgement, at once: the report's number, how many people, where, the commune. The place is shortened
    /// until the không dấu form fits one SMS.
    /// </summary>
    public static string Received(int id, int? people, string? place, string communeName, bool plain)
    {
        string Build(string? p)
        {
            var where = string.IsNullOrEmpty(p) ? Inline(communeName) : $"{p}, {Inline(communeName)}";
            var who = people is { } n ? $"{n} người ở {where}" : where;
            return $"Đã nhận tin CỨU #{id} của bạn: {who}. Xã sẽ liên hệ. Gọi 112 nếu khẩn cấp.";
        }
        var text = Build(place);
        for (var max = 40; Fold(text).Length > OneSms && max >= 8 && place is not null; max -= 8)
            text = Build(Clip(place, max));
        return For(plain, text);
    }

    /// <summary>The commune could not be told from the text nor from a subscription.</summary>
    public static string WhichCommune(bool plain) => For(plain,
        "Chưa rõ bạn ở xã nào. Nhắn lại: CỨU <thôn/bản> <xã> <số người> <cần gì>, vd CỨU Tiến Thành Con Cuông 12 nước ngập. Gọi 112 nếu khẩn cấp.");

    /// <summary>Too many reports from this number in the window: nothing filed.</summary>
    public static string TooMany(bool plain) => For(plain, "Xã đã nhận các tin CỨU của số này và sẽ liên hệ. Gọi 112 nếu khẩn cấp.");

    /// <summary>The same message id arrived again from another number: nothing about the first one is said.</summary>
    public static string AlreadyReceived(bool plain) => For(plain, "Tin này đã được nhận. Gọi 112 nếu khẩn cấp.");

    /// <summary>The number could not be read: no report (a reply may not even reach it).</summary>
    public static string NoNumber(bool plain) => For(plain, "Không đọc được số điện thoại. Gọi 112 nếu khẩn cấp.");

    /// <summary>The second SMS, through the outbox, when someone who acts for the commune dealt with the report.</summary>
    public static string Outcome(string status, int id, string communeName, bool plain) => For(plain, status switch
    {
        HelpReportStatus.Converted => $"{Upper(Inline(communeName))} đã lập yêu cầu hỗ trợ cho tin CỨU #{id} của bạn và đang điều người, phương tiện.",
        HelpReportStatus.Duplicate => $"{Upper(Inline(communeName))} đã nhận tin CỨU #{id} của bạn cùng với tin báo cùng việc và đang xử lý.",
        _ => $"{Upper(Inline(communeName))} đã xử lý tin CỨU #{id} của bạn. Gọi 112 nếu khẩn cấp.",
    });

    static string Upper(string s) => s.Length > 0 ? char.ToUpperInvariant(s[0]) + s[1..] : s;

    /// <summary>A number as people dial it in Vietnam: +84912345678 → 0912345678 (others stay E.164).</summary>
    public static string Dial(string phone) => phone.StartsWith("+84", StringComparison.Ordinal) ? "0" + phone[3..] : phone;

    /// <summary>
    /// To those who act for the commune, as a report arrives — the only ones who see its number in full. The number
    /// comes first, so a leader reading the notification relayed by SMS to a keypad phone can call back even when the
    /// text is shortened.
    /// </summary>
    public static NotificationText Reported(int id, string phone, int? people, string? place, string? what)
    {
        var whatPart = string.IsNullOrEmpty(what) ? "" : $": {Clip(what, 80)}";
        var whereVi = string.IsNullOrEmpty(place) ? "" : $" ở {place}";
        var whereEn = string.IsNullOrEmpty(place) ? "" : $" at {place}";
        var dial = Dial(phone);
        return people is { } n
            ? new($"Tin CỨU #{id} (gọi lại {dial}): {n} người{whereVi} cần giúp{whatPart}.",
                $"Help report #{id} (call back {dial}): {n} {(n == 1 ? "person" : "people")}{whereEn} need help{whatPart}.")
            : new($"Tin CỨU #{id} (gọi lại {dial}){whereVi}: cần giúp{whatPart}.", $"Help report #{id} (call back {dial}){whereEn}: help needed{whatPart}.");
    }
}
