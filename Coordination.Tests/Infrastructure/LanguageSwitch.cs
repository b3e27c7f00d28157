using Microsoft.Playwright;

namespace Coordination.Tests.Infrastructure;

/// <summary>The language button as a person uses it: click, and the page is in the other language.</summary>
public static class LanguageSwitch
{
    /// <summary>
    /// Clicks #lang and waits until the page says it is in the other language (html[lang] changes once the
    /// other language's strings of every loaded feature are fetched and the page is re-rendered in it).
    /// </summary>
    public static async Task SwitchLanguageAsync(this IPage page, bool tap = false)
    {
        var before = await page.GetAttributeAsync("html", "lang");
        if (tap) await page.TapAsync("#lang");
        else await page.ClickAsync("#lang");
        await page.WaitForFunctionAsync("(before) => document.documentElement.lang !== before", before);
    }
}
