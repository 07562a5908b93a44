namespace InverseLearning.Data;

/// <summary>
/// Lower and upper quartiles of the present values of a column, with linear
/// interpolation between order statistics (numpy's default, "type 7"):
/// q(p) = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]), h = (n − 1)p over the sorted values.
/// </summary>
public static class Quartiles
{
    public static (double Lower, double Upper) Of(NullableColumn<long> column)
    {
        var values = new long[column.Values.Length];
        var n = 0;
        for (var row = 0; row < values.Length; row++)
            if (column.HasValue[row]) values[n++] = column.Values[row];
        if (n == 0) return (double.NaN, double.NaN);
        var present = values.AsSpan(0, n);
        present.Sort();
        return (At(present, 0.25), At(present, 0.75));
    }

    public static double At(ReadOnlySpan<long> sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var below = (int)Math.Floor(h);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
    }
}
