namespace InverseLearning.Serving.Transport;

/// <summary>
/// Bytes that <see cref="RequestScan"/> cannot walk as protobuf: the call is refused (INVALID_ARGUMENT) rather than parsed, since
/// a count that stops where the scan stops would be lower than what the parser builds from the rest.
/// </summary>
/// <param name="problem">What is wrong and where, in the client's terms (the field's number, what was expected).</param>
public sealed class MalformedMessageException(string problem) : Exception(problem)
{
    /// <summary>The refusal's one line, worded as the parser's own refusals are (<see cref="StrictRankerBinding"/>).</summary>
    public static string Detail(string messageType, string problem) => $"the request body is not a valid {messageType} message ({problem})";
}
