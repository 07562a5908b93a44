using InverseLearning.Data;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training;

/// <summary>
/// Scores labeled sets (validation, test) with the model as it is now: logits, the mean BCE that picks the best
/// epoch, the paper's metrics. Every score goes through <see cref="Rewrite"/> once a strategy has set one.
/// </summary>
public sealed class SetScorer(TrainingEngine engine)
{
    // Rows scored at once: a set's user column is read a chunk at a time (a set grouped by user holds none).
    private const int ScoringChunk = 1 << 16;
    private readonly int[] _chunkUsers = new int[ScoringChunk];

    /// <summary>A strategy's rewrite of the scores (colliding inference), once set up after training: every score scored here then goes through it.</summary>
    public IScoreWrapper? Rewrite { get; set; }

    /// <summary>Logits for every row of <paramref name="set"/>.</summary>
    public float[] Logits(LabeledSet set)
    {
        var logits = new float[set.Count];
        for (var start = 0; start < set.Count; start += ScoringChunk)
            ScoreChunk(set, start, logits.AsSpan(start, Math.Min(ScoringChunk, set.Count - start)));
        return logits;
    }

    /// <summary>Logits of rows [<paramref name="start"/>, start + logits.Length) of <paramref name="set"/>, at most <see cref="ScoringChunk"/> of them.</summary>
    private void ScoreChunk(LabeledSet set, int start, Span<float> logits)
    {
        var users = _chunkUsers.AsSpan(0, logits.Length);
        set.CopyUsers(start, users);
        var items = set.Items.AsSpan(start, logits.Length);
        engine.Score(users, items, logits);
        Rewrite?.Apply(engine, users, items, logits);
    }

    /// <summary>Mean BCE of the model on <paramref name="set"/> (the validation loss that picks the best epoch), scored a chunk at a time.</summary>
    public double LogLoss(LabeledSet set)
    {
        var logits = new float[Math.Min(ScoringChunk, set.Count)];
        double sum = 0;
        for (var start = 0; start < set.Count; start += ScoringChunk)
        {
            var chunk = logits.AsSpan(0, Math.Min(ScoringChunk, set.Count - start));
            ScoreChunk(set, start, chunk);
            for (var k = 0; k < chunk.Length; k++)
            {
                double s = chunk[k];
                sum += Math.Max(s, 0) - s * set.Labels[start + k] + Math.Log(1 + Math.Exp(-Math.Abs(s)));
            }
        }
        return set.Count == 0 ? double.NaN : sum / set.Count;
    }

    /// <summary>The paper's metrics on <paramref name="set"/>, against <paramref name="labels"/> (the set's own by default).</summary>
    public RankingMetrics Evaluate(LabeledSet set, PackedLabels? labels = null)
    {
        // The arrays of the evaluation before (valid, then test, then clean test at a run's end) are garbage by now:
        // collected first, this one reuses their memory instead of adding to the peak.
        ReleasedArrays.Collect();
        // σ of the logits, in place: evaluation scores a fifth of the log, and every array here is bytes per impression.
        var probabilities = Logits(set);
        for (var r = 0; r < probabilities.Length; r++) probabilities[r] = 1f / (1f + MathF.Exp(-probabilities[r]));
        return set.UserOffsets is { } grouped
            ? Metrics.ComputeGrouped(grouped, labels ?? set.Labels, probabilities)
            : Metrics.Compute(set.Users.AsSpan(0, set.Count), labels ?? set.Labels, probabilities);
    }
}
