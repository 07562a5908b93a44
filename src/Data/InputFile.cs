namespace InverseLearning.Data;

/// <summary>Checks that a path a user gave as an input file names a file: missing and directory are told apart.</summary>
public static class InputFile
{
    /// <summary>
    /// Null when <paramref name="path"/> is a readable-looking file; otherwise what is wrong with it, in words. A file read
    /// <paramref name="seekable"/> (Parquet, checkpoints) must have a length: a named pipe or a device reports none, and
    /// opening a pipe waits for a writer for ever; through a link, the length is its target's. A file read front to back may be a pipe (`--input &lt;(zcat ratings.gz)`).
    /// </summary>
    public static string? Problem(string path, bool seekable = true) =>
        path.Length == 0 ? "an empty path, expected a file"
        // File.Exists says true of a link to nothing, which then failed at its opening with .NET's "Could not find file".
        : BrokenLink.At(path) is { } link ? $"is {link}"
        : File.Exists(path) ? (!seekable || FinalFile.At(path).Length > 0 ? null : "is empty, or not a regular file (a named pipe or a device); expected a file")
        : Directory.Exists(path) ? "is a directory, expected a file"
        : "file not found";

    /// <summary>Throws a <see cref="DataException"/> naming the path when it is not a file.</summary>
    public static void Require(string path, string? expected = null, bool seekable = true)
    {
        if (Problem(path, seekable) is { } problem)
            throw DataException.In(path, $"{problem}{(expected is null ? "" : $" ({expected})")}");
    }
}
