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
    // A space other than the plain one made "1\u00A0" (a rating that does not parse) read as "1 ".
    [InlineData("1\u00A0 and\u2007figure\u202Fnarrow\u3000wide", "1\\u00A0 and\\u2007figure\\u202Fnarrow\\u3000wide")]
    [InlineData("joiners\u200D and non\u200Cjoiners stay", "joiners\u200D and non\u200Cjoiners stay")]
    // Outside the basic plane: the tag characters spell invisible text ("a" hid "\U000E0041"); emoji, ZWJ sequences and skin tones stay.
    [InlineData("a\U000E0001\U000E0020b\U000E0041\U000E007F", "a\\U000E0001\\U000E0020b\\U000E0041\\U000E007F")]
    [InlineData("\U0001F44D\U0001F3FD \U0001F468\u200D\U0001F469\u200D\U0001F467 \U0001F600 \U00020BB7", "\U0001F44D\U0001F3FD \U0001F468\u200D\U0001F469\u200D\U0001F467 \U0001F600 \U00020BB7")]
    public void Control_characters_but_tab_are_written_as_escapes(string text, string shown) =>
        Assert.Equal(shown, TerminalText.Safe(text));

    [Theory]
    // An error line is escaped, then the CLI's escaping writer escapes all it prints: the second pass must change nothing
    // (a rule that doubled backslashes made "\u200B" "\\u200B", and the import's three passes four backslashes).
    [InlineData("a\u001Bb")]
    [InlineData("2\u200B and C:\\temp\\u")]
    [InlineData("a\\\u001Bb\n\r\u202E")]
    [InlineData("\U0001F600\U000E0041\\U000E0041")]
    [InlineData("a\tb\\tc")]
    public void Escaping_twice_is_escaping_once(string text)
    {
        Assert.Equal(TerminalText.ErrorLine(text), TerminalText.SafeLines(TerminalText.ErrorLine(text)));
        Assert.Equal(TerminalText.ErrorLine(text), TerminalText.ErrorLine(TerminalText.ErrorLine(text)));
        Assert.Equal(TerminalText.Safe(text), TerminalText.SafeLines(TerminalText.Safe(text)));
        Assert.Equal(TerminalText.Safe(text), TerminalText.Safe(TerminalText.Safe(text)));
        Assert.Equal(TerminalText.SafeLines(text), TerminalText.SafeLines(TerminalText.SafeLines(text)));
    }

    [Theory]
    // A tab in a file's name read as spaces in an error line: the name shown was not the file's.
    [InlineData("no\tsuch.parquet: file not found", "no\\tsuch.parquet: file not found")]
    [InlineData("a\tb\nc\u001b[31m\u202E", "a\\tb\\u000Ac\\u001B[31m\\u202E")]
    public void An_error_line_writes_a_tab_as_backslash_t_and_the_rest_as_safe_does(string text, string shown) =>
        Assert.Equal(shown, TerminalText.ErrorLine(text));

    [Fact]
    public void Safe_lines_keeps_line_breaks_and_escapes_the_rest() =>
        Assert.Equal("a\\u001B[31m\n\rbar\\u202Eb\t\\u0007", TerminalText.SafeLines("a\u001b[31m\n\rbar\u202Eb\t\u0007"));
}
