namespace InverseLearning.Training.Artifacts;

/// <summary>Writes files so that readers see the old file or the new one, never a torn one: write beside it, then rename.</summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Streams a file into place: <paramref name="write"/> fills it, then it is renamed over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var handle = Begin(path, out var temporary);
        try
        {
            write(handle);
            handle.Flush(flushToDisk: true);
            handle.Dispose();
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            handle.Dispose();
            File.Delete(temporary);
            throw;
        }
    }

    private static FileStream Begin(string path, out string temporary)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        return new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }
}
