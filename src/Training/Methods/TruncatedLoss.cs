using InverseLearning.Training.Graph;
using InverseLearning.Training.Losses;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>
/// T-CE (DenoisingRec): on NS data, drop the ⌊ε(T)·|batch|⌋ positive rows with the
/// largest loss, ε(T) = min(α·T, ε_max), α = ε_max / ε_N, T the iteration. Negatives are
/// never dropped. Mean over the rows kept.
/// </summary>
public sealed class TruncatedLoss(double maxDropRate = 0.2, long warmupIterations = 30_000) : TrainingMethod
{
    public const string DropCount = "drop_count";
    private readonly long[] _dropCount = new long[1];

    public override string Name => "tce";

    public override Value Loss(WorkingSetInputs x, Value logits)
    {
        var g = x.G;
        var k = g.Input(DropCount, DType.Int64, 1);
        var perRow = Bce.PerRow(g, logits, x.Labels);
        // Only positives compete to be dropped: everything else scores −1, below any loss.
        var positive = g.Greater(x.Labels, g.Scalar(0.5));
        var candidates = g.Where(positive, g.StopGradient(perRow), g.Scalar(-1));
        var (dropped, droppedRows) = g.TopK(candidates, k);
        var keep = g.ScatterElements(g.Expand(g.Scalar(1), perRow), droppedRows, g.ZerosLike(dropped));
        return g.Div(g.Sum(g.Mul(keep, perRow)), g.Sum(keep));
    }

    /// <summary>ε(T) = min(T·ε_max/ε_N, ε_max).</summary>
    public double DropRate(long iteration) => Math.Min(iteration * maxDropRate / warmupIterations, maxDropRate);

    public override void BindExtraInputs(GraphSession step, StepRows rows, long iteration)
    {
        var positives = 0;
        for (var r = 0; r < rows.Count; r++) if (rows.Labels[r] > 0.5f) positives++;
        _dropCount[0] = Math.Min((long)Math.Floor(DropRate(iteration) * rows.Count), positives);
        step.Input(DropCount, _dropCount, 1);
    }

    public override IReadOnlyDictionary<string, object> Settings =>
        new Dictionary<string, object> { ["epsilon_max"] = maxDropRate, ["epsilon_n"] = warmupIterations };
}
