namespace InverseLearning.Serving;

/// <summary>Picks the best-scored positions, best first, ties broken by position (request order).</summary>
public static class TopK
{
    /// <param name="include">Positions to consider; null means all.</param>
    public static int[] Select(ReadOnlySpan<float> scores, int k, Func<int, bool>? include = null)
    {
        // A min-heap of the k best so far, whose root is the worst of them: lower score, or equal score and later position.
        var heap = new PriorityQueue<int, (float Score, int Position)>(Math.Min(k, scores.Length) + 1, WorstFirst.Instance);
        for (var i = 0; i < scores.Length; i++)
        {
            if (include is not null && !include(i)) continue;
            if (heap.Count < k) heap.Enqueue(i, (scores[i], i));
            else if (heap.TryPeek(out _, out var worst) && Better(scores[i], i, worst.Score, worst.Position)) heap.EnqueueDequeue(i, (scores[i], i));
        }
        var best = new int[heap.Count];
        for (var r = best.Length - 1; r >= 0; r--) best[r] = heap.Dequeue();
        return best;
    }

    private static bool Better(float score, int position, float otherScore, int otherPosition) =>
        score > otherScore || (score == otherScore && position < otherPosition);

    private sealed class WorstFirst : IComparer<(float Score, int Position)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((float Score, int Position) x, (float Score, int Position) y) =>
            Better(x.Score, x.Position, y.Score, y.Position) ? 1 : Better(y.Score, y.Position, x.Score, x.Position) ? -1 : 0;
    }
}
