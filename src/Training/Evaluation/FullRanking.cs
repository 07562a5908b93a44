using System.Diagnostics;
using InverseLearning.Data;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Evaluation;

/// <summary>
/// DenoisingRec's full-ranking protocol. For each test user: score every item, leave out the
/// user's training and validation items (any label: they are the user's known history), take
/// the top K, and count hits on the user's true-positive test items. A true positive that is
/// also one of the user's training or validation items can never be ranked and is not counted
/// as one. Users with no true positive left are not evaluated. <see cref="ForValidation"/> is
/// the same protocol on the validation split (model selection by a ranking metric): its history
/// is the training items alone, its positives the validation positives.
/// </summary>
public sealed class FullRanking
{
    /// <summary>What a ranking is judged on, named in its errors: the flags of K and of the positives, the rows and the history left out.</summary>
    private sealed record Target(string KFlag, string PositivesFlag, string Rows, string History);

    private static readonly Target OnTest = new("--topk", "--test-positives", "test", "training and validation");
    private static readonly Target OnValidation = new("--select-by", "--valid-positives", "validation", "training");

    private readonly InteractionIndex _history;
    private readonly InteractionIndex _positives;
    private readonly int[] _users;
    private readonly int _maxK;
    // Reused by every evaluation (model selection ranks the validation users many times a run).
    private float[]? _logits;

    /// <summary>Checks K and the positives before any scoring (so a bad flag fails before training, not after).</summary>
    public FullRanking(PreparedDataset data, LabeledSet testPositives, string rule, IReadOnlyList<int> ks)
        : this(data, History(data, withValidation: true), testPositives, rule, ks, OnTest) { }

    /// <summary>The protocol on the validation split: validation users, their training items left out, their validation positives counted.</summary>
    public static FullRanking ForValidation(PreparedDataset data, LabeledSet validPositives, string rule, IReadOnlyList<int> ks) =>
        new(data, History(data, withValidation: false), validPositives, rule, ks, OnValidation);

    private FullRanking(PreparedDataset data, InteractionIndex history, LabeledSet positives, string rule, IReadOnlyList<int> ks, Target target)
    {
        var items = data.Items.Count - 1;
        if (ks.Count == 0) throw new ArgumentException($"{target.KFlag}: expected at least one K");
        foreach (var k in ks)
            if (k < 1 || k > items)
                throw TrainSettings.Refusal($"{target.KFlag}: K = {k} is outside [1, {items}] (the catalogue has {items:N0} items)", target.KFlag);
        if (ks.Distinct().Count() != ks.Count) throw new ArgumentException($"{target.KFlag}: {string.Join(",", ks)} repeats a K");
        Ks = ks;
        Rule = rule;
        _maxK = ks.Max();
        _history = history;
        _positives = Unranked(InteractionIndex.Build(positives.Users.AsSpan(0, positives.Count), positives.Items.AsSpan(0, positives.Count), data.Users.Count), _history);
        _users = Enumerable.Range(0, _positives.UserCount).Where(u => _positives.ItemsOf(u).Length > 0).ToArray();
        if (_users.Length == 0)
            throw new DataException($"{target.PositivesFlag} {rule}: no true positive among the {target.Rows} rows (of {positives.Count:N0} marked, none outside the users' {target.History} items)");
    }

    public IReadOnlyList<int> Ks { get; }
    public string Rule { get; }

    /// <summary>The users evaluated (those with at least one true positive).</summary>
    public int UserCount => _users.Length;

    /// <summary>Time the last <see cref="Evaluate(IParameterStore, ExecutionDevice, CancellationToken)"/> spent scoring in ORT and selecting top-K lists.</summary>
    public (TimeSpan Scoring, TimeSpan Selection) LastTimes { get; private set; }

    /// <summary>
    /// Ranks the whole catalogue for every evaluated user with the store's current parameters.
    /// A device store's tables are scored where they are and, when the model scores whole
    /// blocks, the top-K is taken there too (<see cref="DeviceTopK"/>): only K items per user
    /// come back to the host.
    /// </summary>
    /// <param name="cancel">Checked between blocks of users.</param>
    public FullRankingMetrics Evaluate(IParameterStore store, ExecutionDevice device, CancellationToken cancel = default)
    {
        using var scorer = UserBlockScorer.For(store, device);
        return store is DeviceParameterStore && scorer is IDeviceBlockScorer onDevice
            ? EvaluateOnDevice(onDevice, store, device, cancel)
            : Evaluate(scorer, device.Threads, cancel);
    }

    private FullRankingMetrics EvaluateOnDevice(IDeviceBlockScorer scorer, IParameterStore store, ExecutionDevice device, CancellationToken cancel)
    {
        using var logits = store.Allocate(checked(scorer.MaxUsers * scorer.ItemRows), "a block of full-ranking scores");
        using var topK = new DeviceTopK(scorer.MaxUsers, _maxK, device);
        var top = new int[scorer.MaxUsers * _maxK];
        var counts = new int[scorer.MaxUsers];
        return RankBlocks(scorer.MaxUsers, cancel, (first, n) => scorer.Score(_users.AsSpan(first, n), logits), (first, n, recall, ndcg) =>
        {
            topK.Select(logits, n, scorer.ItemRows, b => _history.ItemsOf(_users[first + b]), top, counts);
            for (var b = 0; b < n; b++) Record(first + b, top.AsSpan(b * _maxK, counts[b]), recall, ndcg);
        });
    }

    /// <summary>
    /// Ranks the evaluated users block by block: <paramref name="score"/>(first, n) scores users
    /// [first, first + n), then <paramref name="select"/>(first, n, recall, ndcg) takes their top-K
    /// and records their hits; times both.
    /// </summary>
    private FullRankingMetrics RankBlocks(int maxUsers, CancellationToken cancel, Action<int, int> score, Action<int, int, double[,], double[,]> select)
    {
        var recall = new double[_users.Length, Ks.Count];
        var ndcg = new double[_users.Length, Ks.Count];
        long scoringTicks = 0, selectionTicks = 0;
        for (var start = 0; start < _users.Length; start += maxUsers)
        {
            cancel.ThrowIfCancellationRequested();
            var n = Math.Min(maxUsers, _users.Length - start);
            var t0 = Stopwatch.GetTimestamp();
            score(start, n);
            var t1 = Stopwatch.GetTimestamp();
            select(start, n, recall, ndcg);
            scoringTicks += t1 - t0;
            selectionTicks += Stopwatch.GetTimestamp() - t1;
        }
        LastTimes = (Stopwatch.GetElapsedTime(0, scoringTicks), Stopwatch.GetElapsedTime(0, selectionTicks));
        return Metrics(recall, ndcg);
    }

    // The hits of the index-th evaluated user's ranked list at every K.
    private void Record(int index, ReadOnlySpan<int> ranked, double[,] recall, double[,] ndcg)
    {
        for (var i = 0; i < Ks.Count; i++)
            (recall[index, i], ndcg[index, i]) = HitMetrics.At(ranked, _positives.ItemsOf(_users[index]), Ks[i]);
    }

    private FullRankingMetrics Metrics(double[,] recall, double[,] ndcg) =>
        new(Rule, _users.Length, Ks,
            Enumerable.Range(0, Ks.Count).Select(i => Mean(recall, i)).ToList(),
            Enumerable.Range(0, Ks.Count).Select(i => Mean(ndcg, i)).ToList());

    public FullRankingMetrics Evaluate(IUserBlockScorer scorer, int threads, CancellationToken cancel = default)
    {
        var size = checked(scorer.MaxUsers * scorer.ItemRows);
        if (_logits is null || _logits.Length < size) _logits = new float[size];
        var logits = _logits;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
        return RankBlocks(scorer.MaxUsers, cancel, (first, n) => scorer.Score(_users.AsSpan(first, n), logits), (first, n, recall, ndcg) =>
            Parallel.For(0, n, parallel, () => new int[_maxK], (b, _, top) =>
            {
                var count = TopKSelection.Select(logits.AsSpan(b * scorer.ItemRows, scorer.ItemRows), _history.ItemsOf(_users[first + b]), top);
                Record(first + b, top.AsSpan(0, count), recall, ndcg);
                return top;
            }, _ => { }));
    }

    private static double Mean(double[,] values, int column)
    {
        double sum = 0;
        for (var r = 0; r < values.GetLength(0); r++) sum += values[r, column];
        return sum / values.GetLength(0);
    }

    /// <summary>Every user's training items, and validation items when asked, any label.</summary>
    private static InteractionIndex History(PreparedDataset data, bool withValidation)
    {
        if (data.Streamed is { } streamed) return streamed.All.Pairs(withValidation ? data.Valid : new LabeledSet());
        var valid = withValidation ? data.Valid.Count : 0;
        var n = data.Train.Count + valid;
        var users = new int[n];
        var items = new int[n];
        data.Train.Users.AsSpan(0, data.Train.Count).CopyTo(users);
        data.Valid.Users.AsSpan(0, valid).CopyTo(users.AsSpan(data.Train.Count));
        data.Train.Items.AsSpan(0, data.Train.Count).CopyTo(items);
        data.Valid.Items.AsSpan(0, valid).CopyTo(items.AsSpan(data.Train.Count));
        return InteractionIndex.Build(users, items, data.Users.Count);
    }

    /// <summary>The positives minus each user's history (those can never be ranked).</summary>
    private static InteractionIndex Unranked(InteractionIndex positives, InteractionIndex history)
    {
        var users = new List<int>();
        var items = new List<int>();
        for (var u = 0; u < positives.UserCount; u++)
            foreach (var item in positives.ItemsOf(u))
                if (!history.Contains(u, item))
                {
                    users.Add(u);
                    items.Add(item);
                }
        return InteractionIndex.Build(users.ToArray(), items.ToArray(), positives.UserCount);
    }
}
