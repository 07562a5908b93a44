using InverseLearning.Data;
using InverseLearning.Data.Simulation;

namespace InverseLearning.Training.Evaluation;

/// <summary>
/// The full-ranking protocol's true positives among the test rows: those the dataset's
/// --test-positives rule marked (like, rating:N), or else the simulator's ground truth.
/// </summary>
public static class TestPositives
{
    public static (LabeledSet Positives, string Rule) Resolve(PreparedDataset data, GroundTruth? truth)
    {
        if (data.Extra.TestPositives is { } marked) return (marked, data.Extra.TestPositivesRule!);
        if (truth is null)
            throw new DataException("--test-positives truth needs the simulator's ground truth beside the log (truth.parquet, truth-model.bin); on other logs use --test-positives like or rating:N");
        var labels = TrueLabels.Of(data, data.Test, truth);
        var keep = labels.Count(l => l > 0.5f);
        var positives = new LabeledSet(new int[keep], new int[keep], new float[keep]);
        var k = 0;
        for (var r = 0; r < labels.Length; r++)
        {
            if (labels[r] < 0.5f) continue;
            positives.Users[k] = data.Test.Users[r];
            positives.Items[k] = data.Test.Items[r];
            positives.Labels[k++] = 1f;
        }
        return (positives, "truth");
    }

    /// <summary>The rows of <paramref name="positives"/> whose user passes <paramref name="keep"/> (e.g. one sparsity group, or a sample).</summary>
    public static LabeledSet OfUsers(LabeledSet positives, Func<int, bool> keep)
    {
        var rows = Enumerable.Range(0, positives.Count).Where(r => keep(positives.Users[r])).ToArray();
        return new LabeledSet(rows.Select(r => positives.Users[r]).ToArray(), rows.Select(r => positives.Items[r]).ToArray(), rows.Select(r => positives.Labels[r]).ToArray());
    }
}
