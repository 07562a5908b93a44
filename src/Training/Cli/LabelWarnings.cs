using InverseLearning.Data;
using InverseLearning.Training.Methods;

namespace InverseLearning.Training.Cli;

/// <summary>One line before training for each method that cannot learn from the labels given (e.g. none on implicit feedback).</summary>
public static class LabelWarnings
{
    public static void Print(IEnumerable<string> methods, PreparedDataset data, TextWriter to)
    {
        foreach (var method in methods.Distinct())
            if (MethodRegistry.Get(method).CannotLearnFrom(data.TrainRows) is { } warning) to.WriteLine($"warning: {warning}");
    }
}
