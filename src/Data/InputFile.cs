namespace InverseLearning.Data;

/// <summary>
/// Checks that a path a user gave as an input file names a file: missing, folder and link to nothing are told apart. Internal,
/// and compiled into each program that reads a file a user names (the trainer, the serving host) from this one file.
/// </summary>
internal static partial class InputFile
{
    /// <summary>
    /// Null when <paramref name="path"/> is a readable-looking file; otherwise what is wrong with it, in words, saying what was
    /// <paramref name="expected"/>. A file read <paramref name="seekable"/> (Parquet, checkpoints) must have a length: a named pipe
    /// or a device reports none, and opening a pipe waits for a writer for ever; through a link, the length is its target's. A file
    /// read front to back may be a pipe (`--input &lt;(zcat ratings.gz)`).
    /// </summary>
    public static string? Problem(string path, bool seekable = true, string expected = "a file") =>
        path.Length == 0 ? $"an empty path, expected {expected}"
        // File.Exists says true of a link to nothing, which then failed at its opening with .NET's "Could not find file".
        : BrokenLink.At(path) is { } link ? $"is {link}"
        : File.Exists(path) ? (!seekable || FinalFile.At(path).Length > 0 ? null : $"is empty, or not a regular file (a named pipe or a device); expected {expected}")
        : Directory.Exists(path) ? $"is a folder, expected {expected}"
        : "file not found";
}
