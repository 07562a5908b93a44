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
        return (Where(data.Test, TrueLabels.Of(data, data.Test, truth)), "truth");
    }

    /// <summary>The rows of <paramref name="set"/> whose label in <paramref name="labels"/> (one per row) is positive, each labeled 1.</summary>
    public static LabeledSet Where(LabeledSet set, IReadOnlyList<float> labels)
    {
        var (users, items) = (new List<int>(), new List<int>());
        foreach (var (user, start, count) in set.UserRuns())   // by runs: a set grouped by user holds no user column
            for (var r = start; r < start + count; r++)
                if (labels[r] > 0.5f)
                {
                    users.Add(user);
                    items.Add(set.Items[r]);
                }
        return new LabeledSet([.. users], [.. items], users.Select(_ => 1f).ToArray());
    }

    /// <summary>The rows of <paramref name="positives"/> whose user passes <paramref name="keep"/> (e.g. one sparsity group, or a sample).</summary>
    public static LabeledSet OfUsers(LabeledSet positives, Func<int, bool> keep)
    {
        var rows = Enumerable.Range(0, positives.Count).Where(r => keep(positives.Users[r])).ToArray();
        return new LabeledSet(rows.Select(r => positives.Users[r]).ToArray(), rows.Select(r => positives.Items[r]).ToArray(), rows.Select(r => positives.Labels[r]).ToArray());
    }
}
