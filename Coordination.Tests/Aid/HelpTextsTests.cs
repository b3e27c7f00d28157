using Coordination.Api.MutualAid.HelpReports;

namespace Coordination.Tests.Aid;

/// <summary>What a citizen who asked for help is told, without the database: one SMS, không dấu when written so, numbers masked.</summary>
public class HelpTextsTests
{
    [Fact]
    public void A_long_place_is_shortened_until_the_acknowledgement_fits_one_sms()
    {
        var place = "Khu tái định cư bản Huồi Xái mới ven suối Nậm Mộ phía trên đập thủy điện";
        var reply = HelpTexts.Received(12345, 120, place, "xã Tam Quang", plain: true);
        Assert.True(reply.Length <= HelpTexts.OneSms, $"{reply.Length}: {reply}");
        Assert.Equal(reply, HelpTexts.Fold(reply));
        Assert.StartsWith("Da nhan tin CUU #12345 cua ban: 120 nguoi o Khu tai dinh cu", reply);
        Assert.Contains("..., xa Tam Quang. Xa se lien he. Goi 112 neu khan cap.", reply);
        Assert.DoesNotContain("…", reply);   // not in GSM-7
        // A short place is kept whole, with diacritics when the citizen used them.
        Assert.Equal("Đã nhận tin CỨU #7 của bạn: 5 người ở Bản Xốp, xã Châu Khê. Xã sẽ liên hệ. Gọi 112 nếu khẩn cấp.",
            HelpTexts.Received(7, 5, "Bản Xốp", "xã Châu Khê", plain: false));
        Assert.Equal("Da nhan tin CUU #7 cua ban: xa Chau Khe. Xa se lien he. Goi 112 neu khan cap.", HelpTexts.Received(7, null, null, "xã Châu Khê", plain: true));
    }

    [Theory]
    [InlineData("+84912345678", "+8491****678")]
    [InlineData("+14155550100", "+141*****100")]
    public void Numbers_are_masked_for_those_who_do_not_act_for_the_commune(string phone, string masked) =>
        Assert.Equal(masked, HelpTexts.Mask(phone));

    [Fact]
    public void Folding_keeps_case_and_turns_d_stroke_into_d()
    {
        Assert.Equal("Da nhan tin CUU o Dong Van", HelpTexts.Fold("Đã nhận tin CỨU ở Đồng Văn"));
        Assert.True(HelpTexts.IsPlain("CUU TIEN THANH 12"));
        Assert.False(HelpTexts.IsPlain("CUU Tiến Thành 12"));
    }
}
