namespace InverseLearning.Training.Cli;

/// <summary>
/// A flag's comma-separated list, read strictly: an empty entry ("10,,20", a trailing comma)
/// or a value given twice is refused naming the flag, rather than dropped or run twice.
/// </summary>
public static class CommaList
{
    /// <param name="parse">Turns one trimmed entry into its value; throws <see cref="ArgumentException"/> naming the flag when it cannot.</param>
    public static IReadOnlyList<T> Parse<T>(string text, string flag, string example, Func<string, T> parse)
    {
        var entries = text.Split(',', StringSplitOptions.TrimEntries);
        if (entries.Any(e => e.Length == 0))
            throw new ArgumentException($"{flag}: '{text}' has an empty entry; expected a comma-separated list such as {example}");
        var values = entries.Select(parse).ToList();
        if (values.GroupBy(v => v).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"{flag}: {twice.Key} is given twice in '{text}'");
        return values;
    }
}
