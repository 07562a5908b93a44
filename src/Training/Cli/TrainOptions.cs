using InverseLearning.Training.Plugins;
using System.CommandLine;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;
using InverseLearning.Training.Strategies;

namespace InverseLearning.Training.Cli;

/// <summary>The options that make a <see cref="TrainSettings"/>, shared by `train` and `experiment`.</summary>
public sealed class TrainOptions
{
    private static readonly TrainSettings Defaults = new();
    private bool _withModelAndMethod;

    private readonly Option<string> _model = new("--model")
    {
        Description = string.Join("; ", ModelRegistry.All.Select(b => $"{b.Name}: {b.Description}")) + ".", DefaultValueFactory = _ => Defaults.Model,
    };
    private readonly Option<string> _method = new("--method") { Description = $"One of {string.Join(", ", MethodRegistry.Names)}.", DefaultValueFactory = _ => Defaults.Method };
    private readonly Option<int> _epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => Defaults.Epochs }.Within(1, TrainSettings.MaxEpochs);
    private readonly Option<int> _batch = new Option<int>("--batch-size") { Description = "Labeled rows per step, each with its --ng sampled rows.", DefaultValueFactory = _ => Defaults.BatchSize }.Within(1, TrainSettings.MaxRowsPerStep);
    private readonly Option<int?> _batchRows = new Option<int?>("--batch-rows") { Description = "Rows per step counting sampled ones (DenoisingRec's batch): BATCH_ROWS / (1 + ng) labeled rows; instead of --batch-size." }.Within(1, TrainSettings.MaxRowsPerStep);
    private readonly Option<string> _selectBy = new("--select-by") { Description = $"The validation measure that picks the checkpoint: {Selection.SelectionMetric.Expected}; recall@K and ndcg@K rank the whole catalogue for the validation users.", DefaultValueFactory = _ => Defaults.SelectBy };
    private readonly Option<int> _checkpointEvery = new Option<int>("--checkpoint-every")
    { Description = "Save last.checkpoint every N steps as well as at each epoch's end, so that --resume continues from that step (0: epoch ends only).", DefaultValueFactory = _ => 0 }.Within(0, TrainSettings.MaxEvalEvery);
    private readonly Option<int> _evalEvery = new Option<int>("--eval-every") { Description = "Validate every N steps as well as at each epoch's end (0: epoch ends only).", DefaultValueFactory = _ => Defaults.EvalEvery }.Within(0, TrainSettings.MaxEvalEvery);
    private readonly Option<string> _validPositives = new("--valid-positives") { Description = $"The hits of a ranking --select-by among the validation rows: {Selection.ValidationPositives.Expected}.", DefaultValueFactory = _ => Defaults.ValidPositives };
    private readonly Option<int> _validUsers = new Option<int>("--valid-users") { Description = "A ranking --select-by ranks this many validation users (a sample fixed by the split seed); 0: all.", DefaultValueFactory = _ => Defaults.ValidUsers }.Within(0, int.MaxValue);
    private readonly Option<string> _protocol = ProtocolPreset.CreateOption();
    private readonly Option<string> _optimizer = new("--optimizer") { Description = "adam (the paper's; lazy row-sparse for embedding tables) or sgd.", DefaultValueFactory = _ => Defaults.Optimizer };
    private readonly Option<double> _lr = new("--lr") { Description = "Learning rate η (paper: 1e-4 ML-1M, 1e-5 Micro-Video).", DefaultValueFactory = _ => Defaults.LearningRate };
    private readonly Option<int> _dim = new Option<int>("--dim") { Description = "Embedding size.", DefaultValueFactory = _ => Defaults.Dim }.Within(1, TrainSettings.MaxDim);
    private readonly Option<string> _init = new("--init") { Description = "Dense layers' initialisation: ncf (the authors' code: Xavier-uniform MLP, Kaiming-uniform predict layer, zero biases) or torch (PyTorch's nn.Linear defaults: weights and biases U(±1/√fan_in)).", DefaultValueFactory = _ => Defaults.Init };
    private readonly Option<int> _ng = new Option<int>("--ng") { Description = "Unlabeled rows sampled per labeled row.", DefaultValueFactory = _ => Defaults.Ng }.Within(0, TrainSettings.MaxNg);
    private readonly Option<string> _unlabeledSource = new("--unlabeled-source") { Description = "Unlabeled rows from: unseen (never-shown videos), impressions (the user's own middle-band impressions) or both.", DefaultValueFactory = _ => "unseen" };
    private readonly Option<double> _unlabeledMix = new("--unlabeled-mix") { Description = "With --unlabeled-source both: share of unlabeled rows drawn from impressions.", DefaultValueFactory = _ => Defaults.UnlabeledMix };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of the split, initialisation, batches and sampling.", DefaultValueFactory = _ => Defaults.Seed };
    private readonly Option<int> _threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads; by default this machine's cores (an experiment's --jobs N without it gives each run cores / N).", DefaultValueFactory = _ => Defaults.Threads }.Within(1, TrainSettings.MaxThreads);
    private readonly Option<string> _device = new("--device") { Description = "cpu, or cuda (needs the GPU build: -p:OrtFlavor=gpu).", DefaultValueFactory = _ => Defaults.Device };
    private readonly Option<string> _store = new("--store") { Description = "Where the parameter tables live: host, device (the --device's memory for the whole run), or auto (device under cuda, else host).", DefaultValueFactory = _ => Defaults.Store };
    private readonly Option<bool> _fresh = new("--fresh-optimizer") { Description = "Re-create Adam at every step, as the authors' code does." };
    // Every method's, backbone's and strategy's own hyper-parameters, as they declare them (doubles, so that 1e9 is read and then
    // refused by range; a switch is a flag without a value).
    private readonly IReadOnlyList<(PluginOption Declared, Option Option)> _pluginOptions =
        TrainSettings.DeclaredOptions.Select(o => (o, o.Switch ? (Option)new Option<bool>("--" + o.Flag) { Description = o.Description }
            : new Option<double>("--" + o.Flag) { Description = o.Description, DefaultValueFactory = _ => o.Default, CustomParser = o.Integer ? WholeNumber : null })).ToList();
    private readonly RankingEvalOptions _ranking = new();
    private readonly Option<string> _maxMemory = MaxMemoryOption.Create();

    /// <param name="withModelAndMethod">False for `experiment`, which takes lists (--models, --methods) instead.</param>
    public static TrainOptions Create(Command command, bool withModelAndMethod = true)
    {
        var options = new TrainOptions { _withModelAndMethod = withModelAndMethod };
        // A set the parser checks, so that a near miss is told what it likely meant (CliApp.Describe).
        options._unlabeledSource.AcceptOnlyFromAmong([.. Data.UnlabeledSamplers.Names]);
        if (withModelAndMethod)
        {
            command.Options.Add(options._model);
            command.Options.Add(options._method);
        }
        foreach (var option in options.Shared) command.Options.Add(option);
        return options;
    }

    private IEnumerable<Option> Shared =>
        [_protocol, _epochs, _batch, _batchRows, _selectBy, _evalEvery, _checkpointEvery, _validPositives, _validUsers, _optimizer, _lr, _dim, _init, _ng, _unlabeledSource, _unlabeledMix, _seed, _threads, _device, _store, _fresh, .. _pluginOptions.Select(o => o.Option), .. _ranking.All, _maxMemory];

    /// <summary>
    /// One line for each flag given that the run's settings make pointless: --valid-positives and
    /// --valid-users judge a ranking --select-by only (recall@K, ndcg@K), and the loss, AUC and
    /// GAUC are measured on every validation row; a backbone's or method's own option is read by
    /// that plugin alone, and --ng by a run that samples: for experiment, a flag none of its <paramref name="runs"/> reads.
    /// </summary>
    public IEnumerable<string> IgnoredFlagWarnings(ParseResult parse, TrainSettings settings, IReadOnlyList<TrainSettings>? runs = null)
    {
        if (!Selection.SelectionMetric.Parse(settings.SelectBy).IsRanking)
            foreach (var option in new Option[] { _validPositives, _validUsers })
                if (parse.GetResult(option) is { Implicit: false })
                    yield return $"warning: {option.Name} applies to a ranking --select-by (recall@K, ndcg@K); --select-by {settings.SelectBy} measures every validation row and ignores it";
        if (settings.UnlabeledSource != Data.UnlabeledSource.Both && parse.GetResult(_unlabeledMix) is { Implicit: false })
            yield return $"warning: {_unlabeledMix.Name} applies to --unlabeled-source both; --unlabeled-source {Data.UnlabeledSamplers.Names[(int)settings.UnlabeledSource]} ignores it";
        if (settings.FreshOptimizer && settings.Optimizer != "adam")
            yield return $"warning: {_fresh.Name} re-creates Adam's moments; --optimizer {settings.Optimizer} keeps none and ignores it";
        foreach (var strategy in StrategyRegistry.All.Where(s => !s.IsOn(settings)))
            foreach (var (declared, option) in _pluginOptions)
                if (declared != strategy.Switch && strategy.Options.Contains(declared) && parse.GetResult(option) is { Implicit: false })
                    yield return $"warning: {option.Name} applies to {strategy.Name}, which --{strategy.Switch.Flag} above 0 turns on; --{strategy.Switch.Flag} 0 ignores it";
        if (!_withModelAndMethod && runs is null) yield break;
        IReadOnlyList<TrainSettings> each = runs ?? [settings];
        var ignoredBy = runs is null ? $"--model {settings.Model} with --method {settings.Method}"
            : $"every run of this experiment (--models {Distinct(each, run => run.Model)} with --methods {Distinct(each, run => run.Method)})";
        // Only a method that learns from sampled rows reads --ng (IG in its training-test pass), and warm-up and finetune (their BCE on extra feedback samples too).
        if (each.All(run => run.SampledPerLabeled == 0) && parse.GetResult(_ng) is { Implicit: false })
            yield return $"warning: {_ng.Name} applies to methods that learn from sampled unlabeled rows; " +
                (runs is null ? $"--method {settings.Method} trains on labeled rows alone and ignores it" : $"{ignoredBy} trains on labeled rows alone and ignores it");
        foreach (var (declared, option) in _pluginOptions)
        {
            if (parse.GetResult(option) is not { Implicit: false }) continue;
            var readers = ModelRegistry.All.Where(b => b.Options.Contains(declared)).Select(b => $"--model {b.Name}")
                .Concat(MethodRegistry.All.Where(m => m.Options.Contains(declared)).Select(m => $"--method {m.Name}")).ToList();
            // A strategy's option is read by whichever run uses the strategy; a plugin's by that plugin.
            if (readers.Count == 0 || each.Any(run => ModelRegistry.Get(run.Model).Options.Contains(declared) || MethodRegistry.Get(run.Method).Options.Contains(declared))) continue;
            yield return $"warning: {option.Name} applies to {string.Join(", ", readers)}; {ignoredBy} ignores it";
        }
    }

    private static string Distinct(IEnumerable<TrainSettings> runs, Func<TrainSettings, string> name) => string.Join(",", runs.Select(name).Distinct());

    /// <summary>Whether --threads was given on the command line (not its default: every core).</summary>
    public bool ThreadsGiven(ParseResult parse) => parse.GetResult(_threads) is { Implicit: false };

    /// <summary>The memory the run may take (--max-memory, else the machine's).</summary>
    public MemoryBudget ReadMemoryBudget(ParseResult parse) => MaxMemoryOption.Read(parse, _maxMemory);

    /// <param name="recordedProtocol">A resumed run's --protocol, whose defaults apply when none is given.</param>
    /// <param name="method">Without a --method flag (experiment: each run has its own), the method the settings are checked with.</param>
    /// <param name="resuming">Whether the run resumes a checkpoint, whose own evaluation (--eval, --topk) <see cref="ForResume"/> takes.</param>
    public TrainSettings Read(ParseResult parse, string? recordedProtocol = null, string? method = null, bool resuming = false)
    {
        var preset = ProtocolPreset.Read(parse, _protocol, recordedProtocol);
        T Get<T>(Option<T> option) => preset.Value(parse, option);
        // An explicit --batch-size beats a preset's --batch-rows; both explicit is a contradiction.
        var batchSizeGiven = parse.GetResult(_batch) is { Implicit: false };
        if (batchSizeGiven && parse.GetResult(_batchRows) is { Implicit: false })
            throw new ArgumentException("--batch-rows and --batch-size both set the rows of a step: give one");
        var settings = new TrainSettings
        {
            Model = _withModelAndMethod ? parse.GetValue(_model)! : Defaults.Model,
            Method = _withModelAndMethod ? parse.GetValue(_method)! : method ?? Defaults.Method,
            Epochs = Get(_epochs),
            BatchSize = Get(_batch),
            BatchRows = batchSizeGiven ? null : Get(_batchRows),
            Optimizer = Get(_optimizer)!,
            LearningRate = Get(_lr),
            Dim = Get(_dim),
            Init = Get(_init)!,
            Ng = Get(_ng),
            UnlabeledSource = Data.UnlabeledSamplers.Parse(Get(_unlabeledSource)!),
            UnlabeledMix = Get(_unlabeledMix),
            Seed = Get(_seed),
            Threads = Get(_threads),
            Device = Get(_device)!,
            Store = Get(_store)!,
            FreshOptimizer = Get(_fresh),
            Options = new SortedDictionary<string, double>(_pluginOptions.ToDictionary(o => o.Declared.Flag, o => Value(parse, o.Option, preset))),
            FullRankingTopK = _ranking.Read(parse, preset, resuming),
            SelectBy = Get(_selectBy)!,
            EvalEvery = Get(_evalEvery),
            CheckpointEvery = parse.GetValue(_checkpointEvery),
            ValidPositives = Get(_validPositives)!,
            ValidUsers = Get(_validUsers),
            Protocol = preset.Name,
        };
        ModelRegistry.Get(settings.Model);
        MethodRegistry.Get(settings.Method);
        if (!ExecutionDevice.Names.Contains(settings.Device))
            throw new ArgumentException(NameRefusal.Of("--device", "device", settings.Device, ExecutionDevice.Names, Serving.Devices.DeviceNames.DidYouMean(settings.Device)));
        ValidateNamingThePreset(settings, parse, preset);
        // Fail before minutes of data loading when the device cannot be used.
        new ExecutionDevice(settings.Device, settings.Threads).CreateSessionOptions().Dispose();
        return settings;
    }

    /// <summary>A flag as a message names its value: with "(--protocol NAME's)" when the preset set it and the command line did not.</summary>
    public string Named(ParseResult parse, string flag)
    {
        var preset = ProtocolPreset.Read(parse, _protocol);
        return Shared.FirstOrDefault(o => o.Name == flag) is { } option && preset.Sets(parse, option) ? $"{flag} (--protocol {preset.Name}'s)" : flag;
    }

    private void ValidateNamingThePreset(TrainSettings settings, ParseResult parse, ProtocolPreset preset) =>
        NamingThePreset(parse, preset, () => { settings.Validate(); return 0; });

    /// <summary>
    /// <paramref name="action"/>'s result; a refusal it throws of a value the --protocol preset set (its <see cref="TrainSettings.RefusedFlags"/>)
    /// says so, as one checked once the data is known (--topk above the catalogue) does.
    /// </summary>
    public T NamingThePreset<T>(ParseResult parse, TrainSettings settings, Func<T> action) =>
        NamingThePreset(parse, ProtocolPreset.Read(parse, _protocol, settings.Protocol), action);

    // A refusal of a value the user did not give, the protocol's, says so: "--batch-rows 1024 is not a multiple of …" alone reads as a typo.
    private T NamingThePreset<T>(ParseResult parse, ProtocolPreset preset, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ArgumentException e)
        {
            var refused = TrainSettings.RefusedFlags(e);
            var fromPreset = Shared.Where(o => refused.Contains(o.Name) && preset.Sets(parse, o)).Select(o => o.Name).ToList();
            if (fromPreset.Count == 0) throw;
            throw new ArgumentException($"{e.Message} ({string.Join(", ", fromPreset)}: --protocol {preset.Name}'s value; give the flag to change it)", e);
        }
    }

    /// <summary>
    /// The settings a resumed run continues with: the checkpoint's, with --epochs, --threads,
    /// --device, --store, --checkpoint-every and the strategies' resumable options where given (left out, the
    /// checkpoint's: a resumed run is the run it continues, not one with the defaults). Any other flag given on the
    /// command line that contradicts the checkpoint is refused, naming it.
    /// </summary>
    public TrainSettings ForResume(ParseResult parse, TrainSettings saved)
    {
        var given = Read(parse, saved.Protocol, resuming: true);
        // Another plugin's option is no part of the run, nor of its checkpoint: it contradicts nothing.
        var othersOptions = _pluginOptions.Where(o => !saved.OwnOptions.Contains(o.Declared)).Select(o => o.Option).ToHashSet();
        foreach (var (option, value) in Fixed)
        {
            if (parse.GetResult(option) is not { Implicit: false } || othersOptions.Contains(option)) continue;
            var (asGiven, inCheckpoint) = (value(given), value(saved));
            if (!Equals(asGiven, inCheckpoint))
                throw new ArgumentException($"--resume: {option.Name} {asGiven} contradicts the checkpoint, which was trained with {option.Name} {inCheckpoint}");
        }
        T Changed<T>(Option option, T asGiven, T inCheckpoint) => parse.GetResult(option) is { Implicit: false } ? asGiven : inCheckpoint;
        // The test's evaluation is no training state, so --eval and --topk may change it; left out, the run reports as it was started to
        // (the current flags' defaults dropped a full ranking, or another --protocol's K, from a resumed run's metrics.json).
        var ranking = _ranking.ForResume(parse, ProtocolPreset.Read(parse, _protocol, saved.Protocol), saved.FullRankingTopK);
        var resumed = saved with
        {
            Epochs = Changed(_epochs, given.Epochs, saved.Epochs), Threads = Changed(_threads, given.Threads, saved.Threads),
            Device = Changed(_device, given.Device, saved.Device), Store = Changed(_store, given.Store, saved.Store),
            CheckpointEvery = Changed(_checkpointEvery, given.CheckpointEvery, saved.CheckpointEvery),
            FullRankingTopK = ranking,
        };
        foreach (var (declared, option) in _pluginOptions.Where(o => TrainSettings.ResumableOptions.Contains(o.Declared)))
            resumed = resumed.WithOption(declared, Changed(option, given.Option(declared), saved.Option(declared)));
        return resumed;
    }

    // The options a resumed run cannot change, with how to read each from settings.
    private IEnumerable<(Option Option, Func<TrainSettings, object> Value)> Fixed =>
        new (Option, Func<TrainSettings, object>)[]
        {
            (_model, s => s.Model), (_method, s => s.Method), (_batch, s => s.BatchSize), (_batchRows, s => s.BatchRows?.ToString() ?? "unset"), (_optimizer, s => s.Optimizer),
            (_protocol, s => s.Protocol), (_selectBy, s => s.SelectBy), (_evalEvery, s => s.EvalEvery), (_validPositives, s => s.ValidPositives), (_validUsers, s => s.ValidUsers),
            (_lr, s => s.LearningRate), (_dim, s => s.Dim), (_init, s => s.Init),
            (_ng, s => s.Ng), (_unlabeledSource, s => Data.UnlabeledSamplers.Names[(int)s.UnlabeledSource]), (_unlabeledMix, s => s.UnlabeledMix), (_seed, s => s.Seed), (_fresh, s => s.FreshOptimizer ? "true" : "false"),
        }.Concat(_pluginOptions.Where(o => !TrainSettings.ResumableOptions.Contains(o.Declared)).Select(o => (o.Option, (Func<TrainSettings, object>)(s => s.Option(o.Declared)))));

    /// <summary>
    /// A whole-number plugin option's value: a whole number, as --dim takes, read as a double so that one past the option's range
    /// (its own check's, 1000000000) is refused naming the range; what --dim refuses (1e3, 2.5) is refused in its words, not read as 1000.
    /// </summary>
    private static double WholeNumber(System.CommandLine.Parsing.ArgumentResult result)
    {
        var given = result.Tokens[0].Value;
        if (System.Numerics.BigInteger.TryParse(given, System.Globalization.CultureInfo.InvariantCulture, out var number)) return (double)number;
        result.AddError(CliApp.NotWholeNumber(((System.CommandLine.Parsing.OptionResult)result.Parent!).Option.Name, given));
        return 0;
    }

    private static double Value(ParseResult parse, Option option, ProtocolPreset preset) => option switch
    {
        Option<bool> flag => preset.Value(parse, flag) ? 1 : 0,
        Option<double> number => preset.Value(parse, number),
        _ => throw new ArgumentException($"{option.Name}: a plugin option is a number or a switch"),
    };
}
