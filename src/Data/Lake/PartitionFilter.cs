using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace InverseLearning.Data;

/// <summary>
/// `--where`: conditions on partition columns, joined by ',' or 'and', each
/// COLUMN OP VALUE with OP one of = == != &lt; &lt;= &gt; &gt;=. Values compare as numbers
/// when both sides are numbers, else as ordinal strings (ISO dates compare correctly).
/// </summary>
public sealed partial class PartitionFilter
{
    public sealed record Condition(string Column, string Op, string Value)
    {
        public bool Holds(string actual)
        {
            var order = Compare(actual, Value);
            return Op switch
            {
                "=" or "==" => order == 0,
                "!=" => order != 0,
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                _ => order >= 0,
            };
        }

        /// <summary>
        /// Why <paramref name="actual"/> cannot be ordered against this condition's value; null when it can, or when the condition is no
        /// order. A number or a YYYY-MM-DD date orders only its own kind: `day&gt;=2024-01-01` would take a `day=bogus` part ("b" comes
        /// after "2"), and `hour&lt;5` an `hour=x` part, as text, without a word.
        /// </summary>
        public string? Unordered(string actual)
        {
            if (Op is "=" or "==" or "!=" || KindOf(Value) is not ({ } kind and not "text") || KindOf(actual) == kind) return null;
            return $"'{actual}' is not a {kind} as '{Value}' is";
        }

        private static string KindOf(string value) =>
            IsNumber(value) ? "number" : IsoDate().IsMatch(value) ? "date written YYYY-MM-DD" : "text";

        private static bool IsNumber(string value) => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

        /// <summary>The order the comparisons use: as numbers when both are, else ordinal.</summary>
        internal static int Compare(string a, string b) =>
            decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            && decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
                ? x.CompareTo(y)
                : string.CompareOrdinal(a, b);
    }

    private PartitionFilter(string text, IReadOnlyList<Condition> conditions)
    {
        Text = text;
        Conditions = conditions;
    }

    public string Text { get; }
    public IReadOnlyList<Condition> Conditions { get; }

    public static PartitionFilter Parse(string text)
    {
        var clauses = Clauses(text.Trim());
        var conditions = new List<Condition>();
        foreach (var clause in clauses)
        {
            var match = ConditionSyntax().Match(clause);
            if (!match.Success)
                throw new DataException($"--where '{text}': cannot read '{clause.Trim()}'; expected COLUMN OP VALUE (OP one of = != < <= > >=; VALUE one word, or quoted), conditions joined by ',' or 'and', all of which must hold ('or' is not supported), e.g. 'day>=2024-01-03,day<2024-01-10'");
            var condition = new Condition(match.Groups[1].Value, match.Groups[2].Value, Unquote(match.Groups[3].Value));
            RequireAsciiDigits(text, condition);
            RequireDateSortsAsText(text, condition);
            RequireCalendarDate(text, condition);
            conditions.Add(condition);
        }
        return new PartitionFilter(text, conditions);
    }

    /// <summary>
    /// Refuses a value holding a digit other than 0–9 (a full-width '５', a superscript '⁵'), whatever the operator: no number nor
    /// YYYY-MM-DD date, it would compare as text, after every ASCII digit and equal to none, and keep or drop partitions without a word.
    /// </summary>
    private static void RequireAsciiDigits(string text, Condition condition)
    {
        if (OtherDigit(condition.Value) is not { } digit) return;
        throw new DataException($"--where '{text}': '{condition.Value}' holds {digit}; " +
            $"{condition.Op} compares numbers and YYYY-MM-DD dates written in ASCII digits, so write it with 0-9");
    }

    /// <summary>
    /// The first character of <paramref name="value"/> that is a digit or number other than 0–9, described ("'５' (U+FF15), a digit
    /// other than 0-9"); null when there is none. Every number character counts, not only decimal digits: .NET's char.IsDigit
    /// passes a superscript '⁵' by.
    /// </summary>
    internal static string? OtherDigit(string value) =>
        value.EnumerateRunes().FirstOrDefault(rune => Rune.IsNumber(rune) && rune.Value is not (>= '0' and <= '9')) is { Value: not 0 } digit
            ? $"'{digit}' (U+{digit.Value:X4}), a digit other than 0-9"
            : null;

    /// <summary>
    /// Refuses an order (&lt; &lt;= &gt; &gt;=) against a date not written YYYY-MM-DD: not a number, it compares as text, where
    /// 2024-1-5 comes after 2024-01-31 and before 2024-10-01, so the wrong days would be read without a word.
    /// </summary>
    private static void RequireDateSortsAsText(string text, Condition condition)
    {
        if (condition.Op is "=" or "==" or "!=" || UnsortableDate().Match(condition.Value) is not { Success: true } date) return;
        var iso = date.Groups[1].Length == 4 && date.Groups[4].Length <= 2
            ? $"{date.Groups[1].Value}-{int.Parse(date.Groups[3].Value, CultureInfo.InvariantCulture):00}-{int.Parse(date.Groups[4].Value, CultureInfo.InvariantCulture):00}"
            : "it as YYYY-MM-DD";
        throw new DataException($"--where '{text}': '{condition.Value}' looks like a date not written YYYY-MM-DD, and {condition.Op} compares it as text, " +
            $"where such a date sorts wrongly (2024-1-5 comes after 2024-01-31); write {iso}");
    }

    /// <summary>
    /// Refuses a YYYY-MM-DD value that is no day of the calendar (2024-13-45): told only that it matched none of the part files,
    /// or kept an order's partitions, the user never learnt that the date was wrong.
    /// </summary>
    private static void RequireCalendarDate(string text, Condition condition)
    {
        if (!IsoDate().IsMatch(condition.Value) || DateOnly.TryParseExact(condition.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) return;
        throw new DataException($"--where '{text}': '{condition.Value}' is not a date (YYYY-MM-DD: a month from 01 to 12, a day of that month); write a day of the calendar");
    }

    /// <summary>
    /// The filter written one way whatever way it was typed: its distinct conditions in ordinal order, joined by ',', each with no
    /// spaces, '=' for '==', a value quoted only where a bare word cannot hold it. Two filters with one normal form keep the same parts.
    /// </summary>
    public string Normal => string.Join(",", Conditions
        .Select(c => $"{c.Column}{(c.Op == "==" ? "=" : c.Op)}{Written(c.Value)}")
        .Distinct().Order(StringComparer.Ordinal));

    private static string Written(string value) =>
        BareValue().IsMatch(value) ? value : value.Contains('\'') ? $"\"{value}\"" : $"'{value}'";

    /// <summary>Whether a part with these partition values is kept.</summary>
    public bool Keeps(IReadOnlyDictionary<string, string> values) => Conditions.All(c => c.Holds(values[c.Column]));

    /// <summary>The conditions between separators outside quotes: a quoted value may hold ',' or ' and '.</summary>
    private static List<string> Clauses(string text)
    {
        var (clauses, start, quote) = (new List<string>(), 0, '\0');
        for (var i = 0; i < text.Length; i++)
        {
            if (quote != '\0')
            {
                if (text[i] == quote) quote = '\0';
                continue;
            }
            if (text[i] is '\'' or '"')
            {
                quote = text[i];
                continue;
            }
            var separator = ClauseSeparator().Match(text, i);
            if (!separator.Success) continue;
            clauses.Add(text[start..i]);
            start = i + separator.Length;
            i = start - 1;
        }
        clauses.Add(text[start..]);
        return clauses;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '\'' || value[0] == '"') && value[^1] == value[0] ? value[1..^1] : value;

    // [0-9], not \d, which takes any Unicode digit: a full-width date is no date to order by (nor to parse).
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();

    // Year, month and day (or day or month first) by '-' or '/': a date unless it is YYYY-MM-DD, which sorts as text as it does as a date.
    [GeneratedRegex(@"^(?![0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9]))([0-9]{1,4})([-/])([0-9]{1,2})\2([0-9]{1,4})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex UnsortableDate();

    // \G: a separator that starts where Clauses looks, not anywhere after it.
    [GeneratedRegex(@"\G(?:\s*,\s*|\s+and\s+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClauseSeparator();

    // What ConditionSyntax reads as a value unquoted.
    [GeneratedRegex(@"^[^\s=<>!,;'""]+$", RegexOptions.CultureInvariant)]
    private static partial Regex BareValue();

    // A value is one bare word or a quoted string: `day>=2024-01-20 or day<2024-01-03` must not read as one value ending in a date.
    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*(==|!=|<=|>=|=|<|>)\s*('[^']*'|""[^""]*""|[^\s=<>!,;'""]+)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ConditionSyntax();
}
