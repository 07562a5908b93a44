namespace InverseLearning.Data;

/// <summary>
/// The file a path leads to once its symbolic links are followed. .NET's FileInfo of a link describes the link itself: its length is
/// that of the target's name, so a link to a named pipe or a device would pass a "has a length, so is a regular file" check, and its
/// reading would wait for a writer for ever or never end. Internal, and compiled into each program that checks a file's length
/// before reading it (the trainer, the serving host, which does not reference this project) from this one file.
/// </summary>
internal static class FinalFile
{
    /// <summary>
    /// The final target of <paramref name="path"/>; the path's own entry when it is no link, or a link that leads nowhere (to nothing,
    /// to a directory, round a loop), whose opening then fails as it would have.
    /// </summary>
    public static FileInfo At(string path)
    {
        var entry = new FileInfo(path);
        if (entry.LinkTarget is null) return entry;
        try
        {
            return entry.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true } final ? final : entry;
        }
        catch (IOException)
        {
            return entry; // too many levels of links
        }
    }
}
