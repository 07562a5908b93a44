namespace InverseLearning.Data;

/// <summary>
/// The memory a read may hold, named as the command's user knows it (its --max-memory, or the machine's). The rows a
/// log's footers declare are counted against it before anything is allocated for them: a footer is a few bytes, and one
/// claiming 600 million rows of a 160 KB file would otherwise take gigabytes before its first page fails to read.
/// </summary>
public sealed record HeldMemoryLimit(double Bytes, string Name)
{
    /// <summary>What a refusal of a whole log advises.</summary>
    public const string WholeLogAdvice = "a log larger than memory trains with train --stream";

    /// <summary>
    /// Heap a read grows to per row of a row group it decodes: the group's decoded columns and Parquet.Net's page buffers. Peak RSS
    /// of `train` on 2M-row logs of 1M-row groups was 1.21–1.49 × the run's estimate without it (BENCHMARKS.md, "Memory estimate
    /// against measured RSS"); a held read keeps it for the run.
    /// </summary>
    public const double BytesPerGroupRow = 160;

    /// <summary>What a refusal of one row group advises: a streamed read holds a row group at a time.</summary>
    public const string RowGroupAdvice = "write the log with smaller row groups, or allow more memory";

    /// <summary>
    /// Refuses <paramref name="rows"/> rows of <paramref name="bytesPerRow"/> each, held at once, past the limit;
    /// <paramref name="what"/> names where they are declared, and <paramref name="advice"/> what to do.
    /// </summary>
    public void Require(string what, long rows, double bytesPerRow, string advice)
    {
        var bytes = rows * bytesPerRow;
        if (bytes > Bytes)
            throw new DataException($"{what}: {rows:N0} rows declared by the Parquet footers, {ByteSize.Format(bytes)} held in memory, more than {Name}; {advice}");
    }
}
