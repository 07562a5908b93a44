using InverseLearning.Data;
using InverseLearning.Data.Simulation;

namespace InverseLearning.Training.Evaluation;

/// <summary>The simulator's true labels of a set's rows (the "clean" metrics, the true positives of full ranking).</summary>
public static class TrueLabels
{
    /// <summary>One bit a row: the clean test's labels sit beside the test's scores at a run's end.</summary>
    public static PackedLabels Of(PreparedDataset data, LabeledSet set, GroundTruth truth)
    {
        var labels = new PackedLabels(set.Count);
        foreach (var (user, start, count) in set.UserRuns())
            for (var r = start; r < start + count; r++)
                labels[r] = truth.TrueLabel(data.Users.RawIds[user], data.Items.RawIds[set.Items[r]]) ? 1f : 0f;
        return labels;
    }
}
