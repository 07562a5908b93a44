using System.Text.Json.Nodes;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Reports;

/// <summary>The contents of a run's metrics.json: both splits' metrics, speed, and the trainer's extra fields as JSON.</summary>
public sealed record MetricsReport(
    RankingMetrics Valid,
    RankingMetrics Test,
    double TrainSeconds,
    double SamplesPerSecond,
    JsonObject Extra);
