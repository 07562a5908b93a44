namespace InverseLearning.Training.Cli;

/// <summary>The refusal of a name outside a flag's set, with "did you mean" for a near miss (CUDA for cuda) as methods and models have.</summary>
public static class NameRefusal
{
    public static string Of(string flag, string what, string given, IReadOnlyList<string> names, string? didYouMean = null) =>
        $"{flag}: unknown {what} '{given}', expected {string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}{didYouMean ?? Serving.Spelling.DidYouMean(given, names)}";
}
