using System.Text;

namespace InverseLearning.Data;

/// <summary>
/// Text bound for a terminal. A file name or a line of a file may hold control characters, and an
/// escape sequence printed as it is retitles or recolours the user's terminal; they are written as
/// \uXXXX. Tabs stay as they are.
/// </summary>
public static class TerminalText
{
    public static string Safe(string text)
    {
        if (!text.Any(IsEscaped)) return text;
        var shown = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            shown.Append(IsEscaped(c) ? $"\\u{(int)c:X4}" : c);
        return shown.ToString();
    }

    private static bool IsEscaped(char c) => char.IsControl(c) && c != '\t';
}
