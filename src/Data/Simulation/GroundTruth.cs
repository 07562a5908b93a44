namespace InverseLearning.Data.Simulation;

/// <summary>
/// The simulator's hidden truth: the latent model that decides whether a user likes a
/// video (true logit = u·v + user bias + item bias + global bias; liked ⇔ logit &gt; 0)
/// for ANY pair of known ids, plus the true label of every impression in log row order.
/// </summary>
public sealed class GroundTruth
{
    public const string ImpressionsFileName = "truth.parquet";
    public const string ModelFileName = "truth-model.bin";

    private readonly long[] _userIds, _itemIds;
    private readonly float[] _userFactors, _userBias, _itemFactors, _itemBias;
    private readonly Dictionary<long, int> _userIndex, _itemIndex;

    internal GroundTruth(int factors, float globalBias,
        long[] userIds, float[] userBias, float[] userFactors,
        long[] itemIds, float[] itemBias, float[] itemFactors,
        bool[] impressionLabels)
    {
        if (userBias.Length != userIds.Length || userFactors.Length != (long)userIds.Length * factors
            || itemBias.Length != itemIds.Length || itemFactors.Length != (long)itemIds.Length * factors)
            throw new ArgumentException("ground truth arrays disagree in size.");
        Factors = factors;
        GlobalBias = globalBias;
        _userIds = userIds;
        _userBias = userBias;
        _userFactors = userFactors;
        _itemIds = itemIds;
        _itemBias = itemBias;
        _itemFactors = itemFactors;
        _impressionLabels = new Lazy<bool[]>(impressionLabels);
        Impressions = impressionLabels.Length;
        _userIndex = IndexOf(userIds, "user");
        _itemIndex = IndexOf(itemIds, "item");
    }

    public int Factors { get; }

    /// <summary>Calibrated so that the configured share of impressions is truly liked.</summary>
    public float GlobalBias { get; internal set; }

    /// <summary>Raw ids of every simulated user, in dense-index order.</summary>
    public IReadOnlyList<long> UserIds => _userIds;

    /// <summary>Raw ids of every video in the catalogue (shown or not), in dense-index order.</summary>
    public IReadOnlyList<long> ItemIds => _itemIds;

    private Lazy<bool[]> _impressionLabels;

    /// <summary>
    /// True label of each impression, in the row order of the interaction log. A loaded truth
    /// reads them on first use: a training run never does, and they cost a byte per impression.
    /// </summary>
    public bool[] ImpressionLabels
    {
        get => _impressionLabels.Value;
        internal set
        {
            _impressionLabels = new Lazy<bool[]>(value);
            Impressions = value.Length;
        }
    }

    public float TrueLogit(long rawUserId, long rawItemId) => Logit(UserIndex(rawUserId), ItemIndex(rawItemId));

    public bool TrueLabel(long rawUserId, long rawItemId) => TrueLogit(rawUserId, rawItemId) > 0;

    /// <summary>The simulation that made this truth (<see cref="SimulationStamp"/>); null when loaded from a truth.parquet written before stamps.</summary>
    public string? Stamp { get; internal set; }

    /// <summary>The impressions the truth describes: the rows of the log it was written with (on load, from truth.parquet's footer).</summary>
    public long Impressions { get; private set; }

    public static bool Exists(string dir) =>
        File.Exists(Path.Combine(dir, ImpressionsFileName)) && File.Exists(Path.Combine(dir, ModelFileName));

    /// <summary>Writes truth.parquet (per-impression labels) and truth-model.bin (latent model), each atomically.</summary>
    public void Save(string dir)
    {
        Directory.CreateDirectory(dir);
        LatentModelFile.Write(Path.Combine(dir, ModelFileName), this);
        ImpressionTruthFile.Write(Path.Combine(dir, ImpressionsFileName), ImpressionLabels, Stamp);
    }

    /// <summary>Reads what <see cref="Save"/> wrote; a missing, truncated or foreign file gets an <see cref="DataException"/> naming it.</summary>
    public static GroundTruth Load(string dir)
    {
        var model = Path.Combine(dir, ModelFileName);
        var truth = LatentModelFile.Read(model);
        var impressions = Path.Combine(dir, ImpressionsFileName);
        (truth.Impressions, var stamp) = ImpressionTruthFile.Count(impressions);
        // The two are one set; a copy of one beside the other's would measure a log against a latent model that did not make it.
        if (stamp != truth.Stamp)
            throw new DataException($"{model} and {impressions} were written by two simulations (stamps {truth.Stamp ?? "none"} and {stamp ?? "none"}): " +
                "datagen writes them together; give the folder of one simulation");
        truth._impressionLabels = new Lazy<bool[]>(() => ImpressionTruthFile.Read(impressions));
        return truth;
    }

    internal ReadOnlySpan<float> UserFactorsSpan => _userFactors;
    internal ReadOnlySpan<float> UserBiasSpan => _userBias;
    internal ReadOnlySpan<float> ItemFactorsSpan => _itemFactors;
    internal ReadOnlySpan<float> ItemBiasSpan => _itemBias;

    /// <summary>The logit before the global bias; the one formula both the simulator and lookups use, so labels agree bit for bit.</summary>
    internal float RawScore(int user, int item)
    {
        var u = _userFactors.AsSpan(user * Factors, Factors);
        var v = _itemFactors.AsSpan(item * Factors, Factors);
        var dot = 0f;
        for (var k = 0; k < u.Length; k++) dot += u[k] * v[k];
        return dot + _userBias[user] + _itemBias[item];
    }

    internal float Logit(int user, int item) => RawScore(user, item) + GlobalBias;

    private int UserIndex(long rawId) =>
        _userIndex.TryGetValue(rawId, out var index)
            ? index
            : throw new ArgumentException($"user id {rawId} is not in the ground truth (it knows {_userIds.Length} simulated users).");

    private int ItemIndex(long rawId) =>
        _itemIndex.TryGetValue(rawId, out var index)
            ? index
            : throw new ArgumentException($"item id {rawId} is not in the ground truth (it knows {_itemIds.Length} simulated items).");

    private static Dictionary<long, int> IndexOf(long[] ids, string what)
    {
        var index = new Dictionary<long, int>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
            if (!index.TryAdd(ids[i], i))
                throw new DataException($"ground truth lists {what} id {ids[i]} twice.");
        return index;
    }
}
