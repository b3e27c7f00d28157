namespace Coordination.Api.MutualAid.Sms;

/// <summary>What an official's SMS asks for, once read (issue 14: the leaders' SMS channel). Numbers are as written.</summary>
public abstract record SmsCommand
{
    /// <summary><c>YC THUYEN 6 DQ 20 TIEN THANH</c>: a request for the sender's commune, its lines and (optionally) the hamlet.</summary>
    public sealed record FileRequest(IReadOnlyList<(string ResourceType, int Quantity)> Lines, string? Hamlet) : SmsCommand;
    /// <summary><c>HOI 12 CHAU KHE 5 [THUYEN]</c>: ask a commune (named as folded words) for some of a request's line.</summary>
    public sealed record Ask(int RequestId, string Donor, int Quantity, string? ResourceType) : SmsCommand;
    /// <summary><c>NHAN 345 [4]</c>: accept an ask, all of it or fewer.</summary>
    public sealed record Accept(int PledgeId, int? Quantity) : SmsCommand;
    /// <summary><c>TUCHOI 345</c>, <c>DI 345</c>, <c>TRA 345</c>: decline, dispatched, returned.</summary>
    public sealed record Move(string Verb, int PledgeId) : SmsCommand;
    /// <summary><c>DEN 345 [900]</c>: arrived, with the person-turns for forces.</summary>
    public sealed record Arrive(int PledgeId, int? PersonTurns) : SmsCommand;
    /// <summary><c>KHO THUYEN 5 [AOPHAO 40]</c>: the commune's stock on hand.</summary>
    public sealed record SetStock(IReadOnlyList<(string ResourceType, int OnHand)> Items) : SmsCommand;
    /// <summary><c>TT 12</c>: a request's status.</summary>
    public sealed record Status(int RequestId) : SmsCommand;
    /// <summary><c>XN 4821</c>: confirms the action the code was sent for.</summary>
    public sealed record Confirm(string Code) : SmsCommand;
    /// <summary>
    /// <c>CUU BAN XIENG 12 NUOC DANG LEN</c> (or SOS): a citizen's help report; People is the first number, Text the
    /// folded words after the keyword. <see cref="Written"/> is the whole message as the citizen typed it (NFC,
    /// trimmed): the place and need as written, and whether the reply may carry diacritics.
    /// </summary>
    public sealed record Help(string Text, int? People) : SmsCommand
    {
        public string Written { get; init; } = Text;
    }
}

/// <summary>Why a message could not be read: a stable code, the reply (one GSM-7 segment, without diacritics) and, for an ambiguous word, the candidates.</summary>
public sealed record SmsGrammarError(string Code, string Reply, IReadOnlyList<string>? Candidates = null);

/// <summary>
/// The grammar of the SMS channel (README "SMS commands"): the first word is the command, then numbers and words,
/// with or without diacritics, any case, any spacing ("Nhận 345 4" = "NHAN 345 4"). Resource types are named by
/// short aliases (thuyen, xuong, cano, aophao, dq …), by their code, or by an unambiguous start of 3+ letters; an
/// ambiguous one is answered with its candidates. Only reading: who may do what is decided by the same rules as the
/// web when the command runs.
/// </summary>
public sealed class SmsGrammar(IReadOnlyDictionary<string, string> aliases)
{
    /// <summary>Short names a leader types on a keypad phone, by resource type (the catalogue's codes work too).</summary>
    public static readonly Dictionary<string, string[]> DefaultAliases = new()
    {
        ["boat"] = ["thuyen", "xuong", "ghe"], ["motor_boat"] = ["cano"], ["life_jacket"] = ["aophao", "phao"],
        ["militia"] = ["dq", "danquan"], ["police"] = ["ca", "congan"], ["youth_volunteers"] = ["tn", "thanhnien"],
        ["medical_team"] = ["yte"], ["commander"] = ["chihuy"], ["liaison"] = ["lienlac"], ["radio"] = ["bodam"],
        ["satellite_phone"] = ["dtvt"], ["truck"] = ["xetai"], ["excavator"] = ["mayxuc"], ["generator"] = ["mayphat"],
        ["water_pump"] = ["maybom"], ["chainsaw"] = ["cuamay"], ["sandbag"] = ["baocat"], ["food_ration"] = ["suatan"],
        ["instant_noodles"] = ["mitom"], ["drinking_water"] = ["nuoc", "nuocuong"], ["medicine_kit"] = ["thuoc"], ["tarpaulin"] = ["bat"],
    };

    /// <summary>The aliases for a catalogue: the defaults of the types it has, each type's code, and its folded name without spaces.</summary>
    public static SmsGrammar For(IEnumerable<(string Code, string NameVi)> types)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, name) in types)
        {
            map[code.Replace("_", "", StringComparison.Ordinal)] = code;
            map[SearchKey.Fold(name).Replace(" ", "", StringComparison.Ordinal)] = code;
            foreach (var alias in DefaultAliases.GetValueOrDefault(code) ?? []) map[alias] = code;
        }
        return new SmsGrammar(map);
    }

    public const string Usage = "YC <loai> <so> [thon], HOI <so yc> <xa> <so>, NHAN/TUCHOI/DI/DEN/TRA <so de nghi>, KHO <loai> <so>, TT <so yc>";

    public (SmsCommand? Command, SmsGrammarError? Error) Parse(string? text)
    {
        var words = SearchKey.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return Fail("sms.empty", "Tin trong. " + Usage);
        // "Từ chối 345" typed as two words is TUCHOI.
        if (words is ["tu", "choi", ..]) words = ["tuchoi", .. words[2..]];
        var rest = words[1..];
        return words[0] switch
        {
            "yc" => FileRequest(rest),
            "hoi" => Ask(rest),
            "nhan" => rest is [var id, .. var more] && Number(id) is { } p && more.Length <= 1 && (more.Length == 0 || Number(more[0]) is > 0)
                ? (new SmsCommand.Accept(p, more.Length == 0 ? null : Number(more[0])), null)
                : Fail("sms.usage", "Dung: NHAN <so de nghi> [so luong nhan]"),
            "tuchoi" or "di" or "tra" => rest is [var id] && Number(id) is { } q
                ? (new SmsCommand.Move(words[0], q), null)
                : Fail("sms.usage", $"Dung: {words[0].ToUpperInvariant()} <so de nghi>"),
            "den" => rest is [var id, .. var turns] && Number(id) is { } r && turns.Length <= 1 && (turns.Length == 0 || Number(turns[0]) is >= 0)
                ? (new SmsCommand.Arrive(r, turns.Length == 0 ? null : Number(turns[0])), null)
                : Fail("sms.usage", "Dung: DEN <so de nghi> [so luot nguoi]"),
            "kho" => SetStock(rest),
            "tt" => rest is [var id] && Number(id) is { } s ? (new SmsCommand.Status(s), null) : Fail("sms.usage", "Dung: TT <so yeu cau>"),
            "xn" => rest is [var code] && code.Length is >= 4 and <= 8 && code.All(char.IsAsciiDigit)
                ? (new SmsCommand.Confirm(code), null) : Fail("sms.usage", "Dung: XN <ma xac nhan>"),
            "cuu" or "sos" => rest.Length == 0 ? Fail("sms.usage", "Dung: CUU <thon hoac noi> <so nguoi> [can gi]")
                : (new SmsCommand.Help(string.Join(' ', rest), rest.Select(Number).FirstOrDefault(n => n is > 0)) { Written = SearchKey.Nfc(text) ?? "" }, null),
            _ => Fail("sms.unknown_command", $"Khong hieu \"{Clip(words[0])}\". " + Usage),
        };
    }

    (SmsCommand?, SmsGrammarError?) FileRequest(string[] rest)
    {
        var lines = new List<(string, int)>();
        var i = 0;
        // Pairs of a resource and a number; the first word that is no resource starts the hamlet ("Thôn 3" keeps its 3).
        while (i + 1 < rest.Length && Number(rest[i + 1]) is { } n)
        {
            var (type, error) = Resource(rest[i]);
            if (error is not null && (lines.Count == 0 || error.Code == "sms.resource_ambiguous")) return (null, error);
            if (error is not null) break;
            if (n <= 0) return Fail("sms.quantity", $"So luong {Clip(rest[i])} phai lon hon 0.");
            if (lines.Any(l => l.Item1 == type)) return Fail("sms.duplicate_line", $"{Clip(rest[i])} ghi hai lan: gop lai mot dong.");
            lines.Add((type!, n));
            i += 2;
        }
        if (lines.Count == 0) return Fail("sms.usage", "Dung: YC <loai> <so> [<loai> <so>] [ten thon], vd YC THUYEN 6 DQ 20 TIEN THANH");
        var hamlet = i < rest.Length ? string.Join(' ', rest[i..]) : null;
        return (new SmsCommand.FileRequest(lines, hamlet), null);
    }

    (SmsCommand?, SmsGrammarError?) Ask(string[] rest)
    {
        // HOI <request> <donor words …> <quantity> [<resource>]
        if (rest.Length < 3 || Number(rest[0]) is not { } request) return Fail("sms.usage", "Dung: HOI <so yeu cau> <ten xa> <so luong> [loai]");
        var last = rest.Length - 1;
        string? type = null;
        if (Number(rest[last]) is null)
        {
            var (t, error) = Resource(rest[last]);
            if (error is not null) return (null, error);
            type = t;
            last--;
        }
        if (last < 2 || Number(rest[last]) is not > 0) return Fail("sms.usage", "Dung: HOI <so yeu cau> <ten xa> <so luong> [loai]");
        return (new SmsCommand.Ask(request, string.Join(' ', rest[1..last]), Number(rest[last])!.Value, type), null);
    }

    (SmsCommand?, SmsGrammarError?) SetStock(string[] rest)
    {
        if (rest.Length == 0 || rest.Length % 2 != 0) return Fail("sms.usage", "Dung: KHO <loai> <so hien co> [<loai> <so>]");
        var items = new List<(string, int)>();
        for (var i = 0; i < rest.Length; i += 2)
        {
            var (type, error) = Resource(rest[i]);
            if (error is not null) return (null, error);
            if (Number(rest[i + 1]) is not { } n) return Fail("sms.usage", "Dung: KHO <loai> <so hien co> [<loai> <so>]");
            items.Add((type!, n));
        }
        return (new SmsCommand.SetStock(items), null);
    }

    /// <summary>A resource type by alias or code, or an unambiguous start of 3+ letters; else why not.</summary>
    public (string? Type, SmsGrammarError? Error) Resource(string word)
    {
        if (aliases.TryGetValue(word, out var exact)) return (exact, null);
        var matches = word.Length >= 3 ? aliases.Where(a => a.Key.StartsWith(word, StringComparison.Ordinal)).Select(a => a.Value).Distinct().ToList() : [];
        if (matches.Count == 1) return (matches[0], null);
        if (matches.Count > 1)
        {
            var names = aliases.Where(a => a.Key.StartsWith(word, StringComparison.Ordinal)).GroupBy(a => a.Value).Select(g => g.OrderBy(a => a.Key.Length).First().Key.ToUpperInvariant()).Order(StringComparer.Ordinal).ToList();
            return (null, new SmsGrammarError("sms.resource_ambiguous", $"\"{Clip(word)}\" la: {string.Join(", ", names)}?", names));
        }
        return (null, new SmsGrammarError("sms.resource_unknown", $"Khong co loai \"{Clip(word)}\". Vd: THUYEN, CANO, AOPHAO, DQ, MAYBOM."));
    }

    static int? Number(string word) =>
        word.Length is > 0 and <= 7 && word.All(char.IsAsciiDigit) ? int.Parse(word, CultureInfo.InvariantCulture) : null;

    static string Clip(string word) => word.Length > 12 ? word[..12] : word;

    static (SmsCommand?, SmsGrammarError?) Fail(string code, string reply) => (null, new SmsGrammarError(code, reply));
}
