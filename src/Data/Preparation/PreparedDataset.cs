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
        (TrainTrain, TrainTest) = SplitTrain(train, isTrainTest);
        Valid = valid;
        Test = test;
        UnlabeledRowCount = unlabeledRowCount;
        Seen = seen;
        MiddleBand = middleBand;
    }

    public Vocabulary Users { get; }
    public Vocabulary Items { get; }

    /// <summary>All training rows, in log order (= TrainTrain ∪ TrainTest).</summary>
    public LabeledSet Train { get; }
    public LabeledSet TrainTrain { get; }
    public LabeledSet TrainTest { get; }
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

    /// <summary>Per Train row: whether it belongs to TrainTest.</summary>
    internal bool[] TrainTestMask { get; }

    public static PreparedDataset Prepare(InteractionLog log, LabelingOptions labels, SplitOptions split) =>
        Prepare(log, labels, split, FeedbackOptions.Default);

    public static PreparedDataset Prepare(InteractionLog log, LabelingOptions labels, SplitOptions split, FeedbackOptions feedback)
    {
        var rowLabels = Labeler.Label(log, labels);
        var users = Vocabulary.Build(log.UserId.AsSpan(0, log.Count), out var userIndex);
        var items = Vocabulary.Build(log.ItemId.AsSpan(0, log.Count), out var itemIndex);
        var seen = InteractionIndex.Build(userIndex, itemIndex, users.Count);
        var assignment = DatasetSplitter.Assign(rowLabels, log.Split, split);

        var train = Gather(assignment, rowLabels, userIndex, itemIndex, a => a is RowAssignment.TrainTrain or RowAssignment.TrainTest);
        var isTrainTest = new bool[train.Count];
        var t = 0;
        foreach (var a in assignment)
        {
            if (a == RowAssignment.TrainTest) isTrainTest[t++] = true;
            else if (a == RowAssignment.TrainTrain) t++;
        }
        var valid = Gather(assignment, rowLabels, userIndex, itemIndex, a => a == RowAssignment.Valid);
        var test = Gather(assignment, rowLabels, userIndex, itemIndex, a => a == RowAssignment.Test);
        var unlabeled = rowLabels.Count(label => label == Labeler.Unlabeled);
        return new PreparedDataset(users, items, train, isTrainTest, valid, test, unlabeled, seen, MiddleBandOf(rowLabels, userIndex, itemIndex, users.Count))
        {
            Extra = ExtraFeedback.Build(log, feedback, assignment, userIndex, itemIndex),
        };
    }

    /// <summary>
    /// Prepares <paramref name="log"/> split by time: its rows tagged by day (<paramref name="days"/>;
    /// the tags replace a split column the log has), then prepared as a log with that split
    /// column, so training-test is still drawn from the training rows with <paramref name="split"/>'s seed.
    /// </summary>
    public static PreparedDataset Prepare(InteractionLog log, LabelingOptions labels, SplitOptions split, FeedbackOptions feedback, RowDays days, TimeSplit byTime, string path)
    {
        var daySplit = TimeSplitter.Tag(log, days, byTime, path);
        var prepared = Prepare(log, labels, split, feedback);
        prepared.TimeSplitReport = new TimeSplitReport(daySplit,
            ColdStart.Of(prepared.Valid, prepared.Train, prepared.Users.Count, prepared.Items.Count),
            ColdStart.Of(prepared.Test, prepared.Train, prepared.Users.Count, prepared.Items.Count));
        return prepared;
    }

    /// <summary>Saves the dataset, vocabularies included, as DIR/dataset.bin (atomically).</summary>
    public void Save(string dir) => PreparedDatasetFile.Write(this, Path.Combine(dir, PreparedDatasetFile.FileName));

    /// <summary>Loads what <see cref="Save"/> wrote; a damaged or foreign file throws <see cref="DataException"/>.</summary>
    public static PreparedDataset Load(string dir) => PreparedDatasetFile.Read(Path.Combine(dir, PreparedDatasetFile.FileName));

    private static InteractionIndex MiddleBandOf(sbyte[] labels, int[] users, int[] items, int userCount)
    {
        var (middleUsers, middleItems) = (new List<int>(), new List<int>());
        for (var row = 0; row < labels.Length; row++)
        {
            if (labels[row] != Labeler.Unlabeled) continue;
            middleUsers.Add(users[row]);
            middleItems.Add(items[row]);
        }
        return InteractionIndex.Build(middleUsers.ToArray(), middleItems.ToArray(), userCount);
    }

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
