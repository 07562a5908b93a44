namespace InverseLearning.Data;

/// <summary>
/// The part files of one dataset must have the same log columns: a column one part
/// lacks would leave its rows without values. (Each part's column types are checked
/// when it is opened; nullability may differ, as it does between writers.)
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
}
