namespace InverseLearning.Training.Cli;

/// <summary>
/// A run's hold on its output folder: its lock file, open with no sharing until disposed. Taking it also reads when the run
/// started by the folder's own clock (a network file system's server may keep another time than this machine), which is what
/// the folder's other files are compared with: a file made and removed again sets the folder's write time. Nothing is written
/// into the lock file itself, which may be a link (symbolic or hard) to a file of the user's.
/// </summary>
public sealed class FolderLock : IDisposable
{
    private readonly FileStream _file;

    /// <param name="file">The lock file, opened with no sharing; this lock owns it from here.</param>
    /// <param name="folder">The folder it locks.</param>
    internal FolderLock(FileStream file, string folder)
    {
        _file = file;
        try
        {
            var mark = Path.Combine(folder, $".started-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(mark, []);
            File.Delete(mark);
            TakenUtc = Directory.GetLastWriteTimeUtc(folder);
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
