namespace InverseLearning.Serving.Models.Loading;

/// <summary>
/// A repository version's file shorter than its manifest says: refused as any mismatch, but it may still be on its way in (a version
/// copied into place, not renamed in whole), which the model host waits for while it changes.
/// </summary>
public sealed class IncompleteVersionException(string message, string file, long bytes, long expected) : ModelLoadException(message)
{
    /// <summary>The short file.</summary>
    public string ShortFile { get; } = file;

    /// <summary>Its length now.</summary>
    public long Bytes { get; } = bytes;

    /// <summary>The length its manifest lists.</summary>
    public long Expected { get; } = expected;
}
