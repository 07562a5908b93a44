namespace InverseLearning.Training.Cli;

/// <summary>
/// The folders a command is about to make for a path (the outermost missing one and those below it). A command that fails or is
/// cancelled removes them again while they are empty, so that a folder it created itself is "left as it was" too: absent. A
/// folder that existed is never removed, nor one another process has written into meanwhile.
/// </summary>
public sealed class MadeFolders : IDisposable
{
    private readonly string _folder;
    private readonly string? _made;
    private bool _kept;

    /// <summary>Notes which folders of <paramref name="path"/> do not exist yet (none when it does); call before making any.</summary>
    public MadeFolders(string? path)
    {
        _made = OutermostMissing(path);
        _folder = _made is null || path is null ? "" : Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
    }

    /// <summary>The command succeeded: its folders stay.</summary>
    public void Keep() => _kept = true;

    public void Dispose()
    {
        if (!_kept && _made is not null) RemoveEmpty(_folder, _made);
    }

    /// <summary>The outermost folder of <paramref name="path"/> that does not exist yet (the path itself, or one above it); null when it exists.</summary>
    internal static string? OutermostMissing(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || Path.Exists(path)) return null;
        var missing = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        for (var above = Path.GetDirectoryName(missing); above is not null && !Path.Exists(above); above = Path.GetDirectoryName(above)) missing = above;
        return missing;
    }

    /// <summary>Removes <paramref name="folder"/> and the folders above it up to <paramref name="made"/>, each only while empty; never above <paramref name="made"/>.</summary>
    internal static void RemoveEmpty(string folder, string made)
    {
        for (; folder == made || folder.StartsWith(made + Path.DirectorySeparatorChar, StringComparison.Ordinal); folder = Path.GetDirectoryName(folder)!)
        {
            try
            {
                Directory.Delete(folder);   // only an empty one: another run may have begun writing into it meanwhile
            }
            // One the command never got to make (a folder above it it did).
            catch (DirectoryNotFoundException)
            {
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }
        }
    }
}
