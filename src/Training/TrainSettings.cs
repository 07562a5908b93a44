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
    /// <summary>Where unlabeled rows come from: never-shown items, the user's middle-band impressions, or both.</summary>
    public InverseLearning.Data.UnlabeledSource UnlabeledSource { get; init; } = InverseLearning.Data.UnlabeledSource.Unseen;
    /// <summary>With UnlabeledSource = Both: the share of unlabeled slots drawn from impressions.</summary>
    public double UnlabeledMix { get; init; } = 0.5;
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

    public void Validate()
    {
        void Require(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        Require(Optimizers.OptimizerFactory.Names.Contains(Optimizer), $"--optimizer: unknown optimizer '{Optimizer}', expected adam or sgd");
        Require(Epochs >= 1, $"--epochs must be at least 1, got {Epochs}");
        Require(BatchSize >= 1, $"--batch-size must be at least 1, got {BatchSize}");
        Require(LearningRate > 0, $"--lr must be positive, got {LearningRate}");
        Require(SampleLearningRate > 0, $"--sample-lr must be positive, got {SampleLearningRate}");
        Require(Dim >= 1, $"--dim must be at least 1, got {Dim}");
        Require(Layers >= 1, $"--layers must be at least 1, got {Layers}");
        Require(Dropout is >= 0 and < 1, $"--dropout must be in [0, 1), got {Dropout}");
        Require(Ng >= 0, $"--ng must be 0 or more, got {Ng}");
        Require(UnlabeledMix is >= 0 and <= 1, $"--unlabeled-mix must be in [0, 1], got {UnlabeledMix}");
        Require(Threads >= 1, $"--threads must be at least 1, got {Threads}");
        Require(Ng >= 1 || Method is "none", $"--method {Method} learns from sampled unlabeled rows: --ng must be at least 1, got {Ng}");
        Require(TceMaxDropRate is >= 0 and <= 1, $"--tce-max-drop must be in [0, 1], got {TceMaxDropRate}");
        Require(TceWarmup >= 1, $"--tce-warmup must be at least 1, got {TceWarmup}");
        Require(RceBeta >= 0, $"--rce-beta must be 0 or more, got {RceBeta}");
        Require(DnsCandidates >= 1, $"--dns-candidates must be at least 1, got {DnsCandidates}");
        Require(SrnsMemory >= 1, $"--srns-memory must be at least 1, got {SrnsMemory}");
        Require(SrnsWindow >= 1, $"--srns-window must be at least 1, got {SrnsWindow}");
        Require(SrnsVarianceWeight >= 0, $"--srns-variance-weight must be 0 or more, got {SrnsVarianceWeight}");
        Require(CwPrior is >= 0 and < 1, $"--cw-prior must be in [0, 1), got {CwPrior}");
        Require(CwGamma >= 0, $"--cw-gamma must be 0 or more, got {CwGamma}");
        Require((long)BatchSize * (1 + Ng) <= 1 << 24, $"--batch-size × (1 + --ng) must stay under 16M rows a step, got {(long)BatchSize * (1 + Ng)}");
    }
}
