namespace InverseLearning.Data;

/// <summary>
/// The memory a read may hold, named as the command's user knows it (its --max-memory, or the machine's). The rows a
/// log's footers declare are counted against it before anything is allocated for them: a footer is a few bytes, and one
/// claiming 600 million rows of a 160 KB file would otherwise take gigabytes before its first page fails to read.
/// </summary>
public sealed record HeldMemoryLimit(double Bytes, string Name)
{
    /// <summary>Refuses <paramref name="rows"/> rows of <paramref name="bytesPerRow"/> each, held at once, past the limit; <paramref name="what"/> names where they are declared.</summary>
    public void Require(string what, long rows, double bytesPerRow)
    {
        var bytes = rows * bytesPerRow;
        if (bytes > Bytes)
            throw new DataException($"{what}: its footer declares {rows:N0} rows, {bytes / (1 << 20):N0} MiB held in memory, more than {Name}; a log larger than memory trains with --stream");
    }
}
