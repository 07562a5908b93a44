namespace InverseLearning.Training.Cli;

/// <summary>
/// The folder a verb writes into (--out, --repository), checked and created before any work,
/// so that a bad path is one line naming the flag rather than a .NET message after the run.
/// </summary>
public static class OutputFolder
{
    /// <summary>Creates <paramref name="path"/> (given by <paramref name="flag"/>) if needed; refuses an empty path, a file, or a folder that cannot be created.</summary>
    public static string Prepare(string? path, string flag)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException($"{flag} is empty; expected a folder to write into");
        if (File.Exists(path))
            throw new ArgumentException($"{flag} {path} is a file; expected a folder (new or existing) to write into");
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"{flag} {path}: cannot create the folder ({e.Message})");
        }
        return path;
    }
}
