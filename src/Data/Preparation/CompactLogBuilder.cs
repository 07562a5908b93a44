namespace InverseLearning.Data;

/// <summary>
/// Builds a <see cref="CompactLog"/> from a log read row group by row group: each group is
/// labeled, marked and id-encoded as it arrives and only its narrow columns are kept, so a
/// read never holds the raw log. The play-time rule is the exception: its quartiles need
/// every play time first, so that column alone is kept until <see cref="Finish"/>.
/// </summary>
internal sealed class CompactLogBuilder
{
    private readonly LabelingOptions _labeling;
    private readonly FeedbackOptions _feedback;
    private readonly string _source;
    private readonly AppearanceEncoding _users = new(), _items = new();
    private readonly int[] _userIndices, _itemIndices;
    private readonly sbyte[] _labels;
    private readonly NullableColumn<long>? _playTimes;
    private readonly bool[]? _extraMarks, _testPositiveMarks, _validPositiveMarks;
    private SplitTag[]? _split;
    private int _count;

    /// <summary>What every row costs whatever the columns: its user's and item's index and its label.</summary>
    public const double LeastBytesPerRow = 4 + 4 + 1;

    /// <param name="capacity">Rows the footers declare (an upper bound: bad rows may be skipped).</param>
    /// <param name="shape">A log with no rows but the columns every group will have (see <see cref="LogDataset.Shape"/>).</param>
    /// <param name="source">The dataset, as its errors name it.</param>
    public CompactLogBuilder(int capacity, InteractionLog shape, LabelingOptions labeling, FeedbackOptions feedback, string source)
    {
        labeling.Validate();
        _labeling = labeling;
        _feedback = feedback;
        _source = source;
        _userIndices = new int[capacity];
        _itemIndices = new int[capacity];
        _labels = new sbyte[capacity];
        if (labeling.Rule == LabelRule.PlayTime && shape.PlayTimeMs is not null) _playTimes = new NullableColumn<long>(capacity);
        // column:NAME rules read a column outside the log schema, after the read (CompactLog.MarkExtra).
        if (feedback.Extra.Source != FeedbackSource.Column && feedback.Mark(shape, feedback.Extra) is not null) _extraMarks = new bool[capacity];
        if (feedback.TestPositives is { } rule && feedback.Mark(shape, rule) is not null) _testPositiveMarks = new bool[capacity];
        if (feedback.ValidPositives is { } validRule && feedback.Mark(shape, validRule) is not null) _validPositiveMarks = new bool[capacity];
    }

    /// <summary>Adds the rows of one checked row group, in read order.</summary>
    public void Append(InteractionLog group)
    {
        var (at, n) = (_count, group.Count);
        _users.Encode(group.UserId.AsSpan(0, n), _userIndices.AsSpan(at, n));
        _items.Encode(group.ItemId.AsSpan(0, n), _itemIndices.AsSpan(at, n));
        if (_playTimes is { } play)
        {
            group.PlayTimeMs!.Values.AsSpan(0, n).CopyTo(play.Values.AsSpan(at));
            group.PlayTimeMs.HasValue.AsSpan(0, n).CopyTo(play.HasValue.AsSpan(at));
        }
        else Labeler.Label(group, _labeling).CopyTo(_labels.AsSpan(at));
        if (group.Split is { } split) split.AsSpan(0, n).CopyTo((_split ??= new SplitTag[_labels.Length]).AsSpan(at));
        if (_extraMarks is { } extra) _feedback.Mark(group, _feedback.Extra)!.CopyTo(extra.AsSpan(at));
        if (_testPositiveMarks is { } positives) _feedback.Mark(group, _feedback.TestPositives!)!.CopyTo(positives.AsSpan(at));
        if (_validPositiveMarks is { } validPositives) _feedback.Mark(group, _feedback.ValidPositives!)!.CopyTo(validPositives.AsSpan(at));
        _count += n;
    }

    public CompactLog Finish(BadRowReport skippedRows)
    {
        var users = Kept(_userIndices);
        var items = Kept(_itemIndices);
        var labels = Kept(_labels);
        if (_labeling.Rule == LabelRule.PlayTime)
        {
            Array.Fill(labels, Labeler.Unlabeled);
            Labeler.ByPlayTime(_playTimes is { } play ? new NullableColumn<long>(Kept(play.Values), Kept(play.HasValue)) : null, labels);
        }
        return new CompactLog(Vocabulary.FromRawIds(_users.RankInPlace(users)), Vocabulary.FromRawIds(_items.RankInPlace(items)),
            users, items, labels, _split is null ? null : Kept(_split), _feedback,
            _extraMarks is null ? null : Kept(_extraMarks), _testPositiveMarks is null ? null : Kept(_testPositiveMarks),
            _validPositiveMarks is null ? null : Kept(_validPositiveMarks), skippedRows, _source);
    }

    /// <summary>The column's rows read so far: the column itself when no row was skipped, else a copy of its head.</summary>
    private T[] Kept<T>(T[] column) => _count == column.Length ? column : column[.._count];
}
