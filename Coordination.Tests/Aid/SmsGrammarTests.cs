using Coordination.Api.MutualAid;
using Coordination.Api.MutualAid.Sms;

namespace Coordination.Tests.Aid;

/// <summary>The SMS grammar (issue 14), on the shipped catalogue: the issue's examples, with and without diacritics, and each refusal with its reply.</summary>
public class SmsGrammarTests
{
    static readonly SmsGrammar Grammar = SmsGrammar.For(Catalogue.Default.Select(t => (t.Code, t.NameVi)));

    static SmsCommand Read(string text)
    {
        var (command, error) = Grammar.Parse(text);
        Assert.True(error is null, $"'{text}': {error?.Code} {error?.Reply}");
        return command!;
    }

    static SmsGrammarError Refused(string text)
    {
        var (command, error) = Grammar.Parse(text);
        Assert.True(command is null, $"'{text}' was read as {command}");
        Assert.True(error!.Reply.All(c => c < 128), $"the reply is plain GSM-7 text without diacritics: {error.Reply}");
        Assert.True(error.Reply.Length <= 160, $"one SMS: {error.Reply.Length} characters");
        return error;
    }

    [Theory]
    [InlineData("YC THUYEN 6 DQ 20 TIEN THANH")]
    [InlineData("yc thuyền 6 dq 20 Tiến Thành")]
    [InlineData("  Yc   Thuyen  6   DQ 20   tien   thanh ")]
    public void A_request_with_its_lines_and_hamlet(string text)
    {
        var r = Assert.IsType<SmsCommand.FileRequest>(Read(text));
        Assert.Equal([("boat", 6), ("militia", 20)], r.Lines);
        Assert.Equal("tien thanh", r.Hamlet);
    }

    [Fact]
    public void A_hamlet_name_keeps_its_number()
    {
        var r = Assert.IsType<SmsCommand.FileRequest>(Read("YC THUYEN 6 THON 3"));
        Assert.Equal([("boat", 6)], r.Lines);
        Assert.Equal("thon 3", r.Hamlet);
        Assert.Null(Assert.IsType<SmsCommand.FileRequest>(Read("YC AOPHAO 40")).Hamlet);
    }

    [Fact]
    public void The_other_commands_of_the_issue()
    {
        Assert.Equal(new SmsCommand.Ask(12, "chau khe", 5, null), Read("HOI 12 CHAU KHE 5"));
        Assert.Equal(new SmsCommand.Ask(12, "chau khe", 5, "life_jacket"), Read("Hỏi 12 Châu Khê 5 áo phao".Replace("áo phao", "aophao", StringComparison.Ordinal)));
        Assert.Equal(new SmsCommand.Accept(345, 4), Read("NHAN 345 4"));
        Assert.Equal(new SmsCommand.Accept(345, null), Read("Nhận 345"));
        Assert.Equal(new SmsCommand.Move("tuchoi", 345), Read("TUCHOI 345"));
        Assert.Equal(new SmsCommand.Move("di", 345), Read("đi 345"));
        Assert.Equal(new SmsCommand.Arrive(345, 900), Read("DEN 345 900"));
        Assert.Equal(new SmsCommand.Move("tra", 345), Read("TRA 345"));
        Assert.Equal([("boat", 5)], Assert.IsType<SmsCommand.SetStock>(Read("KHO THUYEN 5")).Items);
        Assert.Equal(new SmsCommand.Status(12), Read("TT 12"));
        Assert.Equal(new SmsCommand.Confirm("4821"), Read("XN 4821"));
        var help = Assert.IsType<SmsCommand.Help>(Read("CỨU bản Xiềng 12 người, nước lên"));
        Assert.Equal(("ban xieng 12 nguoi nuoc len", (int?)12), (help.Text, help.People));
        Assert.Equal("CỨU bản Xiềng 12 người, nước lên", help.Written);   // as typed, for the place as written and the reply's diacritics
        Assert.IsType<SmsCommand.Help>(Read("sos"[..3] + " ban pha"));
    }

    [Fact]
    public void Resource_types_by_alias_code_name_or_an_unambiguous_start()
    {
        Assert.Equal("motor_boat", Grammar.Resource("cano").Type);
        Assert.Equal("water_pump", Grammar.Resource("waterpump").Type);          // the code
        Assert.Equal("water_pump", Grammar.Resource("maybomnuoc").Type);         // the folded name, written together
        Assert.Equal("sandbag", Grammar.Resource("baoc").Type);                  // a start only one type has
        var ambiguous = Grammar.Resource("may").Error!;                          // máy xúc, máy phát, máy bơm
        Assert.Equal("sms.resource_ambiguous", ambiguous.Code);
        Assert.Equal(["MAYBOM", "MAYPHAT", "MAYXUC"], ambiguous.Candidates);
        Assert.Equal("sms.resource_unknown", Grammar.Resource("tauthuy").Error!.Code);
    }

    [Theory]
    [InlineData("", "sms.empty")]
    [InlineData("MUA 5 THUYEN", "sms.unknown_command")]
    [InlineData("YC", "sms.usage")]
    [InlineData("YC TIEN THANH", "sms.usage")]
    [InlineData("YC THUYEN 0", "sms.quantity")]
    [InlineData("YC THUYEN 6 XUONG 2", "sms.duplicate_line")]
    [InlineData("YC MAY 3", "sms.resource_ambiguous")]
    [InlineData("YC TAUTHUY 3", "sms.resource_unknown")]
    [InlineData("YC THUYN 6 TIEN THANH", "sms.resource_unknown")]
    [InlineData("YC THUYEN 6 MAY 3", "sms.resource_ambiguous")]
    [InlineData("HOI CHAU KHE 5", "sms.usage")]
    [InlineData("HOI 12 5", "sms.usage")]
    [InlineData("NHAN", "sms.usage")]
    [InlineData("NHAN 345 0", "sms.usage")]
    [InlineData("NHAN 345 4 5", "sms.usage")]
    [InlineData("TUCHOI", "sms.usage")]
    [InlineData("DEN abc", "sms.usage")]
    [InlineData("KHO THUYEN", "sms.usage")]
    [InlineData("KHO THUYEN NAM", "sms.usage")]
    [InlineData("TT", "sms.usage")]
    [InlineData("XN 12", "sms.usage")]
    [InlineData("CUU", "sms.usage")]
    [InlineData("NHAN 99999999 4", "sms.usage")]
    public void A_message_that_cannot_be_read_gets_one_reply_saying_the_right_form(string text, string code) =>
        Assert.Equal(code, Refused(text).Code);
}
