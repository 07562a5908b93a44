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
    /// <summary>The quality by source; a source with no unlabeled item for any training user is left out.</summary>
    public static IReadOnlyDictionary<string, AnnotationQuality> Measure(Trainer trainer, GroundTruth truth)
    {
        var data = trainer.Data;
        var samplers = new Dictionary<string, UnlabeledSampler> { ["unseen"] = new UnseenItemSampler(data.Seen, data.Items.Count, data.Users) };
        if (data.MiddleBand.PairCount > 0) samplers["impressions"] = new MiddleBandSampler(data.MiddleBand, data.Items.Count, data.Users);
        var result = new Dictionary<string, AnnotationQuality>();
        foreach (var (source, sampler) in samplers)
            if (AnnotationQuality.Measure(trainer, truth, sampler: sampler) is { } quality) result[source] = quality;
        return result;
    }

    /// <summary>The figures for metrics.json, by source.</summary>
    public static IReadOnlyDictionary<string, object?> ToDictionary(IReadOnlyDictionary<string, AnnotationQuality> bySource) =>
        bySource.ToDictionary(p => p.Key, p => (object?)p.Value.ToDictionary());
}
