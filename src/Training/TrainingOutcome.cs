using InverseLearning.Training.Analysis;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training;

/// <summary>
/// What a finished run measured; <paramref name="TestUndefined"/> and <paramref name="CleanTestUndefined"/>: why some test metrics are
/// undefined (NaN, null in metrics.json), null when all are defined.
/// </summary>
public sealed record TrainingOutcome(TrainSettings Settings, RankingMetrics Valid, RankingMetrics Test, RankingMetrics? CleanTest,
    AnnotationQuality? Annotation, double TrainSeconds, double RowsPerSecond, int BestEpoch,
    string OutputDirectory, FullRankingMetrics? FullRanking = null, string? TestUndefined = null, string? CleanTestUndefined = null);
