namespace InverseLearning.Data;

/// <summary>
/// Bad input data: the message is one sentence a user can act on, naming the file and,
/// where they apply, the column, the row and what was expected.
/// </summary>
public sealed class DataException : Exception
{
    public DataException(string message) : base(message) { Problem = message; }

    public DataException(string message, Exception inner) : base(message, inner) { Problem = message; }

    private DataException(string path, string problem, Exception? inner) : base($"{path}: {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>A problem with the file at <paramref name="path"/>: the message names the file, then the problem.</summary>
    public static DataException In(string path, string problem, Exception? inner = null) => new(path, problem, inner);

    /// <summary>The file the message names first, for an exception made by <see cref="In"/>; null otherwise.</summary>
    public string? FilePath { get; }

    /// <summary>What is wrong, without the file the message names first (for a caller that says it in its own words).</summary>
    public string Problem { get; }
}
