namespace InverseLearning.Data;

/// <summary>A file's length and last write time, which a rewrite changes; <see cref="Missing"/> where no file is there.</summary>
internal readonly record struct FileStamp(long Length, DateTime WrittenUtc)
{
    public static FileStamp Missing { get; } = new(-1, default);

    public static FileStamp Of(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new FileStamp(file.Length, file.LastWriteTimeUtc) : Missing;
    }
}
