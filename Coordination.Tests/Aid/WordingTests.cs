using Coordination.Api.MutualAid;

namespace Coordination.Tests.Aid;

/// <summary>Amounts in the English notifications read as English: one boat, five boats, never "5 boats of Boat".</summary>
public class WordingTests
{
    [Theory]
    [InlineData(1, "boats", "Boat", "1 boat")]
    [InlineData(5, "boats", "Boat", "5 boats")]
    [InlineData(2, "trucks", "Truck", "2 trucks")]
    [InlineData(20, "persons", "Militia (dân quân)", "20 persons of militia (dân quân)")]
    [InlineData(1, "persons", "Medical staff", "1 person of medical staff")]
    [InlineData(1_500, "20 l jugs", "Drinking water", "1,500 20 l jugs of drinking water")]
    public void English_amounts_are_singular_for_one_and_do_not_repeat_the_type(int n, string unit, string name, string expected) =>
        Assert.Equal(expected, Notify.En(n, unit, name));

    [Fact]
    public void Every_catalogue_type_has_a_plausible_maximum_per_line()
    {
        foreach (var t in Catalogue.Default)
            Assert.True(t.MaxPerLine is >= 10 and <= 1_000_000, $"{t.Code}: {t.MaxPerLine}");
        Assert.Equal(500, Catalogue.Default.Single(t => t.Code == "boat").MaxPerLine);
    }
}
