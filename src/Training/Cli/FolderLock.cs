namespace InverseLearning.Training.Cli;

/// <summary>
/// A run's hold on its output folder: its lock file, open with no sharing until disposed. Taking it writes the process id
/// into the file, so the file's write time says when the run started by the folder's own clock (a network file system's
/// server may keep another time than this machine), which is what the folder's other files are compared with.
/// </summary>
public sealed class FolderLock : IDisposable
{
    private readonly FileStream _file;

    /// <param name="file">The lock file, opened with no sharing; this lock owns it from here.</param>
    internal FolderLock(FileStream file, string lockFile)
    {
        _file = file;
        try
        {
            _file.SetLength(0);
            _file.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            _file.Flush(flushToDisk: false);
            TakenUtc = File.GetLastWriteTimeUtc(lockFile);
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>When the lock was taken, as the folder's file system tells time.</summary>
    public DateTime TakenUtc { get; }

    public void Dispose() => _file.Dispose();
}
