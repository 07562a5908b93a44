using System.Collections;
using System.Runtime.InteropServices;

namespace InverseLearning.Data;

/// <summary>
/// Assigns labeled rows to splits: the log's split column when it has one, otherwise a
/// seeded random split of exact sizes; then Train is split into training-train and
/// training-test (both drawn by <see cref="SplitDraw"/>). A split by hash
/// (<see cref="SplitOptions.ByHash"/>) assigns each row from its raw ids alone. Split randomly,
/// a (user, item) pair's rows stay in one part (<see cref="PairSplitFollowing"/>), as they do by hash; under the log's split
/// column or days, a pair's training rows stay on one side of training-train and training-test.
/// </summary>
internal static class DatasetSplitter
{
    /// <param name="rawPair">Row → its raw (user, item) ids; needed by a split by hash only.</param>
    /// <param name="pairs">The rows' dense (user, item) ids, which a random split keeps together; null: each row drawn alone.</param>
    public static RowAssignment[] Assign(ReadOnlySpan<sbyte> labels, SplitTag[]? tags, SplitOptions options, Func<int, (long User, long Item)>? rawPair = null,
        (int[] Users, int[] Items, int UserCount)? pairs = null)
    {
        options.Validate();
        var assignment = new RowAssignment[labels.Length];
        if (options.ByHash)
        {
            if (rawPair is null) throw new ArgumentException("a split by hash needs the rows' raw ids", nameof(rawPair));
            for (var row = 0; row < labels.Length; row++)
                if (labels[row] != Labeler.Unlabeled)
                {
                    var (user, item) = rawPair(row);
                    assignment[row] = HashSplit.Assign(user, item, options);
                }
            return assignment;
        }
        SplitDraw draw;
        // Grouped once, for the split and again for training-test.
        var grouped = tags is null && pairs is var (users, _, userCount) ? PairSplitFollowing.ByUser(users, userCount) : default((int[], int[])?);
        if (tags is null)
        {
            var labeled = 0L;
            foreach (var label in labels) if (label != Labeler.Unlabeled) labeled++;
            draw = SplitDraw.Random(labeled, options);
            for (var row = 0; row < labels.Length; row++)
                if (labels[row] != Labeler.Unlabeled) assignment[row] = draw.Next();
            FollowRepeatedPairs(assignment, grouped, pairs);
        }
        else
        {
            draw = SplitDraw.TrainTestOnly(options);
            AssignFromTags(labels, tags, assignment);
        }

        var trainRows = 0;
        foreach (var part in assignment) if (part == RowAssignment.TrainTrain) trainRows++;
        var isTrainTest = draw.TrainTest(trainRows);
        for (int row = 0, k = 0; row < assignment.Length; row++)
            if (assignment[row] == RowAssignment.TrainTrain && isTrainTest[k++]) assignment[row] = RowAssignment.TrainTest;
        // Again for training-test: the pairs of the training rows were kept together above, so only their training-test draws differ.
        FollowRepeatedPairs(assignment, grouped, pairs);
        return assignment;
    }

    private static void FollowRepeatedPairs(RowAssignment[] assignment, (int[] Offsets, int[] Rows)? grouped, (int[] Users, int[] Items, int UserCount)? pairs)
    {
        if (grouped is var (offsets, rows) && pairs is var (_, items, _))
            PairSplitFollowing.FollowFirstGrouped(offsets, rows, items, MemoryMarshal.AsBytes(assignment.AsSpan()), (byte)RowAssignment.Unlabeled);
    }

    /// <summary>
    /// Training-test bits (<see cref="SplitDraw.TrainTest"/>) made to follow each pair's first training row, as <see cref="Assign"/>
    /// does for the whole log split randomly: a held read's, and any read's under a split column or by time; <paramref name="train"/> in log order.
    /// </summary>
    public static void FollowRepeatedPairs(LabeledSet train, int userCount, BitArray isTrainTest)
    {
        var parts = new byte[train.Count];
        for (var r = 0; r < parts.Length; r++) parts[r] = (byte)(isTrainTest[r] ? RowAssignment.TrainTest : RowAssignment.TrainTrain);
        if (!PairSplitFollowing.FollowFirst(train.Users, train.Items, userCount, parts, (byte)RowAssignment.Unlabeled)) return;
        for (var r = 0; r < parts.Length; r++) isTrainTest[r] = parts[r] == (byte)RowAssignment.TrainTest;
    }

    private static void AssignFromTags(ReadOnlySpan<sbyte> labels, SplitTag[] tags, RowAssignment[] assignment)
    {
        for (var row = 0; row < labels.Length; row++)
        {
            if (labels[row] == Labeler.Unlabeled) continue;
            assignment[row] = tags[row] switch
            {
                SplitTag.Train => RowAssignment.TrainTrain,
                SplitTag.Valid => RowAssignment.Valid,
                SplitTag.Test => RowAssignment.Test,
                _ => throw new ArgumentException($"row {row + 1} has no split although the log has a split column"),
            };
        }
    }
}
