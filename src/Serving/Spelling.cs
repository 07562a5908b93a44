namespace InverseLearning.Serving;

/// <summary>The name a misspelt one most likely meant, for refusals and warnings that say "did you mean".</summary>
public static class Spelling
{
    /// <summary>
    /// The one of <paramref name="names"/> nearest <paramref name="given"/>, ignoring case, when a few edits (at most a third
    /// of the name, at least one) turn one into the other; null when none is that near.
    /// </summary>
    public static string? Nearest(string given, IEnumerable<string> names)
    {
        var lower = given.ToLowerInvariant();
        return names.Select(name => (Name: name, Edits: Edits(lower, name.ToLowerInvariant())))
            .Where(candidate => candidate.Edits <= Math.Max(1, candidate.Name.Length / 3))
            .OrderBy(candidate => candidate.Edits)
            .Select(candidate => candidate.Name)
            .FirstOrDefault();
    }

    /// <summary>"; did you mean X?" for the nearest of <paramref name="names"/> (<see cref="Nearest"/>), or nothing when none is near.</summary>
    public static string DidYouMean(string given, IEnumerable<string> names) => Nearest(given, names) is { } meant ? $"; did you mean {meant}?" : "";

    /// <summary>
    /// The fewest one-character insertions, deletions and substitutions, and swaps of two neighbours, that turn <paramref name="a"/>
    /// into <paramref name="b"/> (optimal string alignment): a swap is one slip of the fingers (tiyn for tiny), not two.
    /// </summary>
    private static int Edits(string a, string b)
    {
        var beforePrevious = new int[b.Length + 1];
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    current[j] = Math.Min(current[j], beforePrevious[j - 2] + 1);
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious);
        }
        return previous[b.Length];
    }
}
