using InverseLearning.Data;

namespace InverseLearning.Training.Methods;

/// <summary>Creates a method by its command-line name, with its hyper-parameters from the run's settings.</summary>
public static class MethodFactory
{
    public static readonly IReadOnlyList<string> Names = ["none", "ns", "tce", "rce", "dns", "srns", "cw", "idl", "ig"];

    public static TrainingMethod Create(TrainSettings s, UnlabeledSampler sampler, int userCount) => s.Method switch
    {
        "none" => new PlainBce(),
        "ns" => new NegativeSampling(),
        "tce" => new TruncatedLoss(s.TceMaxDropRate, s.TceWarmup),
        "rce" => new ReweightedLoss(s.RceBeta),
        "dns" => new DynamicNegativeSampling(sampler, s.DnsCandidates, s.Seed),
        "srns" => new Srns(sampler, userCount, s.SrnsMemory, s.SrnsWindow, s.SrnsVarianceWeight, s.Seed),
        "cw" => new CorrectAndWeight(s.CwPrior, s.CwGamma),
        "idl" => new InverseDualLoss(),
        "ig" => new InverseGradient(),
        _ => throw new ArgumentException($"unknown method '{s.Method}': expected one of {string.Join(", ", Names)}"),
    };
}
