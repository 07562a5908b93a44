using System.Text;

namespace InverseLearning.Data;

/// <summary>
/// Text bound for a terminal. A file name or a line of a file may hold control characters, and an
/// escape sequence printed as it is retitles or recolours the user's terminal; a bidirectional
/// override (U+202E) makes what follows it read backwards. They are written as \uXXXX. Tabs stay as
/// they are. A backslash is doubled where what is shown after it would make it read as the start of an
/// escape: before a 'u' (a name holding the six characters \u001B would look like one holding ESC), before
/// another backslash, and before a character written as \uXXXX; so \\ always reads as one backslash and
/// \u as an escape. Any other backslash, as in most text that holds one, stays as it is. Internal, and compiled into
/// each program that prints (the trainer, the serving host, which does not reference this project) from this one file.
/// </summary>
internal static class TerminalText
{
    public static string Safe(string text) => Escape(text, keepLineBreaks: false);

    /// <summary>As <see cref="Safe"/>, but line feeds and carriage returns stay: a whole program's output, lines and progress bars.</summary>
    public static string SafeLines(string text) => Escape(text, keepLineBreaks: true);

    private static string Escape(string text, bool keepLineBreaks)
    {
        if (!text.Any(c => c == '\\' || IsEscaped(c, keepLineBreaks))) return text;
        var shown = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsEscaped(c, keepLineBreaks)) shown.Append($"\\u{(int)c:X4}");
            else if (c == '\\' && i + 1 < text.Length && (text[i + 1] is '\\' or 'u' || IsEscaped(text[i + 1], keepLineBreaks))) shown.Append(@"\\");
            else shown.Append(c);
        }
        return shown.ToString();
    }

    private static bool IsEscaped(char c, bool keepLineBreaks) =>
        (char.IsControl(c) && c != '\t' && !(keepLineBreaks && c is '\n' or '\r')) || IsBidirectionalControl(c);

    // The marks and embeddings, overrides and isolates that reorder the text after them (Unicode's Bidi_Control).
    private static bool IsBidirectionalControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
