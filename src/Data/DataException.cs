namespace InverseLearning.Data;

/// <summary>
/// Bad input data: the message is one sentence a user can act on, naming the file and,
/// where they apply, the column, the row and what was expected.
/// </summary>
public sealed class DataException : Exception
{
    public DataException(string message) : base(message) { }

    public DataException(string message, Exception inner) : base(message, inner) { }
}
