namespace Coordination.Api.Kernel;

/// <summary>What is wrong with one row of an imported file, for the client's sentence: the row number as a spreadsheet
/// shows it (the header is row 1), a declared code, the column and the value it held.</summary>
public sealed record RowProblem(int Row, string Code, string? Column = null, string? Value = null);

/// <summary>CSV as Excel writes it in Vietnam: encoding, separator, RFC 4180 records.</summary>
public static class Csv
{
    /// <summary>UTF-8 (with or without BOM) as is; bytes that are not UTF-8 are read as Windows-1258, as Vietnamese Excel saves.</summary>
    public static (string Text, string? Note) Decode(byte[] bytes)
    {
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return (text.TrimStart('\uFEFF'), null);
        }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return (Encoding.GetEncoding(1258).GetString(bytes).Normalize(NormalizationForm.FormC), "file read as Windows-1258 (not UTF-8)");
        }
    }

    /// <summary>Excel in a Vietnamese locale separates with ';' (',' is its decimal mark): go by the header line.</summary>
    public static char Separator(string text)
    {
        var header = text.Split('\n')[0];
        return header.Count(ch => ch == ';') > header.Count(ch => ch == ',') ? ';' : ',';
    }

    /// <summary>A number as a spreadsheet writes it: <paramref name="decimalComma"/> when the file separates with ';'
    /// (a Vietnamese Excel's ',' is then its decimal mark); null when blank or not a finite number.</summary>
    public static double? Number(string? text, bool decimalComma)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (decimalComma) text = text.Replace(',', '.');
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;
    }

    /// <summary>A yes/no column as people fill it in (1/0, yes/no, true/false, x, có/không with or without diacritics);
    /// blank is null. False when the text is none of these.</summary>
    public static bool TryFlag(string? text, out bool? value)
    {
        value = (SearchKey.Nfc(text) ?? "").ToLowerInvariant() switch
        {
            "" => null,
            "1" or "yes" or "true" or "x" or "có" or "co" => true,
            "0" or "no" or "false" or "không" or "khong" => false,
            _ => (bool?)null,
        };
        return value is not null || string.IsNullOrWhiteSpace(text);
    }

    /// <summary>RFC 4180 records: quoted fields may hold separators, quotes ("") and line breaks.</summary>
    public static List<List<string>> SplitRecords(string text)
    {
        var sep = Separator(text);
        var records = new List<List<string>>();
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { sb.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else sb.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == sep) { fields.Add(sb.ToString()); sb.Clear(); }
            else if (ch == '\n' || ch == '\r')
            {
                if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(sb.ToString()); sb.Clear();
                records.Add(fields); fields = [];
            }
            else sb.Append(ch);
        }
        if (sb.Length > 0 || fields.Count > 0) { fields.Add(sb.ToString()); records.Add(fields); }
        return records;
    }
}
