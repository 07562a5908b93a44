using InverseLearning.Training.Plugins;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Losses;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>
/// T-CE (DenoisingRec): on NS data, drop the ⌊ε(T)·|batch|⌋ positive rows with the
/// largest loss, ε(T) = min(α·T, ε_max), α = ε_max / ε_N, T the phase's step count.
/// Negatives are never dropped. Mean over the rows kept.
/// </summary>
public sealed class TruncatedLoss : TrainingMethod
{
    public const string DropCount = "drop_count";
    public static readonly PluginOption MaxDropRate = new("tce-max-drop", "T-CE: ε_max, the largest share of a batch dropped.", 0.2, 0, 1);
    public static readonly PluginOption Warmup = new("tce-warmup", "T-CE: ε_N, iterations to reach ε_max.", 30_000, 1, 1e12, Integer: true);

    public override string Name => "tce";
    public override IReadOnlyList<PluginOption> Options => [MaxDropRate, Warmup];

    public override MethodPlan Plan(PlanContext context) =>
        context.OnePass(this, new Objective("tce", Loss, new DropSchedule(context.Settings.Option(MaxDropRate), (long)context.Settings.Option(Warmup))));

    public static Value Loss(WorkingSetInputs x, Value logits)
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

    /// <summary>ε(T) and the number of rows a step drops; a function of T alone, so it needs no saved state.</summary>
    public sealed class DropSchedule(double maxDropRate, long warmupIterations) : IObjectiveInputs
    {
        private readonly long[] _dropCount = new long[1];

        /// <summary>ε(T) = min(T·ε_max/ε_N, ε_max).</summary>
        public double DropRate(long iteration) => Math.Min(iteration * maxDropRate / warmupIterations, maxDropRate);

        /// <summary>⌊ε(T)·|batch|⌋, at most the batch's positives.</summary>
        public long RowsToDrop(StepRows rows, long iteration)
        {
            var positives = 0;
            for (var r = 0; r < rows.Count; r++) if (rows.Labels[r] > 0.5f) positives++;
            return Math.Min((long)Math.Floor(DropRate(iteration) * rows.Count), positives);
        }

        public void Bind(GraphSession step, StepRows rows, long phaseIteration)
        {
            _dropCount[0] = RowsToDrop(rows, phaseIteration);
            step.Input(DropCount, _dropCount, 1);
        }
    }
}
