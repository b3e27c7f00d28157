using Coordination.Api.Alerts.Sms;

namespace Coordination.Tests.Sms;

/// <summary>The SMS building blocks: Twilio's signature, phone numbers, segments and Vietnamese folding.</summary>
public class SmsBasicsTests
{
    static readonly KeyValuePair<string, string>[] VectorParams =
    [
        new("CallSid", "CA1234567890ABCDE"), new("Caller", "+14158675309"), new("Digits", "1234"), new("From", "+14158675309"), new("To", "+18005551212"),
    ];

    [Fact]
    public void Signature_matches_Twilios_published_test_vector_with_and_without_the_port()
    {
        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", TwilioSignature.Compute("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", VectorParams));
        Assert.Equal("kvajT1Ptam85bY51eRf/AJRuM3w=", TwilioSignature.Compute("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", VectorParams));
        // Either signature verifies against either form of the URL (the port toggle), nothing else does.
        foreach (var url in new[] { "https://mycompany.com/myapp.php?foo=1&bar=2", "https://mycompany.com:443/myapp.php?foo=1&bar=2" })
        {
            Assert.True(TwilioSignature.Verify("12345", url, VectorParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
            Assert.True(TwilioSignature.Verify("12345", url, VectorParams, "kvajT1Ptam85bY51eRf/AJRuM3w="));
            Assert.False(TwilioSignature.Verify("12346", url, VectorParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
            Assert.False(TwilioSignature.Verify("12345", url, [.. VectorParams, new("Body", "x")], "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
            Assert.False(TwilioSignature.Verify("12345", url, VectorParams, null));
        }
        Assert.False(TwilioSignature.Verify("12345", "https://mycompany.com/myapp.php?foo=1&bar=3", VectorParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Theory]
    [InlineData("0912 345 678", "+84912345678")]
    [InlineData("0912.345.678", "+84912345678")]
    [InlineData("+84 912 345 678", "+84912345678")]
    [InlineData("84912345678", "+84912345678")]
    [InlineData("0862 111 222", "+84862111222")]   // Viettel 086
    [InlineData("０９１２３４５６７８", "+84912345678")]   // full-width digits from a phone keyboard
    public void Vietnamese_mobile_numbers_become_E164(string input, string e164)
    {
        var r = Phones.Normalise(input);
        Assert.Null(r.Error);
        Assert.Equal(e164, r.E164);
    }

    [Theory]
    [InlineData("024 3825 3535", "landline")]      // Hà Nội fixed line
    [InlineData("0238 3844 555", "landline")]      // Nghệ An fixed line
    [InlineData("0912 345", "not a valid number")]
    [InlineData("hello", "not a phone number")]
    [InlineData("", "empty")]
    public void Landlines_and_invalid_numbers_are_refused_with_a_reason(string input, string reason)
    {
        var r = Phones.Normalise(input);
        Assert.Null(r.E164);
        Assert.Contains(reason, r.Error);
    }

    [Fact]
    public void Segments_follow_GSM7_and_UCS2_limits_on_the_NFC_text()
    {
        Assert.Equal(new SegmentCount("GSM-7", 160, 1, 160), SmsText.Count(new string('a', 160)));
        Assert.Equal(new SegmentCount("GSM-7", 161, 2, 153), SmsText.Count(new string('a', 161)));
        Assert.Equal(2, SmsText.Count(new string('a', 306)).Segments);
        Assert.Equal(3, SmsText.Count(new string('a', 307)).Segments);
        Assert.Equal(new SegmentCount("GSM-7", 2, 1, 160), SmsText.Count("€"));   // extension table: two septets
        var vi = "Lũ lớn"; // diacritics: UCS-2
        Assert.Equal("UCS-2", SmsText.Count(vi).Encoding);
        Assert.Equal(1, SmsText.Count(new string('ữ', 70)).Segments);
        Assert.Equal(2, SmsText.Count(new string('ữ', 71)).Segments);
        Assert.Equal(3, SmsText.Count(new string('ữ', 135)).Segments);
        // Decomposed input is counted as NFC: 70 precomposed letters, not 140+ code units.
        Assert.Equal(1, SmsText.Count(new string('ữ', 70).Normalize(NormalizationForm.FormD)).Segments);
    }

    [Fact]
    public void Folding_turns_every_Vietnamese_letter_into_its_base_letter()
    {
        var bases = new Dictionary<char, string>
        {
            ['a'] = "aàáảãạăằắẳẵặâầấẩẫậ", ['e'] = "eèéẻẽẹêềếểễệ", ['i'] = "iìíỉĩị", ['o'] = "oòóỏõọôồốổỗộơờớởỡợ",
            ['u'] = "uùúủũụưừứửữự", ['y'] = "yỳýỷỹỵ", ['d'] = "dđ",
        };
        foreach (var (b, letters) in bases)
        {
            Assert.Equal(new string(b, letters.Length), SmsText.Fold(letters));
            Assert.Equal(new string(char.ToUpperInvariant(b), letters.Length), SmsText.Fold(letters.ToUpperInvariant()));
            Assert.Equal(new string(b, letters.Length), SmsText.Fold(letters.Normalize(NormalizationForm.FormD)));
        }
        var folded = SmsText.Fold("Cảnh báo lũ: sông Hiếu dâng cao, xã Châu Tiến sơ tán ngay. Đường 48 ngập.");
        Assert.Equal("Canh bao lu: song Hieu dang cao, xa Chau Tien so tan ngay. Duong 48 ngap.", folded);
        Assert.Equal("GSM-7", SmsText.Count(folded).Encoding);
    }
}
