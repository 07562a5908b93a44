using InverseLearning.Training.Analysis;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Stages;

/// <summary>
/// What a trained run measured on its best parameters; <paramref name="StrategyReports"/>: what its strategies add to metrics.json;
/// <paramref name="TestUndefined"/> and <paramref name="CleanTestUndefined"/>: why some of the test's metrics are undefined, null when all are
/// defined (implicit feedback: every observed test row is positive, <see cref="UndefinedMetrics"/>).
/// </summary>
public sealed record RunEvaluation(RankingMetrics Valid, RankingMetrics Test, RankingMetrics? CleanTest, FullRankingMetrics? FullRanking,
    AnnotationQuality? Annotation, IReadOnlyDictionary<string, AnnotationQuality>? AnnotationBySource, IReadOnlyDictionary<string, object?> StrategyReports,
    string? TestUndefined = null, string? CleanTestUndefined = null);
