using System.Collections;

namespace InverseLearning.Data;

/// <summary>
/// The seeded random split, drawn row by row in log order by selection sampling: each labeled
/// row goes to a part with probability (rows that part still needs) / (rows left), which makes
/// every assignment of the exact sizes equally likely and needs only the labeled count up front,
/// so a read that places rows as they arrive draws exactly what a read of the whole log does.
/// Training-test is then drawn the same way among the training rows, in their order, from the
/// same stream.
/// </summary>
internal sealed class SplitDraw
{
    private readonly SplitOptions _options;
    private SplitMix64 _rng;
    private long _train, _valid, _left;

    private SplitDraw(SplitOptions options, long labeledRows, long trainRows, long validRows)
    {
        options.Validate();
        _options = options;
        _rng = new SplitMix64(SplitMix64.Mix(options.Seed, 1));
        (_left, _train, _valid) = (labeledRows, trainRows, validRows);
        (TrainRows, ValidRows, TestRows) = (trainRows, validRows, labeledRows - trainRows - validRows);
    }

    /// <summary>A draw of <paramref name="labeledRows"/> rows into train, valid and test of exact sizes (the shares, rounded).</summary>
    public static SplitDraw Random(long labeledRows, SplitOptions options)
    {
        var train = (long)Math.Round(labeledRows * options.TrainShare);
        var valid = Math.Min((long)Math.Round(labeledRows * options.ValidShare), labeledRows - train);
        return new SplitDraw(options, labeledRows, train, valid);
    }

    /// <summary>No rows to draw (the log's split column or days assign them): training-test alone.</summary>
    public static SplitDraw TrainTestOnly(SplitOptions options) => new(options, 0, 0, 0);

    public long TrainRows { get; }
    public long ValidRows { get; }
    public long TestRows { get; }

    /// <summary>Labeled rows not drawn yet.</summary>
    public long Left => _left;

    /// <summary>The next labeled row's part: <see cref="RowAssignment.TrainTrain"/> (any training row), valid or test.</summary>
    public RowAssignment Next()
    {
        if (_left == 0) throw new InvalidOperationException("more labeled rows than the draw was sized for");
        var draw = (long)_rng.NextBelow((ulong)_left--);
        if (draw < _train) { _train--; return RowAssignment.TrainTrain; }
        if (draw < _train + _valid) { _valid--; return RowAssignment.Valid; }
        return RowAssignment.Test;
    }

    /// <summary>Which of <paramref name="trainRows"/> training rows, in their order, are training-test: the share, rounded, drawn after every labeled row.</summary>
    public BitArray TrainTest(int trainRows)
    {
        var isTrainTest = new BitArray(trainRows);
        var trainTest = (long)Math.Round(trainRows * _options.TrainTestShare);
        var left = (long)trainRows;
        for (var k = 0; k < trainRows && trainTest > 0; k++, left--)
            if ((long)_rng.NextBelow((ulong)left) < trainTest)
            {
                isTrainTest[k] = true;
                trainTest--;
            }
        return isTrainTest;
    }
}
