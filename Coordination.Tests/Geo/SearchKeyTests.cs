using Coordination.Api.Boundaries.Import;

namespace Coordination.Tests.Geo;

public class SearchKeyTests
{
    [Theory]
    [InlineData("Châu Khê", "chau khe")]
    [InlineData("CHÂU KHÊ", "chau khe")]
    [InlineData("  chau   khe ", "chau khe")]
    [InlineData("Đồng Văn", "dong van")]           // đ is its own letter: NFD does not strip it
    [InlineData("đặc khu Phú Quốc", "dac khu phu quoc")]
    [InlineData("Hoà Bình", "hoa binh")]
    [InlineData("Hòa Bình", "hoa binh")]            // both placements of the tone mark occur in the data
    [InlineData("Xã Nghĩa Đàn, (cũ)", "xa nghia dan cu")]
    public void Folds_case_diacritics_and_d_stroke(string text, string key) => Assert.Equal(key, SearchKey.Fold(text));

    [Fact]
    public void Decomposed_input_folds_like_composed()
    {
        var nfd = "Châu Khê".Normalize(System.Text.NormalizationForm.FormD);
        Assert.Equal(SearchKey.Fold("Châu Khê"), SearchKey.Fold(nfd));
        Assert.Equal("Châu Khê", SearchKey.Nfc(nfd));
    }

    [Fact]
    public void Former_names_split_on_commas_outside_parentheses()
    {
        var names = CommuneFile.FormerNames("Phường Cửa Đông (phần còn lại sau khi sáp nhập vào phường Hoàn Kiếm, Hà Nội), Xã Châu Tiến, Xã Châu Bính");
        Assert.Equal(["Phường Cửa Đông", "Xã Châu Tiến", "Xã Châu Bính"], names);
    }
}
