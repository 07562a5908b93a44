namespace InverseLearning.Data.Tests.Lake;

/// <summary>Part files for dataset tests: small logs whose user ids say which part and row they came from.</summary>
internal static class LakeFiles
{
    /// <summary>Writes a rating log of <paramref name="rows"/> rows with user ids first, first+1, ... to <paramref name="path"/> (folders created).</summary>
    public static void Part(string path, long first, int rows, float rating = 4)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var log = new InteractionLog(rows) { Rating = new NullableColumn<float>(rows) };
        for (var r = 0; r < rows; r++)
        {
            log.UserId[r] = first + r;
            log.ItemId[r] = 1000 + r;
            log.Rating.Set(r, rating);
        }
        InteractionLogParquet.Write(log, path);
    }

    public static string At(this TempFolder folder, params string[] segments) => Path.Combine([folder.Path, .. segments]);
}
