using System.Globalization;

namespace InverseLearning.Training.Artifacts;

/// <summary>
/// A reader of protobuf text format, enough for Triton's config.pbtxt: fields `name: value`,
/// messages `name { … }` or `name: { … }` (fields ended by white space, ',' or ';'), lists `name [ … ]` or `name: [ … ]` of values or
/// messages; values are strings, numbers or enum names. Every field maps to its values in order.
/// Text that ends before a message or list is closed (a truncated file) is a <see cref="FormatException"/>.
/// </summary>
public sealed class TextProto
{
    private readonly Dictionary<string, List<object>> _fields = [];

    public IReadOnlyList<object> this[string field] => _fields.TryGetValue(field, out var values) ? values : [];
    public object Single(string field) => this[field].Count == 1 ? this[field][0] : throw new FormatException($"{field}: {this[field].Count} values");

    public static TextProto Parse(string text)
    {
        var tokens = Tokens(text).ToList();
        var at = 0;
        var message = ReadMessage(tokens, ref at, closing: null);
        if (at != tokens.Count) throw new FormatException($"unexpected '{tokens[at]}'");
        return message;
    }

    private static TextProto ReadMessage(List<string> tokens, ref int at, string? closing)
    {
        var message = new TextProto();
        while (at < tokens.Count && tokens[at] != closing)
        {
            var name = tokens[at++];
            if (!char.IsLetter(name[0])) throw new FormatException($"expected a field name, got '{name}'");
            if (At(tokens, at) == ":") at++;
            var values = message._fields.TryGetValue(name, out var list) ? list : message._fields[name] = [];
            if (At(tokens, at) == "[")
            {
                at++;
                while (At(tokens, at) != "]")
                {
                    values.Add(ReadValue(tokens, ref at));
                    if (At(tokens, at) == ",") at++;
                }
                at++;
            }
            else values.Add(ReadValue(tokens, ref at));
            // Text format lets a ',' or ';' end a field (`{ count: 2, kind: KIND_CPU }`).
            if (at < tokens.Count && tokens[at] is "," or ";") at++;
        }
        if (closing is not null)
        {
            At(tokens, at);
            at++;
        }
        return message;
    }

    // The token at a place the grammar needs one: past the text's end, it was cut short.
    private static string At(List<string> tokens, int at) =>
        at < tokens.Count ? tokens[at] : throw new FormatException("it ends before its last field, message or list is complete");

    private static object ReadValue(List<string> tokens, ref int at)
    {
        var token = At(tokens, at++);
        if (token == "{") return ReadMessage(tokens, ref at, "}");
        if (token.Length == 1 && "}[]:,;".Contains(token[0])) throw new FormatException($"expected a value, got '{token}'");
        if (token.StartsWith('"')) return token[1..^1];
        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : token;
    }

    private static IEnumerable<string> Tokens(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '#') { while (i < text.Length && text[i] != '\n') i++; continue; }
            if ("{}[]:,;".Contains(c)) { yield return c.ToString(); i++; continue; }
            var start = i;
            if (c == '"')
            {
                i = text.IndexOf('"', i + 1) + 1;
                if (i == 0) throw new FormatException("unterminated string");
            }
            else while (i < text.Length && !char.IsWhiteSpace(text[i]) && !"{}[]:,;".Contains(text[i])) i++;
            yield return text[start..i];
        }
    }
}
