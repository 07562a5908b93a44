using System.Text;
using System.Text.RegularExpressions;

namespace InverseLearning.Data;

/// <summary>
/// A file glob: `*` and `?` within one path segment, `**` across segments. The literal
/// leading segments are the root the search starts from (and the root of Hive partitions).
/// </summary>
internal sealed class GlobPattern
{
    private readonly Regex _relative;

    private GlobPattern(string root, Regex relative)
    {
        Root = root;
        _relative = relative;
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
        var regex = new StringBuilder("^");
        for (var s = literal; s < segments.Length; s++)
        {
            var last = s == segments.Length - 1;
            if (segments[s] == "**")
            {
                regex.Append(last ? ".*" : "(?:[^/]+/)*");
                continue;
            }
            foreach (var c in segments[s])
                regex.Append(c switch { '*' => "[^/]*", '?' => "[^/]", _ => Regex.Escape(c.ToString()) });
            if (!last) regex.Append('/');
        }
        regex.Append('$');
        return new GlobPattern(root, new Regex(regex.ToString(), RegexOptions.CultureInvariant));
    }

    /// <summary>Whether a path relative to <see cref="Root"/> (segments joined by '/') matches.</summary>
    public bool Matches(string relativePath) => _relative.IsMatch(relativePath);
}
