namespace InverseLearning.Serving.Scoring;

/// <summary>Picks the best-scored positions, best first, ties broken by position (request order); NaN scores rank below every number.</summary>
public static class TopK
{
    /// <param name="include">Positions to consider; null means all.</param>
    public static int[] Select(ReadOnlySpan<float> scores, int k, Func<int, bool>? include = null)
    {
        // A binary min-heap of the k best positions so far, its root the worst of them. Plain arrays and one
        // comparison rule inlined: every Rank answer runs this, and a general PriorityQueue cost it several times more.
        var heap = new int[Math.Clamp(k, 0, scores.Length)];
        if (heap.Length == 0) return heap;
        var count = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            // Whether a position may be answered is asked only of one that would enter the heap: most lose to its root first.
            if (count < heap.Length)
            {
                if (include is not null && !include(i)) continue;
                heap[count] = i;
                SiftUp(heap, count++, scores);
            }
            // Once the heap is full most positions lose to its root, and one comparison of numbers tells: at most the root's
            // score, a later position is not better (a tie goes to the earlier one). A NaN on either side takes the full rule.
            else if (!(scores[i] <= scores[heap[0]]) && Better(scores, i, heap[0]) && (include is null || include(i)))
            {
                heap[0] = i;
                SiftDown(heap, count, scores);
            }
        }
        // Heapsort in place: the root (the worst left) swaps to the end of the shrinking heap, so the array ends best first.
        for (var r = count - 1; r > 0; r--)
        {
            (heap[0], heap[r]) = (heap[r], heap[0]);
            SiftDown(heap, r, scores);
        }
        return count == heap.Length ? heap : heap[..count];
    }

    private static bool Better(ReadOnlySpan<float> scores, int a, int b)
    {
        var (x, y) = (scores[a], scores[b]);
        if (x > y) return true;
        if (x < y) return false;
        // Equal, or a NaN on either side (every comparison false): a NaN loses to a number, and like values go by position.
        var (xNaN, yNaN) = (float.IsNaN(x), float.IsNaN(y));
        return xNaN == yNaN ? a < b : yNaN;
    }

    private static void SiftUp(int[] heap, int at, ReadOnlySpan<float> scores)
    {
        while (at > 0)
        {
            var parent = (at - 1) / 2;
            if (!Better(scores, heap[parent], heap[at])) return;
            (heap[parent], heap[at]) = (heap[at], heap[parent]);
            at = parent;
        }
    }

    /// <summary>Moves the root down to its place among the heap's first <paramref name="count"/> entries.</summary>
    private static void SiftDown(int[] heap, int count, ReadOnlySpan<float> scores)
    {
        var at = 0;
        while (true)
        {
            var worst = at;
            var (left, right) = (2 * at + 1, 2 * at + 2);
            if (left < count && Better(scores, heap[worst], heap[left])) worst = left;
            if (right < count && Better(scores, heap[worst], heap[right])) worst = right;
            if (worst == at) return;
            (heap[worst], heap[at]) = (heap[at], heap[worst]);
            at = worst;
        }
    }
}
