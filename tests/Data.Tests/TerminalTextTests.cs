namespace InverseLearning.Data.Tests;

public class TerminalTextTests
{
    [Theory]
    [InlineData("plain name.parquet", "plain name.parquet")]
    [InlineData("tab\tstays", "tab\tstays")]
    [InlineData("\u001b[31mred\u001b[0m", "\\u001B[31mred\\u001B[0m")]
    [InlineData("bell\u0007 and del\u007f and nul\0", "bell\\u0007 and del\\u007F and nul\\u0000")]
    [InlineData("line\rback", "line\\u000Dback")]
    [InlineData("vidéo 動画", "vidéo 動画")]
    // A right-to-left override shows "evil\u202Etxt.exe" as "evilexe.txt"; an isolate and a mark reorder as well.
    [InlineData("evil\u202Etxt.exe", "evil\\u202Etxt.exe")]
    [InlineData("a\u2066b\u2069\u200Fc\u061C", "a\\u2066b\\u2069\\u200Fc\\u061C")]
    // Invisible ones made "\u200B2" read as "2" in an import's error line; the joiners, which scripts and emoji need, stay.
    [InlineData("2\u200B,\uFEFF1 soft\u00ADhyphen", "2\\u200B,\\uFEFF1 soft\\u00ADhyphen")]
    [InlineData("line\u2028para\u2029", "line\\u2028para\\u2029")]
    [InlineData("joiners\u200D and non\u200Cjoiners stay", "joiners\u200D and non\u200Cjoiners stay")]
    public void Control_characters_but_tab_are_written_as_escapes(string text, string shown) =>
        Assert.Equal(shown, TerminalText.Safe(text));

    [Theory]
    // The six characters \u001B were shown as they are, exactly as ESC is shown.
    [InlineData("a\\u001Bb", "a\\\\u001Bb")]
    [InlineData("a\u001Bb", "a\\u001Bb")]
    // A backslash before an escaped character, or before another backslash, would read as part of what follows it.
    [InlineData("a\\\u001Bb", "a\\\\\\u001Bb")]
    [InlineData("a\\\\u", "a\\\\\\\\u")]
    [InlineData("a\\\\b", "a\\\\\\b")]
    // Any other backslash, as in most text that holds one, stays.
    [InlineData("C:\\temp\\log.parquet", "C:\\temp\\log.parquet")]
    [InlineData("ends in \\", "ends in \\")]
    public void A_backslash_is_doubled_where_it_would_read_as_the_start_of_an_escape(string text, string shown) =>
        Assert.Equal(shown, TerminalText.Safe(text));

    [Fact]
    public void Safe_lines_keeps_line_breaks_and_escapes_the_rest() =>
        Assert.Equal("a\\u001B[31m\n\rbar\\u202Eb\t\\u0007", TerminalText.SafeLines("a\u001b[31m\n\rbar\u202Eb\t\u0007"));
}
