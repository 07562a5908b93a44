using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Reports;

/// <summary>
/// One training run of an experiment: its method, model and seed, test metrics against the observed
/// labels, and — on simulated logs, where the truth is known — against the true labels; with
/// --eval full-ranking, its Recall@K and NDCG@K.
/// </summary>
public sealed record RunResult(string Method, string Model, int Seed, RankingMetrics Test, RankingMetrics? CleanTest = null,
    FullRankingMetrics? FullRanking = null);
