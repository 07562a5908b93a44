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
    public void Control_characters_but_tab_are_written_as_escapes(string text, string shown) =>
        Assert.Equal(shown, TerminalText.Safe(text));
}
