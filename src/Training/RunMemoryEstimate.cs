using InverseLearning.Data;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;

namespace InverseLearning.Training;

/// <summary>
/// The memory a training run will hold, part by part, computed from its settings and table
/// sizes before anything is allocated: embedding tables and dense layers with their
/// optimizer state, the best-epoch snapshots, the step's working set and activations, the
/// DNS and SRNS buffers, the scoring chunk and activations, and the exported model. Figures
/// are in doubles, so absurd settings are measured rather than overflowed.
/// </summary>
public sealed class RunMemoryEstimate
{
    /// <summary>Process, .NET and ONNX Runtime before any run-sized buffer (RSS of a tiny run; see BENCHMARKS.md).</summary>
    public const double BaselineBytes = 200.0 * (1 << 20);
    private const string BaselineName = "process and runtimes";

    // TrainingEngine's scoring chunk: ids in (2 × int64) and a score out (float32) per row.
    private const double ScoringChunkRows = 1 << 16;

    /// <summary>Bytes per scored row and unit of summed layer width are this many floats (see the scoring activations).</summary>
    public const double ScoringFloatsPerWidth = 2.5;

    /// <summary>
    /// What a prepared log holds: <see cref="InverseLearning.Data.PreparedDataset.ResidentBytes"/>, its training rows, and the largest
    /// row group a held read decoded (<see cref="InverseLearning.Data.PreparedDataset.ReadGroupRows"/>).
    /// </summary>
    public sealed record PreparedLogSize(double Bytes, double TrainRows, double ReadGroupRows = 0);

    /// <summary>
    /// Heap a held read by two passes grows to per row of its largest row group, kept for the run (<see cref="HeldMemoryLimit.BytesPerGroupRow"/>,
    /// which the read checks each group against); the streamed path counts its groups in its epoch.
    /// </summary>
    public const double HeldReadBytesPerGroupRow = HeldMemoryLimit.BytesPerGroupRow;

    /// <summary>
    /// One holder of memory; <see cref="LargestArray"/> is the element count of its largest single array. A
    /// <see cref="Shared"/> part is held once by the process however many runs train in it at once (the prepared log).
    /// </summary>
    public sealed record Part(string What, string Flags, double Bytes, double LargestArray, bool Shared = false);

    private RunMemoryEstimate(IReadOnlyList<Part> parts) => Parts = parts;

    public IReadOnlyList<Part> Parts { get; }
    public double TotalBytes => BaselineBytes + Parts.Sum(p => p.Bytes);

    /// <summary>What runs at once in one process hold once between them: the process and runtimes, and the shared parts.</summary>
    public double SharedBytes => BaselineBytes + Parts.Where(p => p.Shared).Sum(p => p.Bytes);

    /// <summary>Whether the log was not read yet (<see cref="BeforeData"/>): the need is a lower bound, and its refusal says so.</summary>
    public bool LowerBound { get; private init; }

    /// <summary>Before the log is read: one user and one item beside the reserved rows, a lower bound that already catches absurd sizes.</summary>
    public static RunMemoryEstimate BeforeData(TrainSettings settings) =>
        new(For(settings, userRows: 2, itemRows: 2, evaluationRows: 0).Parts) { LowerBound = true };

    /// <param name="userRows">Rows of the user tables (vocabulary size, the reserved row 0 included).</param>
    /// <param name="evaluationRows">Rows of the larger held-out split (validation or test), scored at once.</param>
    /// <param name="data">The prepared log, once read (its own bytes, the epoch order over its training rows, and IG's training-train and training-test).</param>
    /// <param name="trainingRows">The training rows, held or streamed: they bound a graph backbone's edges.</param>
    public static RunMemoryEstimate For(TrainSettings settings, double userRows, double itemRows, double evaluationRows, PreparedLogSize? data = null, double trainingRows = 0)
    {
        settings.Validate();
        const double f = sizeof(float);
        var backbone = ModelRegistry.Get(settings.Model);
        var model = backbone.Create(new ModelContext(settings, (int)Math.Min(userRows, int.MaxValue), (int)Math.Min(itemRows, int.MaxValue)));   // shapes only
        double stateSlots = OptimizerFactory.Create(settings.Optimizer).StateNames.Count;
        double stepRows = settings.RowsPerStep;
        double slots = stepRows * settings.SampledPerLabeled / (1 + settings.SampledPerLabeled);
        var widthFlags = backbone.SizeFlags;
        // What sets the step's rows: --batch-rows alone when given (or a --protocol's), else --batch-size with --ng's sampled rows.
        var stepFlags = settings.BatchRows is null ? "--batch-size, --ng" : "--batch-rows";
        var parts = new List<Part>();

        double parameters = 0, workingSet = 0, widths = 0, largestWorking = 0;
        foreach (var table in model.Embeddings)
        {
            var rows = table.Side == TableSide.User ? userRows : itemRows;
            var values = rows * table.Dim;
            parameters += values;
            parts.Add(new Part($"{table.Name} table", widthFlags, values * f * (1 + stateSlots), values));
            var capacity = (table.Whole ? rows : Math.Min(stepRows, rows)) * table.Dim;
            workingSet += capacity;
            largestWorking = Math.Max(largestWorking, capacity);
            widths += table.Dim;
        }
        double dense = 0, largestDense = 0;
        foreach (var layer in model.Dense)
        {
            var values = layer.Shape.Aggregate(1.0, (a, b) => a * b);
            dense += values;
            largestDense = Math.Max(largestDense, values);
            widths += layer.Shape[^1];
        }
        parameters += dense;
        workingSet += dense;
        if (dense > 0) parts.Add(new Part("dense layers", widthFlags, dense * f * (1 + stateSlots), largestDense));
        parts.Add(new Part("best-epoch snapshot", widthFlags, parameters * f * (1 + stateSlots), 0));
        // A new best epoch's snapshot is copied while the previous one is still held.
        parts.Add(new Part("previous best-epoch snapshot", widthFlags, parameters * f * (1 + stateSlots), 0));
        // Per working-set part: rows, new rows and a zero buffer, plus state in and out.
        parts.Add(new Part("step working set", $"{stepFlags}, {widthFlags}", workingSet * f * (3 + 2 * stateSlots), Math.Max(largestWorking, largestDense)));
        // Forward values and their gradients per row, for the step and IG's candidate losses, as ONNX
        // Runtime's arena holds them: 8 floats per unit of width matches the RSS measured in BENCHMARKS.md.
        parts.Add(new Part("step activations", $"{stepFlags}, {widthFlags}", stepRows * widths * f * 8, stepRows * widths));
        parts.Add(new Part("step row indices", stepFlags, stepRows * 4 * sizeof(int) + itemRows * 2 * sizeof(int), Math.Max(stepRows, itemRows)));
        parts.Add(new Part("scoring chunk", "", ScoringChunkRows * (2 * sizeof(long) + f), ScoringChunkRows));
        if (evaluationRows > 0) parts.Add(new Part("evaluation buffers", "", evaluationRows * 10 * f, evaluationRows));
        // Scoring (validation, test, the annotation analyses) runs up to a chunk of rows at once in its own ONNX Runtime
        // session, whose arena keeps per row the rows gathered from the tables and the layers' outputs (GMF: 1.5 floats per
        // unit of width) and grows by doubling: 2.5 floats per unit covers the RSS measured in BENCHMARKS.md.
        var scoringRows = Math.Min(evaluationRows, ScoringChunkRows);
        if (scoringRows > 0) parts.Add(new Part("scoring activations", widthFlags, scoringRows * widths * f * ScoringFloatsPerWidth, 0));
        // model.onnx is built in memory, then serialized in one array: the parameters, the id encoders' keys and
        // values (two int64 per user and item) and the catalogue (one per item). Each table is read out of the
        // store before it is copied into the graph, so the parameters are held once more while it is built.
        var exported = parameters * f + (userRows + itemRows) * 2 * sizeof(long) + itemRows * sizeof(long);
        parts.Add(new Part("exported model", widthFlags, 2 * exported + parameters * f, exported));
        if (data is { } log)
        {
            var trainingTest = Methods.MethodRegistry.Get(settings.Method).NeedsTrainingTest ? log.TrainRows * 9 : 0;
            var prepared = log.Bytes + log.TrainRows * sizeof(int) + trainingTest;
            // The log itself is read once for all runs at once (experiment --jobs); each run has its own epoch order and IG split.
            parts.Add(new Part("prepared log", "--where", log.Bytes, log.TrainRows, Shared: true));
            parts.Add(new Part("epoch order and IG's training split", "--where", log.TrainRows * sizeof(int) + trainingTest, log.TrainRows));
            // Arrays freed while the log is read, split and indexed leave the heap above what is live: measured 4–5 bytes per
            // impression over 14–18 held at 30M–90M impressions when the whole log is read and split by moving its columns
            // (play-time labels, column:NAME rules, a random split that follows a split column), less by two passes (BENCHMARKS.md, "Streaming training"); a quarter covers it.
            parts.Add(new Part("collector slack", "--where", prepared / 4, 0, Shared: true));
            if (log.ReadGroupRows > 0) parts.Add(new Part("log read's row-group buffers", "", log.ReadGroupRows * HeldReadBytesPerGroupRow, 0, Shared: true));
        }
        var method = Methods.MethodRegistry.Get(settings.Method);
        var backboneParts = backbone.MemoryParts(settings, trainingRows).ToList();
        parts.AddRange(backboneParts);
        foreach (var graph in method.FurtherStepGraphs) parts.AddRange(backboneParts.Select(part => part with { What = $"{part.What} in {graph}" }));
        parts.AddRange(method.MemoryParts(
            new Methods.MethodMemory(settings, userRows, slots, workingSet, Math.Max(largestWorking, largestDense))));
        return new RunMemoryEstimate(parts);
    }

    /// <summary>Throws one line when a single array would exceed .NET's limit or the total exceeds <paramref name="budget"/>.</summary>
    /// <param name="sizesOfCheckpoint">The sizes are a checkpoint's (eval, export), which none of the verb's flags change: only more memory is advised.</param>
    public void EnsureFits(MemoryBudget budget, bool sizesOfCheckpoint = false)
    {
        foreach (var part in Parts.Where(p => p.LargestArray > Array.MaxLength))
            throw new ArgumentException($"{Flag(part)}: the {part.What} would need {part.LargestArray:N0} values in one array, " +
                $"more than .NET's limit of {Array.MaxLength:N0}");
        // Runs at once share the process: what one holds for all counts once, the rest once per run.
        var perRun = TotalBytes - SharedBytes;
        var need = SharedBytes + budget.Shares * perRun;
        if (need <= budget.Total) return;
        var flags = Parts.OrderByDescending(p => p.Bytes).First().Flags;
        // A budget raised to a lower bound's need is refused again once the log is read: said beforehand, that is no surprise.
        var advice = (sizesOfCheckpoint
                ? $"{(budget.Explicit ? "raise --max-memory" : "free some memory or use a machine with more")} (the sizes{(flags.Length > 0 ? $", {flags}," : "")} are the checkpoint's, as it was trained)"
                : $"lower {(flags.Length > 0 ? flags : "the sizes")}{(budget.Shares > 1 ? " or --jobs" : "")} or raise --max-memory") +
            (LowerBound ? " (this need is a lower bound, counted before the log is read: the log's users, items and rows add to it once it is)" : "");
        if (budget.Shares == 1)
            throw new ArgumentException($"this run needs about {ByteSize.Format(TotalBytes)} of memory ({Largest(Parts)}), more than {budget.Describe()}; {advice}");
        throw new ArgumentException($"{budget.Shares} runs at once need about {ByteSize.Format(need)} of memory ({ByteSize.Format(SharedBytes)} held once: " +
            $"{Largest(Parts.Where(p => p.Shared))}; {ByteSize.Format(perRun)} per run: {Largest(Parts.Where(p => !p.Shared), withBaseline: false)}), more than {budget.Describe()}; {advice}");
    }

    /// <summary>The three largest parts; the baseline is named too, as on a small run it is most of the total.</summary>
    private static string Largest(IEnumerable<Part> parts, bool withBaseline = true) =>
        string.Join(", ", parts.Select(p => (p.What, p.Bytes)).Concat(withBaseline ? [(What: BaselineName, Bytes: BaselineBytes)] : [])
            .OrderByDescending(p => p.Bytes).Take(3).Select(p => $"{p.What} {ByteSize.Format(p.Bytes)}"));

    private static string Flag(Part part) => part.Flags.Length > 0 ? part.Flags : "the data";
}
