using System.Collections;

namespace InverseLearning.Data;

// The ways a dataset is built: from a log in memory (split randomly, by hash, by its split column or by time), from a lake held by
// two passes, or streamed from a lake.
public sealed partial class PreparedDataset
{
    public static PreparedDataset Prepare(InteractionLog log, LabelingOptions labels, SplitOptions split) =>
        Prepare(log, labels, split, FeedbackOptions.Default);

    public static PreparedDataset Prepare(InteractionLog log, LabelingOptions labels, SplitOptions split, FeedbackOptions feedback) =>
        Prepare(CompactLog.FromLog(log, labels, feedback), split);

    /// <summary>
    /// Splits a compact log and indexes its pairs. Takes the log's columns: <paramref name="log"/>
    /// is empty afterwards. Its rows are moved into the splits one column at a time, each column
    /// let go once moved, so that the rows are held about once, not twice, at any moment.
    /// </summary>
    public static PreparedDataset Prepare(CompactLog log, SplitOptions split)
    {
        var (userVocabulary, itemVocabulary, userIndices, itemIndices, tagged) = (log.Users, log.Items, log.UserIndices, log.ItemIndices, log.Split is not null);
        var assignment = DatasetSplitter.Assign(log.Labels, log.Split, split, row => (userVocabulary.RawId(userIndices[row]), itemVocabulary.RawId(itemIndices[row])),
            (userIndices, itemIndices, userVocabulary.Count));
        var extra = ExtraFeedback.Build(log, assignment);
        var counts = new int[Parts];
        foreach (var a in assignment) counts[PartOf(a)]++;
        var isTrainTest = new BitArray(counts[TrainPart]);
        var t = 0;
        foreach (var a in assignment)
        {
            if (a == RowAssignment.TrainTest) isTrainTest[t++] = true;
            else if (a == RowAssignment.TrainTrain) t++;
        }
        var users = Distribute(assignment, counts, log.UserIndices);
        log.Release(CompactLog.Column.Users);
        ReleasedArrays.Compact();
        var items = Distribute(assignment, counts, log.ItemIndices);
        log.Release(CompactLog.Column.Items);
        ReleasedArrays.Compact();
        var labels = DistributeLabels(assignment, counts, log.Labels);
        log.Release(CompactLog.Column.All);
        ReleasedArrays.Compact();
        LabeledSet Set(int part) => new(users[part], items[part], labels[part]);
        var (train, valid, test) = (Set(TrainPart), Set(ValidPart), Set(TestPart));
        // The log's or the days' parts are kept (a pair's later rows may lie in later days on purpose), but training-test, drawn
        // row by row, keeps a pair's training rows together as a random split does (Assign, which holds no training set).
        if (tagged && !split.ByHash) DatasetSplitter.FollowRepeatedPairs(train, userVocabulary.Count, isTrainTest);
        var (unlabeledUsers, unlabeledItems) = (users[UnlabeledPart], items[UnlabeledPart]);
        // Every row is in exactly one part, so their pairs are the log's.
        var seen = InteractionIndex.Build([.. Enumerable.Range(0, Parts).Select(part => (users[part], items[part]))], userVocabulary.Count);
        var middleBand = InteractionIndex.Build(unlabeledUsers, unlabeledItems, userVocabulary.Count);
        return new PreparedDataset(userVocabulary, itemVocabulary, train, isTrainTest, valid, test, unlabeledUsers.Length, seen, middleBand) { Extra = extra };
    }

    // The parts a row can go to: Train (training-train and training-test, in log order), Valid, Test, and the unlabeled rows.
    private const int TrainPart = 0, ValidPart = 1, TestPart = 2, UnlabeledPart = 3, Parts = 4;

    private static int PartOf(RowAssignment assignment) => assignment switch
    {
        RowAssignment.TrainTrain or RowAssignment.TrainTest => TrainPart,
        RowAssignment.Valid => ValidPart,
        RowAssignment.Test => TestPart,
        _ => UnlabeledPart,
    };

    /// <summary>One id column's values, part by part in row order.</summary>
    private static int[][] Distribute(RowAssignment[] assignment, int[] counts, int[] column)
    {
        var parts = counts.Select(count => new int[count]).ToArray();
        var next = new int[counts.Length];
        for (var row = 0; row < assignment.Length; row++)
        {
            var part = PartOf(assignment[row]);
            parts[part][next[part]++] = column[row];
        }
        return parts;
    }

    /// <summary>The labels, part by part in row order (the unlabeled part's stay 0: it has none).</summary>
    private static PackedLabels[] DistributeLabels(RowAssignment[] assignment, int[] counts, sbyte[] labels)
    {
        var parts = counts.Select(count => new PackedLabels(count)).ToArray();
        var next = new int[counts.Length];
        for (var row = 0; row < assignment.Length; row++)
        {
            var part = PartOf(assignment[row]);
            var k = next[part]++;
            if (part != UnlabeledPart) parts[part][k] = labels[row];
        }
        return parts;
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

    /// <summary>
    /// Streams the lake <paramref name="source"/> names: one first pass (see <see cref="StreamScan"/>)
    /// builds everything but the training rows, which each epoch reads again through a shuffle
    /// buffer of <paramref name="shuffleBuffer"/> rows. <paramref name="middleBand"/>: whether to
    /// index the unlabeled impressions (a run that samples from them needs it).
    /// </summary>
    public static PreparedDataset Stream(LakeSource source, FeedbackOptions feedback, bool middleBand, int shuffleBuffer, IProgress<double>? progress = null)
    {
        if (!source.Split.ByHash && source.ByTime is null) throw new ArgumentException("a streamed read splits by hash or by time", nameof(source));
        return new StreamScan(source, feedback, middleBand, progress).Run(shuffleBuffer);
    }

    /// <summary>
    /// Reads the lake <paramref name="source"/> names into a held dataset by two passes (see
    /// <see cref="StreamScan.Hold"/>): the same dataset <see cref="Prepare(CompactLog, SplitOptions)"/>
    /// makes of the whole log, split randomly, by hash or by time, without ever holding the log's
    /// columns beside its splits. Only for what <see cref="CanHoldByScan"/> accepts.
    /// </summary>
    public static PreparedDataset Hold(LakeSource source, FeedbackOptions feedback, out BadRowReport skipped, IProgress<double>? progress = null)
    {
        if (!CanHoldByScan(source.Dataset, source.Labeling, feedback, source.Split, source.ByTime))
            throw new ArgumentException("this dataset and its rules need the whole log read (play-time labels, a column:NAME rule, or a split column to follow)", nameof(source));
        return new StreamScan(source, feedback, middleBand: true, progress).Hold(out skipped);
    }

    /// <summary>
    /// Whether <see cref="Hold"/> can read the dataset: not when the play-time rule's quartiles need
    /// every play time before a row is labeled, a column:NAME rule reads a column outside the log
    /// schema, or a random split is to follow the log's split column.
    /// </summary>
    public static bool CanHoldByScan(LogDataset dataset, LabelingOptions labels, FeedbackOptions feedback, SplitOptions split, TimeSplit? byTime) =>
        labels.Rule != LabelRule.PlayTime
        && feedback.Extra.Source != FeedbackSource.Column && feedback.TestPositives?.Source != FeedbackSource.Column
        && (split.ByHash || byTime is not null || dataset.Shape().Split is null);

    internal static PreparedDataset FromHeldScan(Vocabulary users, Vocabulary items, LabeledSet train, BitArray isTrainTest, LabeledSet valid, LabeledSet test,
        int unlabeledRowCount, InteractionIndex seen, InteractionIndex middleBand, ExtraFeedback extra, TimeSplitReport? byTime) =>
        new(users, items, train, isTrainTest, valid, test, unlabeledRowCount, seen, middleBand) { Extra = extra, TimeSplitReport = byTime };

    internal static PreparedDataset FromStream(Vocabulary users, Vocabulary items, StreamedTrain train, LabeledSet valid, LabeledSet test,
        int unlabeledRowCount, InteractionIndex seen, InteractionIndex middleBand, ExtraFeedback extra, TimeSplitReport? byTime) =>
        new(users, items, null, new BitArray(0), valid, test, unlabeledRowCount, seen, middleBand, train) { Extra = extra, TimeSplitReport = byTime };
}
