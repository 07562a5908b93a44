using System.Collections;

namespace InverseLearning.Data;

/// <summary>
/// A log made ready for training: vocabularies, labeled rows split into
/// train (= training-train ∪ training-test) / valid / test in dense indices, the count of
/// rows the label rule left unlabeled, every (user, item) pair of the log, and per user the
/// items of its unlabeled impressions (the middle band, a source of unlabeled rows).
/// A streamed dataset (<see cref="Stream"/>) holds all of it but the training rows, which its
/// passes read from the lake at every epoch (<see cref="Streamed"/>). How each is built is in PreparedDataset.Preparation.cs.
/// </summary>
public sealed partial class PreparedDataset
{
    internal PreparedDataset(Vocabulary users, Vocabulary items, LabeledSet? train, BitArray isTrainTest,
        LabeledSet valid, LabeledSet test, int unlabeledRowCount, InteractionIndex seen, InteractionIndex middleBand, StreamedTrain? streamed = null)
    {
        Users = users;
        Items = items;
        _train = train;
        Streamed = streamed;
        TrainTestMask = isTrainTest;
        _trainParts = new Lazy<(LabeledSet, LabeledSet)>(() => SplitTrain(Train, isTrainTest));
        _trainTestCount = new Lazy<int>(() => CountSet(isTrainTest));
        Valid = valid;
        Test = test;
        UnlabeledRowCount = unlabeledRowCount;
        Seen = seen;
        MiddleBand = middleBand;
    }

    public Vocabulary Users { get; }
    public Vocabulary Items { get; }

    // Only IG's plans read training-train and training-test apart: built on first use, so other runs hold Train once.
    private readonly Lazy<(LabeledSet TrainTrain, LabeledSet TrainTest)> _trainParts;

    private readonly LabeledSet? _train;

    /// <summary>All training rows, in log order (= TrainTrain ∪ TrainTest); a streamed dataset does not hold them (<see cref="TrainRows"/>).</summary>
    public LabeledSet Train => _train ?? throw new InvalidOperationException("a streamed dataset does not hold its training rows: read them through TrainRows");
    public LabeledSet TrainTrain => _trainParts.Value.TrainTrain;
    public LabeledSet TrainTest => _trainParts.Value.TrainTest;

    /// <summary>The training rows, held or streamed, and training-train and training-test apart.</summary>
    public ITrainingRows TrainRows => (ITrainingRows?)_train ?? Streamed!.All;
    public ITrainingRows TrainTrainRows => Streamed is { } streamed ? streamed.TrainTrain : TrainTrain;
    public ITrainingRows TrainTestRows => Streamed is { } streamed ? streamed.TrainTest : TrainTest;

    /// <summary>Rows of training-train and of training-test, counted without building them apart (which holds the training rows twice).</summary>
    public int TrainTrainCount => TrainRows.Count - TrainTestCount;
    public int TrainTestCount => Streamed?.TrainTest.Count ?? _trainTestCount.Value;

    private readonly Lazy<int> _trainTestCount;

    /// <summary>Whether training-train and training-test were built apart (a copy of the training rows).</summary>
    internal bool HoldsTrainPartsApart => _trainParts.IsValueCreated;

    private static int CountSet(BitArray bits)
    {
        var words = new int[(bits.Length + 31) / 32];
        bits.CopyTo(words, 0);
        return words.Sum(word => System.Numerics.BitOperations.PopCount((uint)word));
    }

    /// <summary>The training rows read from the lake at every epoch; null when they are held (<see cref="Train"/>).</summary>
    public StreamedTrain? Streamed { get; }

    /// <summary>Per user (dense index), the training rows, held or streamed alike.</summary>
    public int[] TrainRowsPerUser() => Streamed?.RowsPerUser ?? ExtraFeedback.CountPerUser(Train, Users.Count);

    /// <summary>Per user (dense index), the positive training rows.</summary>
    public int[] TrainPositivesPerUser() => Streamed?.PositivesPerUser ?? ExtraFeedback.CountPerUser(Train, Users.Count, positivesOnly: true);

    /// <summary>
    /// The training rows a model that reads interactions (CDAE's histories, LightGCN's graph)
    /// builds from, which keeps their positives: every training row when they are held, a
    /// streamed dataset's positives, gathered by one pass.
    /// </summary>
    public LabeledSet HistoryRows() => Streamed is { } streamed ? streamed.All.Positives() : Train;
    public LabeledSet Valid { get; }
    public LabeledSet Test { get; }

    /// <summary>Rows whose label rule said "unlabeled"; not in any split.</summary>
    public int UnlabeledRowCount { get; }

    /// <summary>Every (user, item) of the log, any split, labeled or not.</summary>
    public InteractionIndex Seen { get; }

    /// <summary>D*, the extra-feedback positives split like the rest, and the test's true positives by rule (see <see cref="ExtraFeedback"/>).</summary>
    public ExtraFeedback Extra { get; internal set; } = ExtraFeedback.Missing(FeedbackRule.Like.ToString());

    /// <summary>Per user, the distinct items of its impressions the label rule left unlabeled (finish rate 0.2–0.8 by default).</summary>
    public InteractionIndex MiddleBand { get; }

    /// <summary>The days of each split and the held-out ids no training row holds, when the log was split by time; null otherwise.</summary>
    public TimeSplitReport? TimeSplitReport { get; private set; }

    /// <summary>Per Train row, one bit: whether it belongs to TrainTest.</summary>
    internal BitArray TrainTestMask { get; }

    /// <summary>
    /// The most rows of one row group a held read by two passes decoded at once, 0 for a dataset prepared from a log in memory
    /// or streamed (whose epochs count their groups in <see cref="StreamedTrain.EpochBytes"/>): the heap the read grew to stays
    /// the process's for the run.
    /// </summary>
    public int ReadGroupRows { get; internal set; }

    /// <summary>The lake parts the data was read from, which a run's checkpoint records (<see cref="LogDataset.Record"/>); null for a log prepared in memory.</summary>
    public IReadOnlyList<ReadPart>? ReadParts { get; set; }

    /// <summary>Every part the lake held when the run listed it, read or not (<see cref="LogDataset.Listing"/>), which a run's checkpoint records; null where unknown.</summary>
    public IReadOnlyList<string>? LakeListing { get; set; }

    /// <summary>
    /// The bytes the dataset holds (training-train and training-test not counted: built only on
    /// demand): per labeled row 8 (user, item) and a bit of label (in 8-byte words), a bit per
    /// Train row (the training-test mask, in 4-byte words), 4 per distinct pair of the seen and
    /// middle-band indices and per user of their offsets, and per vocabulary row its raw id and
    /// at most 24 of lookup.
    /// A streamed dataset holds no training row, but per user a count of positives (4), and its
    /// epochs a shuffle buffer and a group or two of the lake (<see cref="StreamedTrain.EpochBytes"/>).
    /// </summary>
    public long ResidentBytes
    {
        get
        {
            static long Set(LabeledSet? set) => set is null ? 0
                : 4L * set.Count * (set.HoldsUserColumn ? 2 : 1) + 4L * (set.UserOffsets?.Length ?? 0) + 8L * ((set.Count + 63) / 64);
            static long Index(InteractionIndex index) => 4L * (index.UserCount + 1 + index.PairCount);
            var sets = Set(_train) + Set(Valid) + Set(Test) + Set(Extra.Train) + Set(Extra.Valid) + Set(Extra.Test) + Set(Extra.TestPositives) + Set(Extra.ValidPositives);
            var train = Streamed is { } streamed ? 4L * Users.Count + streamed.EpochBytes : (TrainRows.Count + 31) / 32 * 4;
            return sets + train + Index(Seen) + Index(MiddleBand) + 32L * (Users.Count + Items.Count);
        }
    }

    /// <summary>Whether Train row <paramref name="trainRow"/> belongs to TrainTest (else to TrainTrain).</summary>
    public bool IsTrainTest(int trainRow) => TrainTestMask[trainRow];

    private static (LabeledSet TrainTrain, LabeledSet TrainTest) SplitTrain(LabeledSet train, BitArray isTrainTest)
    {
        var testCount = 0;
        for (var r = 0; r < train.Count; r++) if (isTrainTest[r]) testCount++;
        var trainTrain = new LabeledSet(new int[train.Count - testCount], new int[train.Count - testCount], new PackedLabels(train.Count - testCount));
        var trainTest = new LabeledSet(new int[testCount], new int[testCount], new PackedLabels(testCount));
        int a = 0, b = 0;
        for (var r = 0; r < train.Count; r++)
        {
            var (target, k) = isTrainTest[r] ? (trainTest, b++) : (trainTrain, a++);
            target.Users[k] = train.Users[r];
            target.Items[k] = train.Items[r];
            target.Labels[k] = train.Labels[r];
        }
        return (trainTrain, trainTest);
    }
}
