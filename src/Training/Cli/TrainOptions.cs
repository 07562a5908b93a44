using System.CommandLine;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Cli;

/// <summary>The options that make a <see cref="TrainSettings"/>, shared by `train` and `experiment`.</summary>
public sealed class TrainOptions
{
    private static readonly TrainSettings Defaults = new();
    private bool _withModelAndMethod;

    private readonly Option<string> _model = new("--model") { Description = "gmf, neumf or mlp.", DefaultValueFactory = _ => Defaults.Model };
    private readonly Option<string> _method = new("--method") { Description = $"One of {string.Join(", ", MethodFactory.Names)}.", DefaultValueFactory = _ => Defaults.Method };
    private readonly Option<int> _epochs = new("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => Defaults.Epochs };
    private readonly Option<int> _batch = new("--batch-size") { Description = "Labeled rows per step.", DefaultValueFactory = _ => Defaults.BatchSize };
    private readonly Option<string> _optimizer = new("--optimizer") { Description = "adam (the paper's; lazy row-sparse for embedding tables) or sgd.", DefaultValueFactory = _ => Defaults.Optimizer };
    private readonly Option<double> _lr = new("--lr") { Description = "Learning rate η (paper: 1e-4 ML-1M, 1e-5 Micro-Video).", DefaultValueFactory = _ => Defaults.LearningRate };
    private readonly Option<double> _sampleLr = new("--sample-lr") { Description = "IG's candidate learning rate η_s.", DefaultValueFactory = _ => Defaults.SampleLearningRate };
    private readonly Option<int> _dim = new("--dim") { Description = "Embedding size.", DefaultValueFactory = _ => Defaults.Dim };
    private readonly Option<int> _layers = new("--layers") { Description = "MLP layers (NeuMF, MLP).", DefaultValueFactory = _ => Defaults.Layers };
    private readonly Option<double> _dropout = new("--dropout") { Description = "Dropout before each MLP layer in training (NeuMF, MLP).", DefaultValueFactory = _ => Defaults.Dropout };
    private readonly Option<int> _ng = new("--ng") { Description = "Unlabeled rows sampled per labeled row.", DefaultValueFactory = _ => Defaults.Ng };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of the split, initialisation, batches and sampling.", DefaultValueFactory = _ => Defaults.Seed };
    private readonly Option<int> _threads = new("--threads") { Description = "ONNX Runtime intra-op threads.", DefaultValueFactory = _ => Defaults.Threads };
    private readonly Option<string> _device = new("--device") { Description = "cpu, or cuda (needs the GPU build of ONNX Runtime).", DefaultValueFactory = _ => Defaults.Device };
    private readonly Option<bool> _fresh = new("--fresh-optimizer") { Description = "Re-create Adam at every step, as the authors' code does." };
    private readonly Option<double> _tceMax = new("--tce-max-drop") { Description = "T-CE: ε_max.", DefaultValueFactory = _ => Defaults.TceMaxDropRate };
    private readonly Option<long> _tceWarmup = new("--tce-warmup") { Description = "T-CE: ε_N, iterations to reach ε_max.", DefaultValueFactory = _ => Defaults.TceWarmup };
    private readonly Option<double> _rceBeta = new("--rce-beta") { Description = "R-CE: β.", DefaultValueFactory = _ => Defaults.RceBeta };
    private readonly Option<int> _dnsCandidates = new("--dns-candidates") { Description = "DNS: candidates M per negative.", DefaultValueFactory = _ => Defaults.DnsCandidates };
    private readonly Option<int> _srnsMemory = new("--srns-memory") { Description = "SRNS: candidate memory per user.", DefaultValueFactory = _ => Defaults.SrnsMemory };
    private readonly Option<double> _srnsVariance = new("--srns-variance-weight") { Description = "SRNS: α, the weight of the score's standard deviation.", DefaultValueFactory = _ => Defaults.SrnsVarianceWeight };
    private readonly Option<int> _srnsWindow = new("--srns-window") { Description = "SRNS: epochs of score history for the variance.", DefaultValueFactory = _ => Defaults.SrnsWindow };
    private readonly Option<double> _cwPrior = new("--cw-prior") { Description = "CW: class prior π of positives among unlabeled rows.", DefaultValueFactory = _ => Defaults.CwPrior };
    private readonly Option<double> _cwGamma = new("--cw-gamma") { Description = "CW: γ of the negative weights.", DefaultValueFactory = _ => Defaults.CwGamma };
    private readonly Option<string> _maxMemory = MaxMemoryOption.Create();

    /// <param name="withModelAndMethod">False for `experiment`, which takes lists (--models, --methods) instead.</param>
    public static TrainOptions Create(Command command, bool withModelAndMethod = true)
    {
        var options = new TrainOptions { _withModelAndMethod = withModelAndMethod };
        if (withModelAndMethod)
        {
            command.Options.Add(options._model);
            command.Options.Add(options._method);
        }
        foreach (var option in options.Shared) command.Options.Add(option);
        return options;
    }

    private IEnumerable<Option> Shared =>
        [_epochs, _batch, _optimizer, _lr, _sampleLr, _dim, _layers, _dropout, _ng, _seed, _threads, _device, _fresh,
         _tceMax, _tceWarmup, _rceBeta, _dnsCandidates, _srnsMemory, _srnsWindow, _srnsVariance, _cwPrior, _cwGamma, _maxMemory];

    /// <summary>The memory the run may take (--max-memory, else the machine's).</summary>
    public MemoryBudget ReadMemoryBudget(ParseResult parse) => MaxMemoryOption.Read(parse, _maxMemory);

    public TrainSettings Read(ParseResult parse)
    {
        var settings = new TrainSettings
        {
            Model = _withModelAndMethod ? parse.GetValue(_model)! : Defaults.Model,
            Method = _withModelAndMethod ? parse.GetValue(_method)! : Defaults.Method,
            Epochs = parse.GetValue(_epochs),
            BatchSize = parse.GetValue(_batch),
            Optimizer = parse.GetValue(_optimizer)!,
            LearningRate = parse.GetValue(_lr),
            SampleLearningRate = parse.GetValue(_sampleLr),
            Dim = parse.GetValue(_dim),
            Layers = parse.GetValue(_layers),
            Dropout = parse.GetValue(_dropout),
            Ng = parse.GetValue(_ng),
            Seed = parse.GetValue(_seed),
            Threads = parse.GetValue(_threads),
            Device = parse.GetValue(_device)!,
            FreshOptimizer = parse.GetValue(_fresh),
            TceMaxDropRate = parse.GetValue(_tceMax),
            TceWarmup = parse.GetValue(_tceWarmup),
            RceBeta = parse.GetValue(_rceBeta),
            DnsCandidates = parse.GetValue(_dnsCandidates),
            SrnsMemory = parse.GetValue(_srnsMemory),
            SrnsWindow = parse.GetValue(_srnsWindow),
            SrnsVarianceWeight = parse.GetValue(_srnsVariance),
            CwPrior = parse.GetValue(_cwPrior),
            CwGamma = parse.GetValue(_cwGamma),
        };
        if (!ModelFactory.Names.Contains(settings.Model))
            throw new ArgumentException($"--model: unknown model '{settings.Model}', expected one of {string.Join(", ", ModelFactory.Names)}");
        if (!MethodFactory.Names.Contains(settings.Method))
            throw new ArgumentException($"--method: unknown method '{settings.Method}', expected one of {string.Join(", ", MethodFactory.Names)}");
        if (!ExecutionDevice.Names.Contains(settings.Device))
            throw new ArgumentException($"--device: unknown device '{settings.Device}', expected cpu or cuda");
        settings.Validate();
        // Fail before minutes of data loading when the device cannot be used.
        new ExecutionDevice(settings.Device, settings.Threads).CreateSessionOptions().Dispose();
        return settings;
    }
}
