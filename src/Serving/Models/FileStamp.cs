namespace InverseLearning.Serving.Models;

/// <summary>What tells one version of a file from the next without reading it: write time and length.</summary>
public readonly record struct FileStamp(DateTime LastWriteUtc, long Length)
{
    public static FileStamp? Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.Length) : null;
    }
}
