namespace InverseLearning.Data.Import;

/// <summary>An append-only column that doubles its array when full (amortized O(1), no per-row object).</summary>
internal sealed class GrowableColumn<T>
{
    private T[] _values = new T[1 << 16];

    public int Count { get; private set; }

    public void Add(T value)
    {
        if (Count == _values.Length) Array.Resize(ref _values, checked(_values.Length * 2));
        _values[Count++] = value;
    }

    public T[] ToArray() => _values[..Count];

    public void CopyTo(T[] destination) => _values.AsSpan(0, Count).CopyTo(destination);
}
