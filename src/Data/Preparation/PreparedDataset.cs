namespace InverseLearning.Data;

/// <summary>
/// A log made ready for training: vocabularies, labeled rows split into
/// train (= training-train ∪ training-test) / valid / test in dense indices, the count of
/// rows the label rule left unlabeled, every (user, item) pair of the log, and per user the
/// items of its unlabeled impressions (the middle band, a source of unlabeled rows).
/// </summary>
public sealed class PreparedDataset
{
    internal PreparedDataset(Vocabulary users, Vocabulary items, LabeledSet train, bool[] isTrainTest,
        LabeledSet valid, LabeledSet test, int unlabeledRowCount, InteractionIndex seen, InteractionIndex middleBand)
    {
        Users = users;
        Items = items;
        Train = train;
        TrainTestMask = isTrainTest;
        _trainParts = new Lazy<(LabeledSet, LabeledSet)>(() => SplitTrain(train, isTrainTest));
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

    /// <summary>All training rows, in log order (= TrainTrain ∪ TrainTest).</summary>
    public LabeledSet Train { get; }
    public LabeledSet TrainTrain => _trainParts.Value.TrainTrain;
    public LabeledSet TrainTest => _trainParts.Value.TrainTest;
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

    /// <summary>Per Train row: whether it belongs to TrainTest.</summary>
    internal bool[] TrainTestMask { get; }

    /// <summary>Whether Train row <paramref name="trainRow"/> belongs to TrainTest (else to TrainTrain).</summary>
    public bool IsTrainTest(int trainRow) => TrainTestMask[trainRow];

    public static PreparedDataset Prepare(InteractionLog log, LabelingOptions labels, SplitOptions split) =>
        Prepare(log, labels, split, FeedbackOptions.Default);

    public static PreparedDataset Prepare(InteractionLog log, LabelingOptions labels, SplitOptions split, FeedbackOptions feedback) =>
        Prepare(CompactLog.FromLog(log, labels, feedback), split);

    /// <summary>
    /// Splits a compact log and indexes its pairs. Takes the log's columns: <paramref name="log"/>
    /// is empty afterwards, so that its rows and the splits made of them are held together only
    /// until the splits are gathered.
    /// </summary>
    public static PreparedDataset Prepare(CompactLog log, SplitOptions split)
    {
        var (users, items) = (log.UserIndices, log.ItemIndices);
        var assignment = DatasetSplitter.Assign(log.Labels, log.Split, split);
        var train = Gather(assignment, log.Labels, users, items, a => a is RowAssignment.TrainTrain or RowAssignment.TrainTest);
        var isTrainTest = new bool[train.Count];
        var t = 0;
        foreach (var a in assignment)
        {
            if (a == RowAssignment.TrainTest) isTrainTest[t++] = true;
            else if (a == RowAssignment.TrainTrain) t++;
        }
        var valid = Gather(assignment, log.Labels, users, items, a => a == RowAssignment.Valid);
        var test = Gather(assignment, log.Labels, users, items, a => a == RowAssignment.Test);
        var unlabeled = Gather(assignment, log.Labels, users, items, a => a == RowAssignment.Unlabeled);
        var extra = ExtraFeedback.Build(log, assignment);
        var (vocabularyUsers, vocabularyItems) = (log.Users, log.Items);
        log.Release();
        // Every row is in exactly one of these, so their pairs are the log's.
        var seen = InteractionIndex.Build([(train.Users, train.Items), (valid.Users, valid.Items), (test.Users, test.Items), (unlabeled.Users, unlabeled.Items)], vocabularyUsers.Count);
        var middleBand = InteractionIndex.Build(unlabeled.Users, unlabeled.Items, vocabularyUsers.Count);
        return new PreparedDataset(vocabularyUsers, vocabularyItems, train, isTrainTest, valid, test, unlabeled.Count, seen, middleBand) { Extra = extra };
    }

    /// <summary>Saves the dataset, vocabularies included, as DIR/dataset.bin (atomically).</summary>
    public void Save(string dir) => PreparedDatasetFile.Write(this, Path.Combine(dir, PreparedDatasetFile.FileName));

    /// <summary>Loads what <see cref="Save"/> wrote; a damaged or foreign file throws <see cref="DataException"/>.</summary>
    public static PreparedDataset Load(string dir) => PreparedDatasetFile.Read(Path.Combine(dir, PreparedDatasetFile.FileName));

    private static LabeledSet Gather(RowAssignment[] assignment, sbyte[] labels, int[] users, int[] items, Func<RowAssignment, bool> include)
    {
        var count = 0;
        foreach (var a in assignment) if (include(a)) count++;
        var set = new LabeledSet(new int[count], new int[count], new float[count]);
        var k = 0;
        for (var row = 0; row < assignment.Length; row++)
        {
            if (!include(assignment[row])) continue;
            set.Users[k] = users[row];
            set.Items[k] = items[row];
            set.Labels[k] = labels[row];
            k++;
        }
        return set;
    }

    private static (LabeledSet TrainTrain, LabeledSet TrainTest) SplitTrain(LabeledSet train, bool[] isTrainTest)
    {
        var testCount = isTrainTest.Count(x => x);
        var trainTrain = new LabeledSet(new int[train.Count - testCount], new int[train.Count - testCount], new float[train.Count - testCount]);
        var trainTest = new LabeledSet(new int[testCount], new int[testCount], new float[testCount]);
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
