using InverseLearning.Data;
using InverseLearning.Data.Simulation;

namespace InverseLearning.Training.Analysis;

/// <summary>
/// IDL's annotation quality for each source of unlabeled rows the log offers, with the same
/// model: never-shown videos, and (when the log has a middle band) the users' own
/// middle-band impressions, drawn for the training rows of users who have some. Shows which
/// source's unlabeled rows IDL labels better, and how often each is truly liked.
/// </summary>
public static class AnnotationBySource
{
    public static IReadOnlyDictionary<string, AnnotationQuality> Measure(Trainer trainer, GroundTruth truth)
    {
        var data = trainer.Data;
        var result = new Dictionary<string, AnnotationQuality>
        {
            ["unseen"] = AnnotationQuality.Measure(trainer, truth, sampler: new UnseenItemSampler(data.Seen, data.Items.Count)),
        };
        if (data.MiddleBand.PairCount > 0)
        {
            var impressions = new MiddleBandSampler(data.MiddleBand, data.Items.Count);
            result["impressions"] = AnnotationQuality.Measure(trainer, truth, sampler: impressions, users: impressions.HasImpressions);
        }
        return result;
    }

    /// <summary>The figures for metrics.json, by source.</summary>
    public static IReadOnlyDictionary<string, object?> ToDictionary(IReadOnlyDictionary<string, AnnotationQuality> bySource) =>
        bySource.ToDictionary(p => p.Key, p => (object?)p.Value.ToDictionary());
}
