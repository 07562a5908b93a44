namespace InverseLearning.Data.Simulation;

/// <summary>
/// Simulates a full-screen video feed: users are shown videos by popularity (they do not
/// choose), each impression's true label comes from the hidden latent model, and the log
/// records what a platform sees (play time with configurable noise, rare likes and hates)
/// or, in rating mode, 1–5 stars. Columnar throughout; users are processed in parallel,
/// each from its own random stream, so the result depends only on the options and the seed.
/// </summary>
public sealed class FeedSimulator
{
    private const int UsersPerChunk = 64;
    private const int CalibrationSample = 200_000;
    private const int RejectionTries = 32;
    private const long LogSpanMs = 30L * 24 * 3600 * 1000;

    // Sessions start no later than this before the log's 30 days end, so that hardly any spills into a 31st day (which a time split would make a near-empty test day).
    private const long LastSessionRoomMs = 6L * 3600 * 1000;

    /// <summary>Impressions per session (about a quarter of an hour of short videos): a user of n impressions has ⌈n / 20⌉ sessions.</summary>
    public const int SessionImpressions = 20;

    private readonly SimulatorOptions _o;
    private readonly int _seed;
    private readonly SimulatedWorld _world;
    private readonly int[] _rowStart;
    private readonly ReactionRates _reactions;
    private readonly CancellationToken _cancel;

    private FeedSimulator(SimulatorOptions o, int seed, IProgress<double>? world, CancellationToken cancel)
    {
        _o = o;
        _seed = seed;
        _cancel = cancel;
        _world = SimulatedWorld.Create(o, seed, world, cancel);
        _reactions = new ReactionRates(o);
        _rowStart = new int[o.Users + 1];
        for (var u = 0; u < o.Users; u++) _rowStart[u + 1] = _rowStart[u] + _world.ImpressionsPerUser[u];
    }

    /// <param name="cancel">Checked while the world is drawn and between groups of users: a cancelled simulation throws <see cref="OperationCanceledException"/>.</param>
    /// <param name="world">Told the share drawn of the world (factors, durations, popularity, activity), which comes before any impression.</param>
    public static SimulationResult Run(SimulatorOptions o, int seed, IProgress<double>? p = null, CancellationToken cancel = default, IProgress<double>? world = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.Validate(SimulatorOptions.MaxWholeImpressions); // a whole log: larger ones go in pieces (RunInChunks)
        var simulator = new FeedSimulator(o, seed, world, cancel);
        var rows = simulator._rowStart[o.Users];
        var log = new InteractionLog(rows) { TimestampMs = new long[rows] };
        var itemIndex = new int[rows];
        var rawScore = new float[rows];

        simulator.ForEachUser(0, o.Users, new ProgressTracker(p, rows, 0, 0.5), () => new int[o.Items],
            (user, seen) => simulator.Expose(user, seen, log, itemIndex, rawScore, rowBase: 0));

        var scale = simulator.Calibrate(simulator.CalibrationSampleOf(rawScore));
        var labels = new bool[rows];
        simulator.AddResponseColumns(log);
        simulator.ForEachUser(0, o.Users, new ProgressTracker(p, rows, 0.5, 1), () => 0,
            (user, _) => simulator.Respond(user, log, itemIndex, labels, scale, rowBase: 0));
        var truth = simulator._world.Truth;
        truth.ImpressionLabels = labels;
        return new SimulationResult(log, truth, o, seed);
    }

    /// <summary>
    /// The log <see cref="Run"/> makes, in pieces of consecutive users of at most
    /// <paramref name="rowsPerChunk"/> rows (a user never split), each handed to
    /// <paramref name="chunk"/> with the true label of each of its rows, in order; memory is one
    /// piece, not the log. Each user draws from its own random streams, and the calibration takes
    /// the same every-k-th raw scores, so the pieces put together are Run's log row for row. The
    /// videos are drawn twice (once for the calibration sample, once for the piece). Returns the
    /// ground truth, without its per-impression labels (the caller orders them as it writes).
    /// </summary>
    public static GroundTruth RunInChunks(SimulatorOptions o, int seed, int rowsPerChunk, Action<InteractionLog, bool[]> chunk, IProgress<double>? p = null,
        CancellationToken cancel = default, IProgress<double>? world = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.Validate();
        if (rowsPerChunk < 1) throw new ArgumentOutOfRangeException(nameof(rowsPerChunk), "a chunk holds at least one row");
        var simulator = new FeedSimulator(o, seed, world, cancel);
        var rows = simulator._rowStart[o.Users];
        var pieces = simulator.Pieces(rowsPerChunk);
        var stride = CalibrationStride(rows);
        var sample = new float[(rows + stride - 1) / stride];
        var (sampling, drawing, responding) = (new ProgressTracker(p, rows, 0, 1.0 / 3), new ProgressTracker(p, rows, 1.0 / 3, 2.0 / 3), new ProgressTracker(p, rows, 2.0 / 3, 1));
        foreach (var (first, end) in pieces)
        {
            var (log, _, rawScore, rowBase) = simulator.Exposed(first, end, sampling);
            for (var row = (rowBase + stride - 1) / stride * stride; row < rowBase + log.Count; row += stride) sample[row / stride] = rawScore[row - rowBase];
        }
        Array.Sort(sample);
        var scale = simulator.Calibrate(sample);
        foreach (var (first, end) in pieces)
        {
            var (log, itemIndex, _, rowBase) = simulator.Exposed(first, end, drawing);
            var labels = new bool[log.Count];
            simulator.AddResponseColumns(log);
            simulator.ForEachUser(first, end, responding, () => 0,
                (user, _) => simulator.Respond(user, log, itemIndex, labels, scale, rowBase));
            cancel.ThrowIfCancellationRequested(); // before the piece's write, which takes seconds
            chunk(log, labels);
        }
        return simulator._world.Truth;
    }

    /// <summary>Consecutive users [first, end) of at most <paramref name="rowsPerChunk"/> rows each (a user with more is a piece alone).</summary>
    private List<(int First, int End)> Pieces(int rowsPerChunk)
    {
        var pieces = new List<(int, int)>();
        for (var first = 0; first < _o.Users;)
        {
            var end = first + 1;
            while (end < _o.Users && _rowStart[end + 1] - _rowStart[first] <= rowsPerChunk) end++;
            pieces.Add((first, end));
            first = end;
        }
        return pieces;
    }

    /// <summary>The impressions of users [first, end): ids, items and raw scores, rows numbered from rowBase (the first user's first row).</summary>
    private (InteractionLog Log, int[] ItemIndex, float[] RawScore, int RowBase) Exposed(int first, int end, ProgressTracker progress)
    {
        var rowBase = _rowStart[first];
        var rows = _rowStart[end] - rowBase;
        var log = new InteractionLog(rows) { TimestampMs = new long[rows] };
        var (itemIndex, rawScore) = (new int[rows], new float[rows]);
        ForEachUser(first, end, progress, () => new int[_o.Items], (user, seen) => Expose(user, seen, log, itemIndex, rawScore, rowBase));
        return (log, itemIndex, rawScore, rowBase);
    }

    /// <summary>Places the global bias at the liked-share quantile of the sorted raw-score sample; returns the rating scale fitted to the biased sample.</summary>
    private RatingScale Calibrate(float[] sample)
    {
        var truth = _world.Truth;
        truth.GlobalBias = -sample[Math.Min(sample.Length - 1, (int)((1 - _o.LikedShare) * sample.Length))];
        for (var i = 0; i < sample.Length; i++) sample[i] += truth.GlobalBias;
        return RatingScale.FromSample(sample);
    }

    private void AddResponseColumns(InteractionLog log)
    {
        var rows = log.Count;
        if (_o.Feedback == FeedbackKind.Watch)
        {
            log.PlayTimeMs = new NullableColumn<long>(rows);
            log.DurationMs = new NullableColumn<long>(rows);
            log.Like = new NullableColumn<bool>(rows);
            log.Hate = new NullableColumn<bool>(rows);
        }
        else
        {
            log.Rating = new NullableColumn<float>(rows);
        }
    }

    /// <summary>Users [first, end) in parallel, 64 at a time, each with a per-thread local.</summary>
    private void ForEachUser<TLocal>(int first, int end, ProgressTracker progress, Func<TLocal> localInit, Action<int, TLocal> perUser)
    {
        var chunks = (end - first + UsersPerChunk - 1) / UsersPerChunk;
        Parallel.For(0, chunks, new ParallelOptions { CancellationToken = _cancel }, localInit, (chunk, _, local) =>
        {
            var (from, to) = (first + chunk * UsersPerChunk, Math.Min(end, first + (chunk + 1) * UsersPerChunk));
            for (var user = from; user < to; user++) perUser(user, local);
            progress.Add(_rowStart[to] - _rowStart[from]);
            return local;
        }, _ => { });
    }

    /// <summary>Which videos the feed shows a user: by popularity, never the same video twice.</summary>
    /// <param name="seen">Per-thread marks: seen[item] == user + 1 when this user has seen it (no clearing between users).</param>
    private void Expose(int user, int[] seen, InteractionLog log, int[] itemIndex, float[] rawScore, int rowBase)
    {
        var random = new SimRandom(_seed, stream: 1, index: (ulong)user);
        var mark = user + 1;
        var userId = _world.Truth.UserIds[user];
        var itemIds = _world.Truth.ItemIds;
        for (var row = _rowStart[user]; row < _rowStart[user + 1]; row++)
        {
            var item = _world.Popularity.Draw(ref random);
            for (var tries = 0; seen[item] == mark; tries++)
                item = tries < RejectionTries ? _world.Popularity.Draw(ref random) : NextUnseen(seen, mark, random.NextInt(seen.Length));
            seen[item] = mark;
            var at = row - rowBase;
            itemIndex[at] = item;
            rawScore[at] = _world.Truth.RawScore(user, item);
            log.UserId[at] = userId;
            log.ItemId[at] = itemIds[item];
        }
    }

    /// <summary>For users who have seen most of the popular videos: the next unseen one from a random start.</summary>
    private static int NextUnseen(int[] seen, int mark, int start)
    {
        for (var k = 0; k < seen.Length; k++)
        {
            var item = (start + k) % seen.Length;
            if (seen[item] != mark) return item;
        }
        throw new InvalidOperationException("a user was scheduled more impressions than there are videos.");
    }

    /// <summary>The k of the calibration's every-k-th row.</summary>
    private static int CalibrationStride(int rows) => Math.Max(1, rows / CalibrationSample);

    /// <summary>Every k-th raw score, sorted: enough to place the liked-share quantile and the star cut points.</summary>
    private float[] CalibrationSampleOf(float[] rawScore)
    {
        var stride = CalibrationStride(rawScore.Length);
        var sample = new float[(rawScore.Length + stride - 1) / stride];
        for (var i = 0; i < sample.Length; i++) sample[i] = rawScore[i * stride];
        Array.Sort(sample);
        return sample;
    }

    /// <summary>
    /// What the user does with each impression, in time order. Their impressions come in sessions of about
    /// <see cref="SessionImpressions"/>, one in each of as many equal slots of the log's days (so a time split holds
    /// out later activity of users trained on), impressions within a session a play time and a pause apart.
    /// </summary>
    private void Respond(int user, InteractionLog log, int[] itemIndex, bool[] labels, RatingScale scale, int rowBase)
    {
        var random = new SimRandom(_seed, stream: 2, index: (ulong)user);
        // Later sessions' starts come from a stream of their own: the responses keep the draws they had when every user had one session.
        var sessionRandom = new SimRandom(_seed, stream: 3, index: (ulong)user);
        var truth = _world.Truth;
        var (first, end) = (_rowStart[user] - rowBase, _rowStart[user + 1] - rowBase);
        var sessions = (end - first + SessionImpressions - 1) / SessionImpressions;
        var slotMs = (LogSpanMs - LastSessionRoomMs) / sessions;
        // The first session's start is this stream's first draw, as the one session's start was, so the draws after it stay where they were.
        var time = _o.StartTimestampMs + random.NextLong(slotMs);
        var session = 0;
        for (var row = first; row < end; row++)
        {
            var rowSession = (int)((long)(row - first) * sessions / (end - first));
            if (rowSession != session)
            {
                session = rowSession;
                // Never before the previous impression ends: a long session may run into the next one's slot.
                time = Math.Max(time, _o.StartTimestampMs + session * slotMs + sessionRandom.NextLong(slotMs));
            }
            var item = itemIndex[row];
            var logit = truth.Logit(user, item);
            var liked = logit > 0;
            labels[row] = liked;
            log.TimestampMs![row] = time;
            long busyMs;
            if (_o.Feedback == FeedbackKind.Watch)
            {
                busyMs = Watch(ref random, liked, _world.DurationMs[item], row, log);
            }
            else
            {
                var flipped = random.NextDouble() < (liked ? _o.FalseNegativeRate : _o.FalsePositiveRate);
                log.Rating!.Set(row, scale.Rate(logit, flipped, ref random, _o.RatingNoise));
                busyMs = 0;
            }
            time += busyMs + (long)random.NextExponential(_o.MeanGapSeconds * 1000) + 1;
        }
    }

    /// <summary>
    /// Play time in the band the true label and the noise settings pick: LabelSparsity of impressions
    /// land in the middle band, and of the labeled rest the noise rates flip the band. Then likes and hates.
    /// Returns the play time.
    /// </summary>
    private long Watch(ref SimRandom random, bool liked, long durationMs, int row, InteractionLog log)
    {
        // Integer band edges: play·5 < duration is "skipped" (< 0.2), play·5 > 4·duration is "finished" (> 0.8).
        var skipMax = (durationMs - 1) / 5;
        var finishMin = 4 * durationMs / 5 + 1;
        var band = BandOf(ref random, liked);
        var play = band switch
        {
            WatchBand.Finished => finishMin + random.NextLong(durationMs - finishMin + 1),
            WatchBand.Skipped => random.NextLong(skipMax + 1),
            _ => skipMax + 1 + random.NextLong(finishMin - 1 - skipMax),
        };
        log.PlayTimeMs!.Set(row, play);
        log.DurationMs!.Set(row, durationMs);

        var pLike = _reactions.Like(liked, band);
        var reaction = random.NextDouble();
        log.Like!.Set(row, reaction < pLike);
        log.Hate!.Set(row, reaction >= pLike && reaction < pLike + _reactions.Hate(liked, band));
        return play;
    }

    private WatchBand BandOf(ref SimRandom random, bool liked)
    {
        if (random.NextDouble() < _o.LabelSparsity) return WatchBand.Middle;
        var flipped = random.NextDouble() < (liked ? _o.FalseNegativeRate : _o.FalsePositiveRate);
        return liked != flipped ? WatchBand.Finished : WatchBand.Skipped;
    }
}
