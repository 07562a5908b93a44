namespace InverseLearning.Data;

/// <summary>
/// An interaction log held column by column (no object per row), exactly the
/// columns of the documented Parquet schema. Nullable columns carry a parallel
/// "has value" mask; absent optional columns are null.
/// </summary>
public sealed class InteractionLog
{
    public InteractionLog(int count)
    {
        Count = count;
        UserId = new long[count];
        ItemId = new long[count];
    }

    public int Count { get; private set; }

    public long[] UserId { get; private set; }
    public long[] ItemId { get; private set; }

    /// <summary>Milliseconds since the Unix epoch; null when the log has no timestamp column.</summary>
    public long[]? TimestampMs { get; set; }

    public NullableColumn<long>? PlayTimeMs { get; set; }
    public NullableColumn<long>? DurationMs { get; set; }
    public NullableColumn<float>? Rating { get; set; }
    public NullableColumn<bool>? Like { get; set; }
    public NullableColumn<bool>? Hate { get; set; }

    /// <summary>Per row: the split the log assigns (train / valid / test); null when the log has no split column.</summary>
    public SplitTag[]? Split { get; set; }

    /// <summary>Rows a read left out under <see cref="BadRowPolicy.Skip"/>, by reason; empty when none were.</summary>
    public BadRowReport SkippedRows { get; set; } = new();

    /// <summary>Removes the rows marked in <paramref name="remove"/>, keeping the others in order.</summary>
    public void RemoveRows(ReadOnlySpan<bool> remove)
    {
        if (remove.Length != Count) throw new ArgumentException($"expected one flag per row ({Count}), got {remove.Length}", nameof(remove));
        var kept = 0;
        for (var row = 0; row < Count; row++)
        {
            if (remove[row]) continue;
            MoveRow(row, kept);
            kept++;
        }
        if (kept < Count) Truncate(kept);
    }

    private void MoveRow(int from, int to)
    {
        if (from == to) return;
        UserId[to] = UserId[from];
        ItemId[to] = ItemId[from];
        if (TimestampMs is { } timestamps) timestamps[to] = timestamps[from];
        PlayTimeMs?.Move(from, to);
        DurationMs?.Move(from, to);
        Rating?.Move(from, to);
        Like?.Move(from, to);
        Hate?.Move(from, to);
        if (Split is { } split) split[to] = split[from];
    }

    /// <summary>Keeps the first <paramref name="count"/> rows (used after compacting rows in place).</summary>
    public void Truncate(int count)
    {
        if (count > Count) throw new ArgumentOutOfRangeException(nameof(count));
        Count = count;
        UserId = UserId[..count];
        ItemId = ItemId[..count];
        TimestampMs = TimestampMs?[..count];
        PlayTimeMs = PlayTimeMs?.Slice(count);
        DurationMs = DurationMs?.Slice(count);
        Rating = Rating?.Slice(count);
        Like = Like?.Slice(count);
        Hate = Hate?.Slice(count);
        Split = Split?[..count];
    }
}

/// <summary>A column whose rows may be null: values plus a mask of which rows have one.</summary>
public sealed class NullableColumn<T>(T[] values, bool[] hasValue) where T : struct
{
    public NullableColumn(int count) : this(new T[count], new bool[count]) { }

    public T[] Values { get; } = values;
    public bool[] HasValue { get; } = hasValue;

    public T? this[int row] => HasValue[row] ? Values[row] : null;

    public void Set(int row, T? value)
    {
        HasValue[row] = value.HasValue;
        Values[row] = value.GetValueOrDefault();
    }

    public void Move(int from, int to)
    {
        Values[to] = Values[from];
        HasValue[to] = HasValue[from];
    }

    public NullableColumn<T> Slice(int count) => new(Values[..count], HasValue[..count]);
}

/// <summary>The split a row belongs to, when the log says so.</summary>
public enum SplitTag : byte
{
    Unassigned = 0,
    Train = 1,
    Valid = 2,
    Test = 3,
}
