namespace InverseLearning.Data;

/// <summary>Hive-style partition directories: `key=value` segments between a dataset's root and a part file become columns.</summary>
internal static class HivePartition
{
    /// <summary>The key/value pairs of the directories in <paramref name="relativePath"/> (segments joined by '/'), outermost first; values are percent-decoded as Hive and Spark escape them.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string relativePath)
    {
        var segments = relativePath.Split('/');
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var segment in segments[..^1])
        {
            if (!IsPartitionFolder(segment)) continue;
            var equals = segment.IndexOf('=');
            pairs.Add(new(segment[..equals], Uri.UnescapeDataString(segment[(equals + 1)..])));
        }
        return pairs;
    }

    /// <summary>Whether a folder's name is a partition's, key=value: "=2024" names no key, and is an ordinary folder.</summary>
    public static bool IsPartitionFolder(string name) => name.IndexOf('=') > 0;
}
