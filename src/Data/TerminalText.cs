using System.Globalization;
using System.Text;

namespace InverseLearning.Data;

/// <summary>
/// Text bound for a terminal. A file name or a line of a file may hold control characters, and an
/// escape sequence printed as it is retitles or recolours the user's terminal; a bidirectional
/// override (U+202E) makes what follows it read backwards, and an invisible one (U+200B, U+FEFF) makes a value look like
/// another. They are written as \uXXXX. Tabs stay as they are. Backslashes stay too, so that escaping twice (an error line
/// escaped, then the CLI's escaping writer) changes nothing the first pass wrote: a name holding the six characters \u001B
/// shows as one holding ESC does, the price of that. Internal, and compiled into each program that prints (the trainer,
/// the serving host, which does not reference this project) from this one file.
/// </summary>
internal static class TerminalText
{
    public static string Safe(string text) => Escape(text, keepLineBreaks: false);

    /// <summary>As <see cref="Safe"/>, but line feeds and carriage returns stay: a whole program's output, lines and progress bars.</summary>
    public static string SafeLines(string text) => Escape(text, keepLineBreaks: true);

    private static string Escape(string text, bool keepLineBreaks)
    {
        if (!text.Any(c => IsEscaped(c, keepLineBreaks))) return text;
        var shown = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            if (IsEscaped(c, keepLineBreaks)) shown.Append($"\\u{(int)c:X4}");
            else shown.Append(c);
        return shown.ToString();
    }

    private static bool IsEscaped(char c, bool keepLineBreaks) =>
        (char.IsControl(c) && c != '\t' && !(keepLineBreaks && c is '\n' or '\r')) || IsInvisibleFormat(c);

    // Format characters: the bidirectional marks, embeddings, overrides and isolates that reorder the text after them, and the
    // invisible ones (zero-width space, byte-order mark, soft hyphen) that make "\u200B1" read as "1"; and the line and paragraph
    // separators, which some terminals break the line at. The zero-width joiner and non-joiner stay: scripts (Persian, the
    // Indic ones) and emoji are written with them, and they hide nothing.
    private static bool IsInvisibleFormat(char c) =>
        c is not ('\u200C' or '\u200D')
        && char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
