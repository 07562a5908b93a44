namespace InverseLearning.Data;

/// <summary>One folder held through its open lock file (<see cref="HeldFolders.Register"/>); disposing it ends the registration, not the lock.</summary>
public sealed class HeldFolder : IDisposable
{
    private const string DeletedSuffix = " (deleted)";
    private readonly FileStream _lockFile;
    private readonly (ulong Device, ulong Inode)? _identity;
    private readonly string _name;

    internal HeldFolder(string folder, FileStream lockFile, string name)
    {
        Folder = folder;
        _lockFile = lockFile;
        _name = name;
        _identity = FileIdentity.Of(OpenFile);
    }

    /// <summary>The folder, as a full path without a separator at its end.</summary>
    public string Folder { get; }

    /// <summary>
    /// Whether the folder's lock file is still the one held open: not when the folder, or the lock file, was removed or moved
    /// (another run may have made and locked the folder again since). Where the system cannot tell files apart, whether a lock file is there.
    /// </summary>
    public bool StillHeld
    {
        get
        {
            var lockPath = Path.Combine(Folder, Path.GetFileName(_lockFile.Name));
            return _identity is { } identity ? FileIdentity.Of(lockPath) == identity : File.Exists(lockPath);
        }
    }

    /// <summary>Where the folder is now, when it was moved (Linux tells where an open file is); null when it was removed, or the system cannot tell.</summary>
    public string? MovedTo
    {
        get
        {
            string? now;
            try
            {
                now = new FileInfo(OpenFile).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
            if (now is null || now.EndsWith(DeletedSuffix, StringComparison.Ordinal)) return null;
            var folder = Path.GetDirectoryName(now);
            return folder == Folder ? null : folder;
        }
    }

    /// <summary>The one line that tells the folder is no longer held.</summary>
    internal string Gone() => MovedTo is { } now
        ? $"{_name} was moved to {now} while it was being written; stopped, as it no longer names the folder this command holds"
        : $"{_name} was removed while it was being written; stopped rather than make it again without its lock (another run may take it)";

    public void Dispose() => HeldFolders.Release(this);

    // The lock file as the process holds it open: where it is now, followed wherever it was moved.
    private string OpenFile => $"/proc/self/fd/{_lockFile.SafeFileHandle.DangerousGetHandle()}";
}
