using System.Numerics;

namespace InverseLearning.Training.Evaluation;

/// <summary>
/// Partial top-K of one user's scores over the catalogue, never a full sort: a bounded
/// min-heap of the K best so far, whose root (the worst kept) is the threshold a new item
/// must beat. Items are ranked by score descending, ties by the lower item index, so the
/// result is one well-defined list. Only the K kept items are sorted at the end (heapsort in place).
/// </summary>
public static class TopKSelection
{
    /// <summary>
    /// Fills <paramref name="top"/> (its length is K) with the best items of [1, scores.Length)
    /// — row 0 is the reserved unknown item — that are not in <paramref name="excluded"/>
    /// (ascending, distinct), best first; returns how many it filled (fewer than K when fewer
    /// items are left).
    /// </summary>
    public static int Select(ReadOnlySpan<float> scores, ReadOnlySpan<int> excluded, Span<int> top)
    {
        var k = top.Length;
        if (k == 0) return 0;
        var heap = new Heap(scores, top);
        var start = 1;
        foreach (var item in excluded)
        {
            if (item < start) continue;
            if (item >= scores.Length) break;
            heap.Offer(start, item);
            start = item + 1;
        }
        heap.Offer(start, scores.Length);
        var count = heap.Count;
        heap.SortBestFirst();
        return count;
    }

    /// <summary>Whether item a ranks above item b.</summary>
    private static bool Better(ReadOnlySpan<float> scores, int a, int b) =>
        scores[a] > scores[b] || (scores[a] == scores[b] && a < b);

    private ref struct Heap
    {
        private readonly ReadOnlySpan<float> _scores;
        private readonly Span<int> _items;
        public int Count;

        public Heap(ReadOnlySpan<float> scores, Span<int> items)
        {
            _scores = scores;
            _items = items;
        }

        /// <summary>Heapsort: each pass moves the worst left to the end, so the kept items end best first.</summary>
        public void SortBestFirst()
        {
            var count = Count;
            for (var last = count - 1; last > 0; last--)
            {
                (_items[0], _items[last]) = (_items[last], _items[0]);
                Count = last;
                SiftDown(0);
            }
            Count = count;
        }

        /// <summary>Offers items [from, to), which come after every item offered so far.</summary>
        public void Offer(int from, int to)
        {
            var item = from;
            for (; item < to && Count < _items.Length; item++)
            {
                _items[Count++] = item;
                SiftUp(Count - 1);
            }
            if (item >= to) return;
            var threshold = _scores[_items[0]];
            var width = Vector<float>.Count;
            while (item < to)
            {
                // Most items lose to the threshold once the heap is full: test a vector of them at once.
                if (item + width <= to && !Vector.GreaterThanAny(new Vector<float>(_scores.Slice(item, width)), new Vector<float>(threshold)))
                {
                    item += width;
                    continue;
                }
                var end = Math.Min(item + width, to);
                for (; item < end; item++)
                {
                    // A later item tied with the root ranks below it (higher index): strictly greater only.
                    if (!(_scores[item] > threshold)) continue;
                    _items[0] = item;
                    SiftDown(0);
                    threshold = _scores[_items[0]];
                }
            }
        }

        // Min-heap on rank: the root is the worst kept item.
        private readonly bool Worse(int a, int b) => Better(_scores, b, a);

        private readonly void SiftUp(int i)
        {
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (!Worse(_items[i], _items[parent])) return;
                (_items[i], _items[parent]) = (_items[parent], _items[i]);
                i = parent;
            }
        }

        private readonly void SiftDown(int i)
        {
            while (true)
            {
                var left = 2 * i + 1;
                if (left >= Count) return;
                var worst = left + 1 < Count && Worse(_items[left + 1], _items[left]) ? left + 1 : left;
                if (!Worse(_items[worst], _items[i])) return;
                (_items[i], _items[worst]) = (_items[worst], _items[i]);
                i = worst;
            }
        }
    }
}
