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
    private readonly string _folder;
    private readonly string? _made;

    /// <param name="file">The lock file, opened with no sharing; this lock owns it from here.</param>
    /// <param name="folder">The folder it locks.</param>
    /// <param name="made">The outermost folder the run made to get <paramref name="folder"/> (itself, or one above it); null when it existed.</param>
    internal FolderLock(FileStream file, string folder, string? made)
    {
        _file = file;
        _folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        _made = made;
        try
        {
            var mark = Path.Combine(folder, $".started-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(mark, []);
            File.Delete(mark);
            TakenUtc = Directory.GetLastWriteTimeUtc(folder);
            FoundFiles = Directory.EnumerateFiles(folder).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal)!;
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>The folder held, as a full path without a separator at its end.</summary>
    public string Folder => _folder;

    /// <summary>When the lock was taken, as the folder's file system tells time.</summary>
    public DateTime TakenUtc { get; }

    /// <summary>The names of the files the folder held when the lock was taken (its lock file among them): an earlier run's, or the user's.</summary>
    public IReadOnlySet<string> FoundFiles { get; }

    /// <summary>
    /// Releases the folder. One the run made and left holding nothing but its lock (a run refused after the lock was taken, for bad
    /// data or a bad flag) is removed, with the folders made above it: a refused run leaves no trace. A folder that existed is left as it was.
    /// </summary>
    public void Dispose()
    {
        var removed = false;
        try
        {
            // Deleted while still held, so that no other run can take this file's lock in between and then share the folder with a new one.
            if (_made is not null && HoldsOnlyTheLock())
            {
                File.Delete(_file.Name);
                removed = true;
            }
        }
        // Left as it is (the folder itself removed meanwhile, say): releasing a folder never replaces the run's own outcome with an error of its own.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        _file.Dispose();
        // Never above what the run made: a folder that existed stays, even if now empty.
        if (removed) MadeFolders.RemoveEmpty(_folder, _made!);
    }

    private bool HoldsOnlyTheLock() =>
        Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName).SequenceEqual([OutputFolder.LockFileName]);
}
