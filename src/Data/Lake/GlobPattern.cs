using System.Text;
using System.Text.RegularExpressions;

namespace InverseLearning.Data;

/// <summary>
/// A file glob: `*` and `?` within one path segment, `**` across segments. The literal
/// leading segments are the root the search starts from (and the root of Hive partitions).
/// Matched segment by segment, so that the walk can also ask which folders may hold matches, and leave the others unread.
/// </summary>
internal sealed class GlobPattern
{
    /// <summary>One pattern per segment below the root, null for `**` (any number of folders; as the last segment, anything below).</summary>
    private readonly Regex?[] _segments;

    private GlobPattern(string root, Regex?[] segments)
    {
        Root = root;
        _segments = segments;
    }

    /// <summary>The directory before the first segment with a wildcard.</summary>
    public string Root { get; }

    public static bool IsGlob(string spec) => spec.IndexOfAny(['*', '?']) >= 0;

    public static GlobPattern Parse(string spec)
    {
        var segments = spec.Replace('\\', '/').Split('/');
        var literal = 0;
        while (literal < segments.Length - 1 && !IsGlob(segments[literal])) literal++;
        var root = string.Join('/', segments[..literal]);
        root = root.Length == 0 ? (spec.StartsWith('/') ? "/" : ".") : root;
        return new GlobPattern(root, [.. segments[literal..].Select(segment => segment == "**" ? null : SegmentPattern(segment))]);
    }

    private static Regex SegmentPattern(string segment)
    {
        var regex = new StringBuilder("^");
        foreach (var c in segment)
            regex.Append(c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) });
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    /// <summary>Whether a path relative to <see cref="Root"/> (segments joined by '/') matches.</summary>
    public bool Matches(string relativePath) => Matches(0, relativePath.Split('/'), 0);

    /// <summary>
    /// Whether a folder (relative to <see cref="Root"/>) may hold paths that match: the walk need not enter one that cannot, nor judge
    /// what is in it. With <paramref name="namedByPattern"/>, the folder's own name must be matched by a pattern of its segment, not
    /// passed by a `**` (which passes any folder).
    /// </summary>
    public bool MayHoldMatches(string relativeFolder, bool namedByPattern = false) => MayHold(0, relativeFolder.Split('/'), 0, namedByPattern);

    private bool Matches(int pattern, string[] path, int at)
    {
        if (pattern == _segments.Length) return at == path.Length;
        if (_segments[pattern] is not { } segment)
            // A last ** takes whatever is left (at least one segment); another takes none or more folders.
            return pattern == _segments.Length - 1 ? at < path.Length : Matches(pattern + 1, path, at) || at < path.Length - 1 && Matches(pattern, path, at + 1);
        return at < path.Length && segment.IsMatch(path[at]) && Matches(pattern + 1, path, at + 1);
    }

    private bool MayHold(int pattern, string[] folder, int at, bool namedByPattern)
    {
        if (at == folder.Length) return pattern < _segments.Length; // a segment is left to match what the folder holds
        if (pattern == _segments.Length) return false;
        var own = at == folder.Length - 1;
        if (_segments[pattern] is not { } segment)
            return pattern == _segments.Length - 1 ? !(namedByPattern && own)
                : MayHold(pattern + 1, folder, at, namedByPattern) || !(namedByPattern && own) && MayHold(pattern, folder, at + 1, namedByPattern);
        // The last segment names the files, not a folder.
        return pattern < _segments.Length - 1 && segment.IsMatch(folder[at]) && MayHold(pattern + 1, folder, at + 1, namedByPattern);
    }
}
