using InverseLearning.Training.Cli;
using InverseLearning.Training.Plugins;
namespace InverseLearning.Training;

/// <summary>Everything that defines a training run; the CLI's `train` options, saved with every checkpoint.</summary>
public sealed record TrainSettings
{
    public string Model { get; init; } = "gmf";
    public string Method { get; init; } = "ns";
    public int Epochs { get; init; } = 10;
    /// <summary>Labeled rows per step, each with its <see cref="Ng"/> sampled rows (ignored when <see cref="BatchRows"/> is set).</summary>
    public int BatchSize { get; init; } = 1024;
    /// <summary>
    /// DenoisingRec's batch: rows per step, sampled ones included, so a step of a pass that
    /// samples s rows per labeled row holds BatchRows / (1 + s) labeled rows (s = 0 for a pass
    /// without sampled rows). Null: <see cref="BatchSize"/> labeled rows, whatever the pass.
    /// </summary>
    public int? BatchRows { get; init; }

    /// <summary>Labeled rows per step of a pass that samples <paramref name="sampledPerLabeled"/> rows per labeled row.</summary>
    public int LabeledPerStep(int sampledPerLabeled) => BatchRows is { } rows ? Math.Max(1, rows / (1 + sampledPerLabeled)) : BatchSize;

    /// <summary>The most rows a step holds, sampled ones included.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long RowsPerStep => BatchRows ?? (long)BatchSize * (1 + SampledPerLabeled);

    /// <summary>
    /// The most unlabeled rows a pass of the run samples per labeled row: --ng where the method samples (IG in its training-test
    /// pass), warm-up's and finetune's own; 0 where no pass samples (--method none alone), whatever --ng says.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int SampledPerLabeled => Math.Max(Methods.MethodRegistry.Get(Method).RequiresUnlabeledRows ? Ng : 0,
        Strategies.StrategyRegistry.All.OfType<Strategies.ExtraFeedbackStrategy>().Any(s => s.IsOn(this)) ? Strategies.ExtraFeedbackPhases.SampledPerLabeled(this) : 0);

    /// <summary>The --protocol whose defaults the run took (recorded, so that a resumed run takes them again).</summary>
    public string Protocol { get; init; } = "none";
    /// <summary>adam (the paper's) or sgd.</summary>
    public string Optimizer { get; init; } = "adam";
    /// <summary>η, the learning rate of every BCE/objective step (paper: 1e-4 on ML-1M, 1e-5 on Micro-Video).</summary>
    public double LearningRate { get; init; } = 1e-4;
    /// <summary>Embedding size, every backbone's; a backbone's other sizes are its own options.</summary>
    public int Dim { get; init; } = 32;
    /// <summary>ncf (the authors' initialisation of dense layers) or torch (PyTorch's nn.Linear defaults).</summary>
    public string Init { get; init; } = "ncf";
    [System.Text.Json.Serialization.JsonIgnore]
    public Models.InitScheme InitScheme => Init == "torch" ? Models.InitScheme.Torch : Models.InitScheme.Ncf;
    /// <summary>Unlabeled rows sampled per labeled row.</summary>
    public int Ng { get; init; } = 1;
    /// <summary>Where unlabeled rows come from: never-shown items, the user's middle-band impressions, or both.</summary>
    public InverseLearning.Data.UnlabeledSource UnlabeledSource { get; init; } = InverseLearning.Data.UnlabeledSource.Unseen;
    /// <summary>With UnlabeledSource = Both: the share of unlabeled slots drawn from impressions.</summary>
    public double UnlabeledMix { get; init; } = 0.5;
    public int Seed { get; init; } = 42;
    /// <summary>The seed the data split was made with (experiments vary <see cref="Seed"/> over one split); eval and export rebuild the split from it.</summary>
    public int? SplitSeed { get; init; }
    public int EffectiveSplitSeed => SplitSeed ?? Seed;
    /// <summary>The split by time the run was trained on (eval, export and resume rebuild it); null for the log's split column, the random split or the hash split, and then not written, so those records stay as they were.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public InverseLearning.Data.TimeSplit? TimeSplit { get; init; }
    /// <summary>Split by a hash of (user, item, seed) (--split hash), the split a streamed run makes unless it splits by time; not written when false.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool HashSplit { get; init; }
    /// <summary>Read the training rows from the lake at every epoch instead of holding them (--stream; with <see cref="HashSplit"/> or <see cref="TimeSplit"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Stream { get; init; }
    /// <summary>With <see cref="Stream"/>: rows a streamed epoch shuffles within (--shuffle-buffer); null for the default.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? ShuffleBuffer { get; init; }
    [System.Text.Json.Serialization.JsonIgnore]
    public int EffectiveShuffleBuffer => ShuffleBuffer ?? DefaultShuffleBuffer;
    public const int DefaultShuffleBuffer = 1 << 20, MaxShuffleBuffer = 1 << 28;
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);
    public string Device { get; init; } = "cpu";
    /// <summary>
    /// Where the parameter tables live: host (pinned host arrays, each step's rows copied in and
    /// out), device (memory of the run's device for the whole run), or auto: device under CUDA,
    /// host under the CPU provider. Like --device, a resumed run takes the one given now.
    /// </summary>
    public string Store { get; init; } = "auto";
    public static readonly IReadOnlyList<string> StoreNames = ["auto", "host", "device"];

    /// <summary><see cref="Store"/> with auto decided: device under CUDA, else host.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool DeviceResident => Store == "device" || (Store == "auto" && Device == "cuda");
    /// <summary>Re-create Adam at every step, as the authors' code does (every update an Adam first step).</summary>
    public bool FreshOptimizer { get; init; }

    /// <summary>
    /// The plugins' own hyper-parameters by flag (see <see cref="PluginOption"/>): the
    /// methods', the backbones' and the strategies'; an option missing here takes its default.
    /// (Older checkpoints' settings are read into it: <see cref="Artifacts.LegacySettings"/>.)
    /// </summary>
    public IReadOnlyDictionary<string, double> Options { get; init; } = new SortedDictionary<string, double>();

    /// <summary>The value of a plugin's option: as set, else its default.</summary>
    public double Option(PluginOption option) => Options.TryGetValue(option.Flag, out var v) ? v : option.Default;

    /// <summary>The values of <paramref name="options"/> (a plugin's), by flag, for the run's records.</summary>
    public IReadOnlyDictionary<string, double> ValuesOf(IEnumerable<PluginOption> options) => options.ToDictionary(o => o.Flag, Option);

    /// <summary>These settings with one plugin option set.</summary>
    public TrainSettings WithOption(PluginOption option, double value) =>
        this with { Options = new SortedDictionary<string, double>(Options.ToDictionary()) { [option.Flag] = value } };

    /// <summary>
    /// What every worker of a run on the cluster must share with its coordinator to train one model between them: the
    /// method, the sizes, the optimizer and every plugin option (not where each process runs: threads, device, store).
    /// </summary>
    public string TrainingFingerprint => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Method}, dim {Dim}, lr {LearningRate:R}, batch {BatchSize}{(BatchRows is { } rows ? $" ({rows} rows)" : "")}, ng {Ng}, {Optimizer}{(FreshOptimizer ? " fresh" : "")}, " +
        $"init {Init}, {Epochs} epochs, unlabeled {UnlabeledSource} ({UnlabeledMix:R}), {string.Join(", ", Options.Select(o => $"{o.Key} {o.Value:R}"))}");

    /// <summary>The plugins' options a resumed run may change (more finetune epochs, as more --epochs).</summary>
    public static IReadOnlyList<PluginOption> ResumableOptions { get; } = Strategies.StrategyRegistry.All.SelectMany(s => s.ResumableOptions).ToList();

    /// <summary>
    /// The plugin options the run reads: its model's, its method's, each strategy's switch and the other options of the strategies
    /// it turns on. Only these make one run another: the rest are left out of what a run records and compares (an experiment's
    /// reuse, --resume), so that a flag meant for another model or method of a grid does not train its runs again.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<PluginOption> OwnOptions =>
        [.. Models.ModelRegistry.Get(Model).Options.Union(Methods.MethodRegistry.Get(Method).Options)
            .Union(Strategies.StrategyRegistry.All.SelectMany(s => s.IsOn(this) ? s.Options : new[] { s.Switch }))];

    /// <summary>
    /// These settings with <see cref="Options"/> holding only <see cref="OwnOptions"/> (as set; one left out still takes its
    /// default), what a run records: an option no plugin declares (an older record's) is kept.
    /// </summary>
    public TrainSettings WithOwnOptionsOnly()
    {
        var others = DeclaredOptions.Except(OwnOptions).Select(o => o.Flag).ToHashSet(StringComparer.Ordinal);
        return this with { Options = new SortedDictionary<string, double>(Options.Where(o => !others.Contains(o.Key)).ToDictionary()) };
    }

    /// <summary>Every option the plugins declare (flags are unique across them).</summary>
    public static IReadOnlyList<PluginOption> DeclaredOptions { get; } =
        [.. Methods.MethodRegistry.Options, .. Models.ModelRegistry.Options, .. Strategies.StrategyRegistry.Options];

    /// <summary>--eval full-ranking: the K of Recall@K and NDCG@K over the whole catalogue; null for labeled-row metrics only.</summary>
    public int[]? FullRankingTopK { get; init; }

    /// <summary>The validation measure that picks the checkpoint: loss, auc, gauc, recall@K or ndcg@K (see <see cref="Selection.SelectionMetric"/>).</summary>
    public string SelectBy { get; init; } = "loss";

    /// <summary>Validate every this many steps as well as at each epoch's end; 0: at epoch ends only.</summary>
    public int EvalEvery { get; init; }
    /// <summary>Save last.checkpoint every N steps inside an epoch as well as at its end (--checkpoint-every; 0: epoch ends only). A resumed run continues from that step exactly.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public int CheckpointEvery { get; init; }

    /// <summary>
    /// A ranking <see cref="SelectBy"/> ranks this many validation users, a sample seeded by the
    /// split seed (the same users for every run on the split); 0: all of them. Bounds what a
    /// validation costs on a large catalogue (BENCHMARKS.md, "Model selection").
    /// </summary>
    public int ValidUsers { get; init; } = 500;

    /// <summary>A ranking <see cref="SelectBy"/>'s hits among the validation rows (see <see cref="Selection.ValidationPositives"/>).</summary>
    public string ValidPositives { get; init; } = Selection.ValidationPositives.Labels;

    /// <summary>
    /// The --extra-feedback rule (like, rating:N, column:NAME) that marked the D* a strategy of the run trained on (warm-up, finetune;
    /// colliding inference's sparse users are counted from it too), so that eval, export and --resume mark the same rows. Null where
    /// no strategy reads D*, and in records older than it (then the flag, or its default, is taken as before); not written when null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ExtraFeedback { get; init; }

    /// <summary>
    /// The --test-positives rule (truth, like, rating:N) a run with <see cref="FullRankingTopK"/> ranks against, so that a resumed run
    /// reports against the same positives unless given the flag. Null without a full ranking, for the default (truth), and in records
    /// older than it (then the flag, or its default, is taken as before); not written when null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? TestPositives { get; init; }

    /// <summary>
    /// The label flags `train` was given, each as given or its default, by flag (--labels and its thresholds): --resume, eval and export
    /// refuse another naming it, where the data's fingerprint can only say the labeled rows differ. Null in records older than it (and an
    /// experiment's), then not compared; not written when null. Compared by these checks, not among <see cref="SettingsDifferences.RunDifferences"/>.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? LabelFlags { get; init; }


    /// <summary>Largest accepted values: far above any useful run, low enough that sizes computed from them cannot overflow.</summary>
    public const int MaxEpochs = 100_000, MaxDim = 65_536, MaxNg = 1_000, MaxThreads = 1_024, MaxEvalEvery = 1_000_000_000, MaxRowsPerStep = 1 << 24;

    public static readonly IReadOnlyList<string> InitNames = ["ncf", "torch"];

    // A refusal carries the flags it is about in its Data, so that the command line can tell which of them a --protocol preset set
    // without searching the message's text; it stays an ArgumentException, as every user error is.
    private const string RefusedFlagsKey = "refused-flags";

    /// <summary>The flags a refusal of <see cref="Validate"/> is about; none for another exception (a name no registry knows).</summary>
    public static IReadOnlyList<string> RefusedFlags(ArgumentException refusal) => refusal.Data[RefusedFlagsKey] as string[] ?? [];

    /// <summary>A refusal of the values <paramref name="flags"/> give, which the command line credits to a --protocol preset that set them.</summary>
    public static ArgumentException Refusal(string message, params string[] flags)
    {
        var refusal = new ArgumentException(message);
        refusal.Data[RefusedFlagsKey] = flags;
        return refusal;
    }

    public void Validate()
    {
        void Require(bool ok, string message, params string[] flags)
        {
            if (!ok) throw Refusal(message, flags);
        }
        void InRange(long value, long min, long max, string flag) =>
            Require(value >= min && value <= max, $"{flag} must be from {min:N0} to {max:N0}, got {value:N0}", flag);
        void Finite(double value, string flag) => Require(double.IsFinite(value), $"{flag} must be a finite number, got {value}", flag);
        string[] FlagsOf(IEnumerable<PluginOption> options) => [.. options.Select(o => "--" + o.Flag)];
        Require(Optimizers.OptimizerFactory.Names.Contains(Optimizer), NameRefusal.Of("--optimizer", "optimizer", Optimizer, Optimizers.OptimizerFactory.Names), "--optimizer");
        InRange(Epochs, 1, MaxEpochs, "--epochs");
        Require(BatchSize >= 1, $"--batch-size must be at least 1, got {BatchSize}", "--batch-size");
        Finite(LearningRate, "--lr");
        Require(LearningRate > 0, $"--lr must be positive, got {LearningRate}", "--lr");
        InRange(Dim, 1, MaxDim, "--dim");
        Require(InitNames.Contains(Init), NameRefusal.Of("--init", "initialisation", Init, InitNames), "--init");
        InRange(Ng, 0, MaxNg, "--ng");
        InRange(Threads, 1, MaxThreads, "--threads");
        InRange(EffectiveShuffleBuffer, 1, MaxShuffleBuffer, "--shuffle-buffer");
        Require(!Stream || HashSplit || TimeSplit is not null, "--stream splits by hash or by time: give --split hash or --split time, or leave --split out", "--stream", "--split");
        Require(StoreNames.Contains(Store), NameRefusal.Of("--store", "store", Store, StoreNames), "--store");
        InRange(EvalEvery, 0, MaxEvalEvery, "--eval-every");
        InRange(CheckpointEvery, 0, MaxEvalEvery, "--checkpoint-every");
        InRange(ValidUsers, 0, int.MaxValue, "--valid-users");
        Selection.SelectionMetric.Parse(SelectBy);
        Selection.ValidationPositives.MarkedRule(ValidPositives);
        if (ExtraFeedback is not null) InverseLearning.Data.FeedbackRule.Parse(ExtraFeedback, "--extra-feedback");
        Require(UnlabeledMix is >= 0 and <= 1, $"--unlabeled-mix must be in [0, 1], got {UnlabeledMix}", "--unlabeled-mix");
        Methods.MethodRegistry.Get(Method);
        Require(Ng >= 1 || !Methods.MethodRegistry.Get(Method).RequiresUnlabeledRows, $"method {Method} learns from sampled unlabeled rows: --ng must be at least 1, got {Ng}", "--ng");
        if (BatchRows is { } rows)
        {
            // A labeled row with the rows the run's passes sample for it (none with --method none alone, so any count of rows).
            var group = 1 + SampledPerLabeled;
            // Named by what sets them: warm-up samples one even at --ng 0, which the line blamed on --ng.
            var sampled = $"{InverseLearning.Data.Counted.Of(SampledPerLabeled, "sampled row")} " +
                (Methods.MethodRegistry.Get(Method).RequiresUnlabeledRows && Ng == SampledPerLabeled ? $"(--ng {Ng})" : "(warm-up's or finetune's sampling)");
            // The range first: a multiple offered past it would be refused in turn.
            Require(rows <= MaxRowsPerStep, $"--batch-rows must be at most {MaxRowsPerStep:N0} rows a step, got {rows:N0}", "--batch-rows");
            var (below, above) = (rows / group * group, (rows / group + 1L) * group);
            Require(rows >= group && rows % group == 0, rows < group
                ? $"--batch-rows {rows} is less than one labeled row{(group > 1 ? $" with its {sampled}" : "")}: use {group} or more"
                : $"--batch-rows {rows} is not a multiple of {group}, a labeled row with its {sampled}: use {below}{(above <= MaxRowsPerStep ? $" or {above}" : "")}",
                "--batch-rows", "--ng");
        }
        foreach (var option in DeclaredOptions)
        {
            var problem = option.Check(Option(option));
            Require(problem is null, problem!, "--" + option.Flag);
        }
        var model = Models.ModelRegistry.Get(Model);
        var modelProblem = model.Check(this);
        Require(modelProblem is null, modelProblem!, ["--dim", .. FlagsOf(model.Options)]);
        foreach (var strategy in Strategies.StrategyRegistry.All)
        {
            var strategyProblem = strategy.Check(this);
            Require(strategyProblem is null, strategyProblem!, FlagsOf(strategy.Options));
        }
        Require(RowsPerStep <= MaxRowsPerStep, $"--batch-size × (1 + --ng) must be at most {MaxRowsPerStep:N0} rows a step, got {RowsPerStep:N0}",
            "--batch-size", "--ng");
    }
}
