using System.Globalization;
using System.Text;

namespace InverseLearning.Data;

/// <summary>
/// Text bound for a terminal. A file name or a line of a file may hold control characters, and an
/// escape sequence printed as it is retitles or recolours the user's terminal; a bidirectional
/// override (U+202E) makes what follows it read backwards, and an invisible one (U+200B, U+FEFF) makes a value look like
/// another, and so does a space other than the plain one (a no-break space). They are written as \uXXXX (\UXXXXXXXX outside the basic plane). Tabs stay as they are,
/// but in an error line (<see cref="ErrorLine"/>), where they are written \t. Backslashes stay,
/// so that escaping twice (an error line escaped, then the CLI's escaping writer) changes nothing the first pass wrote: a name
/// holding the six characters \u001B shows as one holding ESC does, the price of that. Internal, and compiled into each
/// program that prints (the trainer, the serving host, which does not reference this project) from this one file.
/// </summary>
internal static class TerminalText
{
    public static string Safe(string text) => Escape(text, keepLineBreaks: false, keepTabs: true);

    /// <summary>
    /// As <see cref="Safe"/>, and a tab written \t: an error, which quotes a file's name or a value, where a tab would read as
    /// spaces (a name that is not the file's) and does not belong to the line's own layout.
    /// </summary>
    public static string ErrorLine(string text) => Escape(text, keepLineBreaks: false, keepTabs: false);

    /// <summary>As <see cref="Safe"/>, but line feeds and carriage returns stay: a whole program's output, lines and progress bars.</summary>
    public static string SafeLines(string text) => Escape(text, keepLineBreaks: true, keepTabs: true);

    private static string Escape(string text, bool keepLineBreaks, bool keepTabs)
    {
        StringBuilder? shown = null;
        for (var i = 0; i < text.Length; i += Width(text, i))
        {
            if (EscapeOf(text, i, keepLineBreaks, keepTabs) is not { } escape)
            {
                shown?.Append(text, i, Width(text, i));
                continue;
            }
            shown ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
            shown.Append(escape);
        }
        return shown?.ToString() ?? text;
    }

    /// <summary>Chars the character at <paramref name="i"/> takes: 2 for a surrogate pair (outside the basic plane), else 1.</summary>
    private static int Width(string text, int i) => char.IsSurrogatePair(text, i) ? 2 : 1;

    /// <summary>How the character at <paramref name="i"/> is written when it is escaped (\uXXXX, or \UXXXXXXXX outside the basic plane); null when it is not.</summary>
    private static string? EscapeOf(string text, int i, bool keepLineBreaks, bool keepTabs)
    {
        if (text[i] == '\t') return keepTabs ? null : "\\t";
        // Outside the basic plane the tag characters (U+E0001, U+E0020–U+E007F) are invisible format ones that can spell hidden
        // text; emoji are symbols and stay. A subdivision flag (a black flag, then tags) shows as the flag and escapes, the price of that.
        if (char.IsSurrogatePair(text, i))
        {
            var code = char.ConvertToUtf32(text[i], text[i + 1]);
            return IsInvisibleFormat(CharUnicodeInfo.GetUnicodeCategory(code)) ? $"\\U{code:X8}" : null;
        }
        var c = text[i];
        var escaped = (char.IsControl(c) && !(keepLineBreaks && c is '\n' or '\r'))
            || (c is not ('\u200C' or '\u200D') && IsInvisibleFormat(char.GetUnicodeCategory(c)))
            // Every space but the plain one (a no-break space, U+00A0; the typographic ones): "1\u00A0" read as "1 ", which parses.
            || (c != ' ' && char.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator);
        return escaped ? $"\\u{(int)c:X4}" : null;
    }

    // Format characters: the bidirectional marks, embeddings, overrides and isolates that reorder the text after them, and the
    // invisible ones (zero-width space, byte-order mark, soft hyphen) that make "\u200B1" read as "1"; and the line and paragraph
    // separators, which some terminals break the line at. The zero-width joiner and non-joiner stay (EscapeOf keeps them):
    // scripts (Persian, the Indic ones) and emoji are written with them, and they hide nothing.
    private static bool IsInvisibleFormat(UnicodeCategory category) =>
        category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
