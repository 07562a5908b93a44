namespace InverseLearning.Data;

/// <summary>
/// Assigns labeled rows to splits: the log's split column when it has one, otherwise a
/// seeded random split of exact sizes; then Train is split into training-train and
/// training-test. Random draws use selection sampling (one pass, row order kept):
/// each row goes to a part with probability (rows that part still needs) / (rows left),
/// which makes every assignment with the target sizes equally likely. A split by hash
/// (<see cref="SplitOptions.ByHash"/>) assigns each row from its raw ids alone.
/// </summary>
internal static class DatasetSplitter
{
    /// <param name="rawPair">Row → its raw (user, item) ids; needed by a split by hash only.</param>
    public static RowAssignment[] Assign(ReadOnlySpan<sbyte> labels, SplitTag[]? tags, SplitOptions options, Func<int, (long User, long Item)>? rawPair = null)
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
        var rng = new SplitMix64(SplitMix64.Mix(options.Seed, 1));
        if (tags is null)
            AssignRandomly(labels, options, assignment, ref rng);
        else
            AssignFromTags(labels, tags, assignment);

        var trainRows = 0;
        foreach (var part in assignment) if (part == RowAssignment.TrainTrain) trainRows++;
        var trainTest = (long)Math.Round(trainRows * options.TrainTestShare);
        var left = (long)trainRows;
        for (var row = 0; row < assignment.Length && trainTest > 0; row++)
        {
            if (assignment[row] != RowAssignment.TrainTrain) continue;
            if ((long)rng.NextBelow((ulong)left) < trainTest)
            {
                assignment[row] = RowAssignment.TrainTest;
                trainTest--;
            }
            left--;
        }
        return assignment;
    }

    private static void AssignRandomly(ReadOnlySpan<sbyte> labels, SplitOptions options, RowAssignment[] assignment, ref SplitMix64 rng)
    {
        var labeled = 0L;
        foreach (var label in labels) if (label != Labeler.Unlabeled) labeled++;
        var train = (long)Math.Round(labeled * options.TrainShare);
        var valid = Math.Min((long)Math.Round(labeled * options.ValidShare), labeled - train);
        var left = labeled;
        for (var row = 0; row < labels.Length; row++)
        {
            if (labels[row] == Labeler.Unlabeled) continue;
            var draw = (long)rng.NextBelow((ulong)left);
            if (draw < train) { assignment[row] = RowAssignment.TrainTrain; train--; }
            else if (draw < train + valid) { assignment[row] = RowAssignment.Valid; valid--; }
            else assignment[row] = RowAssignment.Test;
            left--;
        }
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
