using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Reports;

/// <summary>
/// One training run of an experiment: its method, model and seed, test metrics against the observed
/// labels, and — on simulated logs, where the truth is known — against the true labels.
/// </summary>
public sealed record RunResult(string Method, string Model, int Seed, RankingMetrics Test, RankingMetrics? CleanTest = null);
