using Microsoft.AspNetCore.Mvc;

namespace Coordination.Api.MutualAid.Sms;

/// <summary>
/// The words of the SMS channel's replies: Vietnamese without diacritics (a keypad phone may not show them, and a
/// GSM-7 segment holds 160 characters where UCS-2 holds 70), with the short numbers that thread the conversation
/// (YC 12, de nghi 345). One segment where possible, two at most (<see cref="Clip"/>).
/// </summary>
public static class SmsReplies
{
    /// <summary>Two GSM-7 segments of a concatenated message (153 characters each).</summary>
    public const int MaxChars = 306;
    public const string NoHamlet = "Chưa rõ thôn (SMS)";
    public const string Usage = SmsGrammar.Usage;
    public const string Unregistered = "So nay chua dang ky la so can bo hoac so truc cua xa. Lien he UBND xa de dang ky.";

    /// <summary>The value of a handler's success, or its problem (typed unions unwrapped).</summary>
    public static (object? Value, ProblemDetails? Problem) Unwrap(IResult result) => result switch
    {
        INestedHttpResult nested => Unwrap(nested.Result),
        ProblemHttpResult p => (null, p.ProblemDetails),
        ValidationProblem v => (null, v.ProblemDetails),
        IStatusCodeHttpResult { StatusCode: >= 400 } s => (null, new ProblemDetails { Status = s.StatusCode }),
        IValueHttpResult v => (v.Value, null),
        _ => (null, null),
    };

    public static string CodeOf(ProblemDetails p) => p.Extensions.TryGetValue("code", out var c) && c is string s ? s : Problems.CodeForStatus(p.Status ?? 400);

    static string? Fact(ProblemDetails p, string name) => p.Extensions.TryGetValue(name, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;

    /// <summary>Why the handler refused, in the channel's words: the same refusal as the web's, by its code.</summary>
    public static string Refusal(ProblemDetails p, string verb, int? pledgeId)
    {
        var of = pledgeId is { } id ? $" de nghi {id}" : "";
        return Clip(CodeOf(p) switch
        {
            AidProblems.PledgeNotFound => $"Khong co de nghi so {pledgeId}.",
            AidProblems.RequestNotFound or AidProblems.LineNotFound => "Khong co yeu cau nay.",
            AidProblems.DonorSideOnly => $"Chi xa duoc hoi moi tra loi{of}.",
            AidProblems.RequesterSideOnly => $"Chi xa yeu cau moi lam viec nay voi{of}.",
            CommonProblems.Forbidden => "So nay khong co quyen voi xa do.",
            AidProblems.PledgeState => $"De nghi {pledgeId} dang o trang thai {Word(Fact(p, "state"))}: khong {verb.ToUpperInvariant()} duoc.",
            AidProblems.RequestNotOpen => "Yeu cau khong con mo.",
            AidProblems.NotEnoughStock => $"Khong du trong kho: con {Fact(p, "available") ?? "?"}. Nhan it hon: NHAN {pledgeId} <so>.",
            AidProblems.BelowReserved => $"Khong dat duoi so da cam ket ({Fact(p, "reserved") ?? "?"}).",
            AidProblems.AlreadyAsked => "Xa nay da duoc hoi cho dong nay, dang cho tra loi.",
            AidProblems.DonorAffected => "Xa do dang bi anh huong: chi ban chi huy moi hoi duoc.",
            AidProblems.Consumable => "Hang tieu hao: khong TRA, xac nhan da dung tren web.",
            AidProblems.FieldExceedsLine => "So luong lon hon so yeu cau cua dong.",
            AidProblems.FieldOutsideCommune => "Diem khong nam trong xa.",
            CommonProblems.FieldOutOfRange or CommonProblems.Invalid when verb == "nhan" => $"So luong khong hop le: NHAN {pledgeId} <1..so duoc hoi>.",
            var code => $"Khong thuc hien duoc ({code}).",
        });
    }

    static string Word(string? state) => state switch
    {
        "requested" => "cho tra loi", "accepted" => "da nhan", "declined" => "da tu choi", "cancelled" => "da huy", "dispatched" => "dang di",
        "arrived" => "da den", "returned" => "da tra", "consumed" => "da dung", null => "?", _ => state,
    };

    /// <summary>A type as an SMS user types it: its first alias (THUYEN), else its code.</summary>
    public static string Alias(string type) =>
        (SmsGrammar.DefaultAliases.GetValueOrDefault(type)?.FirstOrDefault() ?? type.Replace("_", "", StringComparison.Ordinal)).ToUpperInvariant();

    static string Amount(int n, string type) => $"{n} {Alias(type).ToLowerInvariant()}";

    /// <summary>A commune's name as typed back in a command: folded, without "Xã"/"Phường", upper case (CHAU KHE).</summary>
    public static string ShortName(string name)
    {
        var key = SearchKey.Fold(name);
        foreach (var kind in new[] { "xa ", "phuong ", "dac khu " })
            if (key.StartsWith(kind, StringComparison.Ordinal)) return key[kind.Length..].ToUpperInvariant();
        return key.ToUpperInvariant();
    }

    public static string TitleCase(string folded) =>
        string.Join(' ', folded.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));

    public static string Filed(RequestDto r, IReadOnlyList<string> suggestions)
    {
        var lines = string.Join(", ", r.Lines.Select(l => Amount(l.Quantity, l.ResourceType)));
        var head = $"Da tao YC {r.Id}: {lines}, {Fold(r.Hamlet)}.";
        if (suggestions.Count == 0) return Clip(head + " Chua co xa goi y: chi huy se xem.");
        // As many suggestions as fit in two segments, whole.
        var text = head + " Goi y: " + suggestions[0];
        foreach (var s in suggestions.Skip(1))
            if (text.Length + 2 + s.Length <= MaxChars) text += "; " + s;
        return Clip(text);
    }

    public static string Asked(PledgeDto p) =>
        Clip($"Da hoi {ShortName(p.DonorName)} {Amount(p.QuantityRequested, p.ResourceType)} cho YC {p.RequestId} (de nghi {p.Id}). Xa do tra loi NHAN/TUCHOI {p.Id}.");

    public static string Done(string verb, PledgeDto p)
    {
        var q = p.QuantityAccepted ?? p.QuantityRequested;
        return Clip(verb switch
        {
            "nhan" => $"Da nhan de nghi {p.Id}: {Amount(q, p.ResourceType)} cho {ShortName(p.RequesterName)} (YC {p.RequestId}). Khi xuat phat: DI {p.Id}.",
            "tuchoi" => $"Da tu choi de nghi {p.Id} cua {ShortName(p.RequesterName)} (YC {p.RequestId}).",
            "di" => $"De nghi {p.Id}: {Amount(q, p.ResourceType)} da xuat phat di {ShortName(p.RequesterName)}. Ben nhan bao DEN {p.Id}.",
            "den" => $"De nghi {p.Id}: {Amount(q, p.ResourceType)} tu {ShortName(p.DonorName)} da den{(p.PersonTurns is { } t ? $", {t} luot nguoi" : "")}. Xong viec: TRA {p.Id}.",
            "tra" => $"De nghi {p.Id}: da tra {Amount(q, p.ResourceType)} ve {ShortName(p.DonorName)}.",
            _ => $"De nghi {p.Id}: {p.Status}.",
        });
    }

    public static string Stock(IReadOnlyList<InventoryDto> items) =>
        Clip("Da cap nhat kho: " + string.Join(", ", items.Select(i => $"{Alias(i.ResourceType).ToLowerInvariant()} {i.OnHand} (san sang {i.Available})")) + ".");

    public static string Status(RequestDto r)
    {
        var state = r.Status switch { "open" => "dang mo", "closed" => "da dong", "cancelled" => "da huy", "draft" => "nhap", _ => r.Status };
        var lines = string.Join("; ", r.Lines.Select(l => $"{Alias(l.ResourceType).ToLowerInvariant()} {l.Quantity}: nhan {l.Pledged}, di {l.InTransit}, den {l.Arrived}, thieu {l.Missing}"));
        return Clip($"YC {r.Id} {ShortName(r.CommuneName)} {state}. {lines}.");
    }

    public static string ConfirmWith(string command, string code, int minutes) =>
        Clip($"{Clip(command, 60)}: tra loi XN {code} de xac nhan (trong {minutes} phut).");

    public static string CodeUnknown(string code) => $"Ma XN {code} khong dung hoac da dung. Gui lai lenh de nhan ma moi.";
    public static string CodeExpired(string code, int minutes) => $"Ma XN {code} da het han ({minutes} phut). Gui lai lenh de nhan ma moi.";
    public static string CommuneOnly(string command) => $"{command} danh cho so cua can bo xa hoac so truc xa. Ban chi huy dung web.";
    public static string NoRequest(int id) => $"Khong co YC so {id}.";
    public static string NoSuchLine(int id, IEnumerable<string> types) => Clip($"YC {id} khong co loai do. Co: {string.Join(", ", types.Select(Alias))}.");
    public static string WhichLine(int id, IEnumerable<string> types) =>
        Clip($"YC {id} co nhieu loai: {string.Join(", ", types.Select(Alias))}. Them loai: HOI {id} <xa> <so> <loai>.");
    public static string NoCommune(string words) => Clip($"Khong tim thay xa \"{Clip(words.ToUpperInvariant(), 30)}\". Dung ten xa hoac ma xa 5 so.");
    public static string WhichCommune(int id, int quantity, IEnumerable<(string Code, string Name)> candidates) =>
        Clip($"Co nhieu xa: {string.Join("; ", candidates.Take(5).Select(c => $"{c.Code} {ShortName(c.Name)}"))}. Gui HOI {id} <ma xa> {quantity}.");

    static string Fold(string text) => SearchKey.Unaccent(text);

    public static string Clip(string text, int max = MaxChars) => text.Length <= max ? text : text[..(max - 2)] + "..";
}
