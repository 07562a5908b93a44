namespace InverseLearning.Data;

// Apart from Problem: it throws this project's DataException, which the programs that compile InputFile.cs alone have not.
internal static partial class InputFile
{
    /// <summary>Throws a <see cref="DataException"/> naming the path when it is not a file.</summary>
    public static void Require(string path, string expected = "a file", bool seekable = true)
    {
        if (Problem(path, seekable, expected) is { } problem) throw DataException.In(path, problem);
    }
}
