using System.Collections;

namespace InverseLearning.Data;

internal sealed partial class StreamScan
{
    /// <summary>A held read's training rows in file order, in arrays the first pass sized, and, split by hash, which are training-test.</summary>
    private sealed class HeldTrainRows(int capacity, bool markTrainTest)
    {
        private readonly SetBuilder _rows = new(capacity);

        public int Capacity => capacity;
        public int Count { get; private set; }

        /// <summary>Split by hash, each row's own training-test draw; otherwise null: drawn among the rows once all are in.</summary>
        public BitArray? TrainTest { get; } = markTrainTest ? new BitArray(capacity) : null;

        public void Add(int user, int item, sbyte label, bool inTrainTest)
        {
            if (Count < capacity)
            {
                if (inTrainTest) TrainTest?.Set(Count, true);
                _rows.Add(user, item, label);
            }
            Count++;   // past the capacity the lake changed between the passes: FinishHeld refuses it
        }

        public LabeledSet Build() => _rows.Build();
    }

    private interface IRowsBuilder
    {
        void Add(int user, int item, float label);
        LabeledSet Build();
    }

    /// <summary>
    /// Rows placed grouped by user into slots the first pass counted (<see cref="LabeledSet.Grouped"/>: no user column),
    /// each user's in arrival order; a row beyond its user's count, or a count not filled, means the lake changed between the passes.
    /// </summary>
    private sealed class GroupedSetBuilder(int[] offsets, string source) : IRowsBuilder
    {
        private readonly int[] _cursor = offsets[..^1];
        private readonly int[] _items = new int[offsets[^1]];
        private readonly PackedLabels _labels = new(offsets[^1]);

        public void Add(int user, int item, float label)
        {
            if (_cursor[user] == offsets[user + 1]) throw Changed();
            var row = _cursor[user]++;
            _items[row] = item;
            _labels[row] = label;
        }

        public LabeledSet Build()
        {
            for (var u = 0; u < _cursor.Length; u++) if (_cursor[u] != offsets[u + 1]) throw Changed();
            return LabeledSet.Grouped(offsets, _items, _labels);
        }

        private DataException Changed() => new($"{source}: changed while being read (the second pass met other held-out rows than the first)");
    }

    /// <summary>Rows appended one at a time into arrays sized up front (or grown, for the small extra-feedback sets).</summary>
    private sealed class SetBuilder(int capacity) : IRowsBuilder
    {
        private int[] _users = new int[capacity], _items = new int[capacity];
        private PackedLabels _labels = new(capacity);
        private int _count;

        public void Add(int user, int item, float label)
        {
            if (_count == _users.Length) Grow();
            _users[_count] = user;
            _items[_count] = item;
            _labels[_count++] = label;
        }

        private void Grow()
        {
            var size = Math.Max(16, _users.Length * 2);
            Array.Resize(ref _users, size);
            Array.Resize(ref _items, size);
            var labels = new PackedLabels(size);
            for (var r = 0; r < _count; r++) labels[r] = _labels[r];
            _labels = labels;
        }

        public LabeledSet Build()
        {
            if (_count == _users.Length) return new LabeledSet(_users, _items, _labels);
            var labels = new PackedLabels(_count);
            for (var r = 0; r < _count; r++) labels[r] = _labels[r];
            return new LabeledSet(_users[.._count], _items[.._count], labels);
        }
    }
}
