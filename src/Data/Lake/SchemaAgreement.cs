namespace InverseLearning.Data;

/// <summary>
/// The part files of one dataset must have the same log columns: a column one part
/// lacks would leave its rows without values. (Each part's column types are checked
/// when it is opened; nullability may differ, as it does between writers.) And no partition
/// directory may name a column the files have: the two could disagree, and only one would be read.
/// </summary>
internal static class SchemaAgreement
{
    public static void Check(string referencePath, LogColumns reference, string path, LogColumns part)
    {
        foreach (var ((name, expected), (_, actual)) in reference.Optional.Zip(part.Optional))
        {
            if (expected is not null && actual is null)
                throw new DataException($"{path}: column '{name}' is missing, but {referencePath} has it (all part files of a dataset must share one schema)");
            if (expected is null && actual is not null)
                throw new DataException($"{path}: column '{name}' is not in {referencePath} (all part files of a dataset must share one schema)");
        }
    }

    /// <summary>
    /// Refuses a part under a `key=value` directory whose file has a column `key`: the reader would read the file's column
    /// (a split column's "train" under `split=test/`) while `--where` filters on the directory's value.
    /// </summary>
    public static void CheckPartition(LogDataset.Part part, ParquetPart opened)
    {
        foreach (var (key, value) in part.Partition)
            if (opened.Reader.Schema.Fields.Any(field => field.Name == key))
                throw new DataException($"{part.Path}: partition directory {key}={value} names a column the file also has ('{key}'), and the two could disagree; rename the directory key or leave the column out of the files");
    }
}
