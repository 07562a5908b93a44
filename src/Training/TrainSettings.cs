namespace InverseLearning.Training;

/// <summary>Everything that defines a training run; the CLI's `train` options, saved with every checkpoint.</summary>
public sealed record TrainSettings
{
    public string Model { get; init; } = "gmf";
    public string Method { get; init; } = "ns";
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 1024;
    /// <summary>adam (the paper's) or sgd.</summary>
    public string Optimizer { get; init; } = "adam";
    /// <summary>η, the learning rate of every BCE/objective step (paper: 1e-4 on ML-1M, 1e-5 on Micro-Video).</summary>
    public double LearningRate { get; init; } = 1e-4;
    /// <summary>η_s, IG's learning rate for the candidate step on the IDL gradient (authors' code: 1e-3).</summary>
    public double SampleLearningRate { get; init; } = 1e-3;
    public int Dim { get; init; } = 32;
    public int Layers { get; init; } = 3;
    /// <summary>Dropout before each MLP layer during training (NeuMF, MLP).</summary>
    public double Dropout { get; init; }
    /// <summary>Unlabeled rows sampled per labeled row.</summary>
    public int Ng { get; init; } = 1;
    public int Seed { get; init; } = 42;
    /// <summary>The seed the data split was made with (experiments vary <see cref="Seed"/> over one split); eval and export rebuild the split from it.</summary>
    public int? SplitSeed { get; init; }
    public int EffectiveSplitSeed => SplitSeed ?? Seed;
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);
    public string Device { get; init; } = "cpu";
    /// <summary>Re-create Adam at every step, as the authors' code does (every update an Adam first step).</summary>
    public bool FreshOptimizer { get; init; }

    public double TceMaxDropRate { get; init; } = 0.2;
    public long TceWarmup { get; init; } = 30_000;
    public double RceBeta { get; init; } = 0.25;
    public int DnsCandidates { get; init; } = 10;
    public int SrnsMemory { get; init; } = 16;
    public int SrnsWindow { get; init; } = 5;
    public double SrnsVarianceWeight { get; init; } = 1.0;
    public double CwPrior { get; init; } = 0.1;
    public double CwGamma { get; init; } = 1.0;

    /// <summary>Largest accepted values: far above any useful run, low enough that sizes computed from them cannot overflow.</summary>
    public const int MaxEpochs = 100_000, MaxDim = 65_536, MaxLayers = 16, MaxTowerWidth = 16_384, MaxNg = 1_000, MaxThreads = 1_024,
        MaxDnsCandidates = 100_000, MaxSrnsMemory = 10_000, MaxSrnsWindow = 1_000;

    public void Validate()
    {
        void Require(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        void InRange(long value, long min, long max, string flag) =>
            Require(value >= min && value <= max, $"{flag} must be from {min:N0} to {max:N0}, got {value:N0}");
        void Finite(double value, string flag) => Require(double.IsFinite(value), $"{flag} must be a finite number, got {value}");
        Require(Optimizers.OptimizerFactory.Names.Contains(Optimizer), $"--optimizer: unknown optimizer '{Optimizer}', expected adam or sgd");
        InRange(Epochs, 1, MaxEpochs, "--epochs");
        Require(BatchSize >= 1, $"--batch-size must be at least 1, got {BatchSize}");
        Finite(LearningRate, "--lr");
        Require(LearningRate > 0, $"--lr must be positive, got {LearningRate}");
        Finite(SampleLearningRate, "--sample-lr");
        Require(SampleLearningRate > 0, $"--sample-lr must be positive, got {SampleLearningRate}");
        InRange(Dim, 1, MaxDim, "--dim");
        InRange(Layers, 1, MaxLayers, "--layers");
        // The MLP tower's embeddings are dim·2^(layers−1) wide and its first layer holds 2·width² weights.
        var towerWidth = (long)Dim << (Layers - 1);
        Require(Model is "gmf" || towerWidth <= MaxTowerWidth,
            $"--dim × 2^(--layers − 1), the width of {Model}'s MLP tower, must be at most {MaxTowerWidth:N0}, got {Dim} × 2^{Layers - 1} = {towerWidth:N0}");
        Require(Dropout is >= 0 and < 1, $"--dropout must be in [0, 1), got {Dropout}");
        InRange(Ng, 0, MaxNg, "--ng");
        InRange(Threads, 1, MaxThreads, "--threads");
        Require(Ng >= 1 || Method is "none", $"--method {Method} learns from sampled unlabeled rows: --ng must be at least 1, got {Ng}");
        Require(TceMaxDropRate is >= 0 and <= 1, $"--tce-max-drop must be in [0, 1], got {TceMaxDropRate}");
        Require(TceWarmup >= 1, $"--tce-warmup must be at least 1, got {TceWarmup}");
        Finite(RceBeta, "--rce-beta");
        Require(RceBeta >= 0, $"--rce-beta must be 0 or more, got {RceBeta}");
        InRange(DnsCandidates, 1, MaxDnsCandidates, "--dns-candidates");
        InRange(SrnsMemory, 1, MaxSrnsMemory, "--srns-memory");
        InRange(SrnsWindow, 1, MaxSrnsWindow, "--srns-window");
        Finite(SrnsVarianceWeight, "--srns-variance-weight");
        Require(SrnsVarianceWeight >= 0, $"--srns-variance-weight must be 0 or more, got {SrnsVarianceWeight}");
        Require(CwPrior is >= 0 and < 1, $"--cw-prior must be in [0, 1), got {CwPrior}");
        Finite(CwGamma, "--cw-gamma");
        Require(CwGamma >= 0, $"--cw-gamma must be 0 or more, got {CwGamma}");
        Require((long)BatchSize * (1 + Ng) <= 1 << 24, $"--batch-size × (1 + --ng) must stay under 16M rows a step, got {(long)BatchSize * (1 + Ng)}");
    }
}
