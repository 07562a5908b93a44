using InverseLearning.Training.Methods;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Methods;

/// <summary>T-CE's drop count: ⌊ε(T)·|batch|⌋, never more than the batch's positives.</summary>
public class TruncatedLossScheduleTests
{
    /// <summary>Ten rows: the labeled ones with <paramref name="labels"/>, the rest unlabeled (label 0).</summary>
    private static StepRows Rows(params float[] labels)
    {
        const int n = 10;
        var rows = new StepRows(n, itemRows: 20);
        var ids = Enumerable.Range(1, n).ToArray();
        rows.Set(ids, ids, labels, labels.Length, ids, Enumerable.Range(0, n).ToArray(), ids, Enumerable.Range(0, n).ToArray());
        return rows;
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(29, 1)]     // ε = 0.145: ⌊1.45⌋
    [InlineData(38, 1)]     // ε = 0.19: ⌊1.9⌋, not rounded up to 2
    [InlineData(50, 2)]     // ε = 0.25: ⌊2.5⌋, not rounded
    [InlineData(60, 3)]     // ε = 0.3
    [InlineData(100, 3)]    // ε = 0.5 would drop 5: capped by the 3 positives
    [InlineData(10_000, 3)]
    public void Drops_the_floor_of_rate_times_rows_capped_by_positives(long iteration, long expected)
    {
        var schedule = new TruncatedLoss.DropSchedule(maxDropRate: 0.5, warmupIterations: 100);
        Assert.Equal(expected, schedule.RowsToDrop(Rows(1, 1, 0, 1, 0, 0), iteration));
    }

    [Fact]
    public void Only_labels_above_one_half_count_as_positives()
    {
        var schedule = new TruncatedLoss.DropSchedule(maxDropRate: 0.5, warmupIterations: 1);
        Assert.Equal(1, schedule.RowsToDrop(Rows(0.5f, 1, 0.49f), 5));
        Assert.Equal(0, schedule.RowsToDrop(Rows(0, 0), 5));
    }
}
