using InverseLearning.Data;

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
    private readonly bool _lockMade;
    private readonly IReadOnlyDictionary<string, (DateTime WrittenUtc, long Length)> _foundEntries;
    private readonly IDisposable _forcedExit;
    private readonly HeldFolder _held;
    private bool _disposed;

    /// <param name="file">The lock file, opened with no sharing; this lock owns it from here.</param>
    /// <param name="folder">The folder it locks.</param>
    /// <param name="made">The outermost folder the run made to get <paramref name="folder"/> (itself, or one above it); null when it existed.</param>
    /// <param name="lockMade">Whether the run made the lock file (the folder had none).</param>
    /// <param name="name">The folder as the user gave it, with its flag ("--out van4"), for telling it was removed or moved while held.</param>
    internal FolderLock(FileStream file, string folder, string? made, bool lockMade, string name)
    {
        _file = file;
        _folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        _made = made;
        _lockMade = lockMade;
        try
        {
            var mark = Path.Combine(folder, $".started-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(mark, []);
            File.Delete(mark);
            TakenUtc = Directory.GetLastWriteTimeUtc(folder);
            _foundEntries = Entries(folder);
            FoundFiles = _foundEntries.Where(entry => entry.Value.Length >= 0).Select(entry => entry.Key).ToHashSet(StringComparer.Ordinal);
            _held = HeldFolders.Register(folder, file, name);
            _forcedExit = ForcedExit.Register(Dispose);
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

    /// <summary>Whether the folder still holds this lock's file: not once it was removed or moved (another run may have made it again since).</summary>
    public bool StillHeld => _held.StillHeld;

    /// <summary>
    /// Releases the folder. A run that leaves it as it found it (one refused after the lock was taken, for bad data, a bad flag or
    /// no checkpoint to resume) leaves no trace: the lock file it made is removed, and a folder it made, with the folders made above
    /// it. A lock file that was there before (an earlier run's) stays, and so does a folder that existed. Released once: by the
    /// run, or by <see cref="ForcedExit"/> when the process is ended while the run is stuck.
    /// </summary>
    public void Dispose()
    {
        lock (_file)
        {
            if (_disposed) return;
            _disposed = true;
            Release();
        }
        _forcedExit.Dispose();
    }

    private void Release()
    {
        var removed = false;
        try
        {
            // Deleted while still held, so that no other run can take this file's lock in between and then share the folder with a new one.
            // A folder removed or moved meanwhile is no longer this run's to clear: another run's lock file may stand at the name.
            if (_lockMade && StillHeld && AsFound())
            {
                File.Delete(_file.Name);
                removed = true;
            }
        }
        // Left as it is (the folder itself removed meanwhile, say): releasing a folder never replaces the run's own outcome with an error of its own.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        _held.Dispose();
        _file.Dispose();
        // Never above what the run made: a folder that existed stays, even if now empty.
        if (removed && _made is not null) MadeFolders.RemoveEmpty(_folder, _made);
    }

    // The entries found, and none written since (the lock file aside): a file rewritten in place is no longer as found. Each is
    // compared with its own time and length when the lock was taken, not with the lock's time, which a file dated in the future
    // (copied from another machine, touched by hand) is after without having been written since. One of the lock's own tick may
    // have been rewritten in that tick, keeping its time, so it is not as found.
    private bool AsFound()
    {
        var entries = Entries(_folder);
        return entries.Count == _foundEntries.Count && entries.All(entry => entry.Key == OutputFolder.LockFileName
            || (_foundEntries.TryGetValue(entry.Key, out var found) && found == entry.Value && found.WrittenUtc != TakenUtc));
    }

    // A folder's entries by name, each with its write time and length (-1 for a folder).
    private static Dictionary<string, (DateTime WrittenUtc, long Length)> Entries(string folder) =>
        new DirectoryInfo(folder).EnumerateFileSystemInfos().ToDictionary(entry => entry.Name,
            entry => (entry.LastWriteTimeUtc, entry is FileInfo file ? file.Length : -1L), StringComparer.Ordinal);
}
