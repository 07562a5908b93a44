namespace InverseLearning.Data;

/// <summary>
/// What tells one version of a file from the next without reading it: the file it is once every link on its way is followed
/// (a Kubernetes volume swaps its `..data` link, and the file's own link, its write time and length stay as they were), its
/// write time, length and permissions (a file refused as unreadable is tried again once made readable). The serving host tells a
/// model's versions by it, and a streamed run a lake's part rewritten while a pass reads it.
/// </summary>
internal readonly record struct FileStamp(string RealPath, DateTime LastWriteUtc, long Length, UnixFileMode Mode)
{
    public static FileStamp? Of(string path)
    {
        var real = Data.RealPath.Of(path);
        var info = new FileInfo(real);
        return info.Exists ? new FileStamp(real, info.LastWriteTimeUtc, info.Length, info.UnixFileMode) : null;
    }
}
