namespace InverseLearning.Data.Simulation;

/// <summary>
/// Everything drawn before any impression: the latent model (as an uncalibrated ground
/// truth), video durations, exposure popularity and how many impressions each user gets.
/// </summary>
internal sealed class SimulatedWorld
{
    private const long MillisecondsPerSecond = 1000;

    private SimulatedWorld(GroundTruth truth, long[] durationMs, AliasTable popularity, int[] impressionsPerUser)
    {
        Truth = truth;
        DurationMs = durationMs;
        Popularity = popularity;
        ImpressionsPerUser = impressionsPerUser;
    }

    public GroundTruth Truth { get; }
    public long[] DurationMs { get; }
    public AliasTable Popularity { get; }
    public int[] ImpressionsPerUser { get; }

    /// <param name="progress">Told the share of the world drawn, at most about once a percent.</param>
    /// <param name="cancel">Checked every 65,536 values drawn: a cancelled draw throws <see cref="OperationCanceledException"/>.</param>
    public static SimulatedWorld Create(SimulatorOptions o, int seed, IProgress<double>? progress = null, CancellationToken cancel = default)
    {
        var random = new SimRandom(seed, stream: 0, index: 0);
        var steps = new Steps(progress, WorldValues(o), cancel);
        // Both factor vectors ~ N(0, σ²) per dimension, so Var(u·v) = d·σ⁴ = PreferenceScale².
        var factorScale = Math.Sqrt(o.PreferenceScale / Math.Sqrt(o.Factors));

        var userIds = new long[o.Users];
        for (var u = 0; u < o.Users; u++) userIds[u] = IdScrambler.User(u);
        var userFactors = Gaussians(ref random, o.Users * o.Factors, factorScale, steps);
        var userBias = Gaussians(ref random, o.Users, o.UserBiasScale, steps);

        var itemIds = new long[o.Items];
        for (var i = 0; i < o.Items; i++) itemIds[i] = IdScrambler.Item(i);
        var itemFactors = Gaussians(ref random, o.Items * o.Factors, factorScale, steps);
        var itemBias = Gaussians(ref random, o.Items, o.ItemBiasScale, steps);

        var truth = new GroundTruth(o.Factors, 0f, userIds, userBias, userFactors, itemIds, itemBias, itemFactors, []) { Stamp = SimulationStamp.Of(o, seed) };
        var durations = Durations(ref random, o, steps);
        var popularity = ExposureByPopularity(ref random, o, steps);
        return new SimulatedWorld(truth, durations, popularity, ImpressionCounts(ref random, o, steps));
    }

    /// <summary>
    /// The most impressions <see cref="Create"/> gives one user, without holding the world: the draws before the counts (factors,
    /// biases, durations, one Gaussian each, and the popularity shuffle) are made and dropped, in Create's order, and the counts drawn
    /// as it draws them. Holds 12 bytes a user for the counts, a tenth of what the world does; takes as long as drawing the world,
    /// and reports and checks <paramref name="cancel"/> as <see cref="Create"/> does.
    /// </summary>
    public static int LargestUserImpressions(SimulatorOptions o, int seed, IProgress<double>? progress = null, CancellationToken cancel = default)
    {
        var random = new SimRandom(seed, stream: 0, index: 0);
        var steps = new Steps(progress, WorldValues(o), cancel);
        var gaussians = ((long)o.Users + o.Items) * (o.Factors + 1) + o.Items;
        for (var done = 0L; done < gaussians; done += Steps.Grain)
        {
            var block = Math.Min(Steps.Grain, gaussians - done);
            for (var i = 0L; i < block; i++) random.NextGaussian();
            steps.Add(block);
        }
        for (var i = o.Items - 1; i > 0; i--)
        {
            random.NextInt(i + 1);
            steps.Tick();
        }
        steps.Add(3L * o.Items); // the ranks' weights and their table (a step per weight and one per pair), which are not made here
        return ImpressionCounts(ref random, o, steps).Max();
    }

    /// <summary>The values drawn or computed in turn to draw the world, the measure of its progress: about one a Gaussian.</summary>
    private static long WorldValues(SimulatorOptions o) => ((long)o.Users + o.Items) * (o.Factors + 1) + 5L * o.Items + 2L * o.Users;

    /// <summary>
    /// The world's progress and its cancellation: the token is checked and progress told every <see cref="Grain"/> values, which is
    /// a few milliseconds of drawing, so a cancel is heard at once and the check costs nothing beside the draws.
    /// </summary>
    private sealed class Steps(IProgress<double>? progress, long total, CancellationToken cancel)
    {
        public const int Grain = 1 << 16;

        private readonly ProgressTracker _tracker = new(progress, total, 0, 1);
        private long _done;
        private int _pending;

        /// <summary>One value drawn; every <see cref="Grain"/>th checks the token and counts them.</summary>
        public void Tick()
        {
            if (++_pending == Grain) Add(0);
        }

        /// <summary>Checks the token and counts the values ticked since the last count, and <paramref name="values"/> more.</summary>
        public void Add(long values)
        {
            cancel.ThrowIfCancellationRequested();
            values += _pending;
            _pending = 0;
            _done += values;
            _tracker.Add(values);
        }

        /// <summary>The world is drawn: the rest of the count (what was not ticked, one by one) is done.</summary>
        public void Finish() => Add(Math.Max(0, total - _done - _pending));
    }

    private static float[] Gaussians(ref SimRandom random, int count, double scale, Steps steps)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(scale * random.NextGaussian());
            steps.Tick();
        }
        return values;
    }

    private static long[] Durations(ref SimRandom random, SimulatorOptions o, Steps steps)
    {
        var durations = new long[o.Items];
        var logMedian = Math.Log(o.MedianDurationSeconds);
        for (var i = 0; i < o.Items; i++)
        {
            var seconds = Math.Clamp(Math.Exp(logMedian + o.DurationSigma * random.NextGaussian()), o.MinDurationSeconds, o.MaxDurationSeconds);
            durations[i] = (long)Math.Round(seconds * MillisecondsPerSecond);
            steps.Tick();
        }
        return durations;
    }

    /// <summary>Zipf-like exposure over a random popularity order, so popularity is unrelated to the id order.</summary>
    private static AliasTable ExposureByPopularity(ref SimRandom random, SimulatorOptions o, Steps steps)
    {
        var rank = new int[o.Items];
        for (var i = 0; i < rank.Length; i++) rank[i] = i;
        for (var i = rank.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (rank[i], rank[j]) = (rank[j], rank[i]);
            steps.Tick();
        }
        var weights = new double[o.Items];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = Math.Pow(rank[i] + 1, -o.PopularityExponent);
            steps.Tick();
        }
        return new AliasTable(weights, steps.Tick);
    }

    /// <summary>
    /// One impression per user plus a log-normal share of the rest, exactly the total: a user's share past the catalogue
    /// (a user sees a video once) goes to the users with the fewest, raising them to a common level (water-filling).
    /// </summary>
    private static int[] ImpressionCounts(ref SimRandom random, SimulatorOptions o, Steps steps)
    {
        var weights = new double[o.Users];
        var total = 0.0;
        for (var u = 0; u < o.Users; u++)
        {
            total += weights[u] = Math.Exp(o.UserActivitySigma * random.NextGaussian());
            steps.Tick();
        }

        var counts = new int[o.Users];
        long spread = o.Impressions - o.Users, assigned = 0;
        for (var u = 0; u < o.Users; u++)
        {
            counts[u] = 1 + (int)Math.Floor(spread * (weights[u] / total));
            assigned += counts[u];
            steps.Tick();
        }
        // Each floor lost less than one, so the remainder is below the number of users.
        for (var u = 0; assigned < o.Impressions && u < o.Users; u++, assigned++) counts[u]++;
        var excess = 0L;
        for (var u = 0; u < o.Users; u++)
        {
            excess += Math.Max(0, counts[u] - o.Items);
            counts[u] = Math.Min(counts[u], o.Items);
        }
        if (excess > 0) SpreadExcess(counts, excess, o.Items, steps);
        steps.Finish();
        return counts;
    }

    /// <summary>
    /// Raises every count below the lowest level L that absorbs <paramref name="excess"/> to L − 1, then the first users (in
    /// order) at L − 1 to L for the rest. Options allow at most users × items impressions, so L is at most the catalogue.
    /// </summary>
    private static void SpreadExcess(int[] counts, long excess, int items, Steps steps)
    {
        long Absorbed(int level) => counts.Sum(c => (long)Math.Max(0, level - c));
        int low = 0, high = items; // Absorbed(high) ≥ excess > Absorbed(low)
        while (high - low > 1)
        {
            steps.Add(0); // each step sums every user's count
            var middle = low + (high - low) / 2;
            if (Absorbed(middle) >= excess) high = middle;
            else low = middle;
        }
        excess -= Absorbed(low);
        for (var u = 0; u < counts.Length; u++) counts[u] = Math.Max(counts[u], low);
        for (var u = 0; u < counts.Length && excess > 0; u++)
            if (counts[u] == low)
            {
                counts[u]++;
                excess--;
            }
    }
}
