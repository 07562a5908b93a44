using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Runtime;

/// <summary>The prefetching row copies against plain indexing, on more rows than the prefetch distance.</summary>
public class RowCopyTests
{
    private const int Width = 40, TableRows = 200;   // 40 floats: a row that spans three cache lines

    private static float[] Table() => Enumerable.Range(0, TableRows * Width).Select(i => (float)i).ToArray();

    private static int[] Indices() => Enumerable.Range(0, 50).Select(k => (k * 37 + 11) % TableRows).ToArray();

    [Fact]
    public void Gather_copies_each_indexed_row_in_order()
    {
        var (table, indices) = (Table(), Indices());
        var rows = new float[indices.Length * Width];
        RowCopy.Gather(table, indices, rows, Width);
        for (var k = 0; k < indices.Length; k++)
            for (var j = 0; j < Width; j++) Assert.Equal(table[indices[k] * Width + j], rows[k * Width + j]);
    }

    [Fact]
    public void Scatter_writes_each_row_to_its_index_and_leaves_the_others()
    {
        var (table, indices) = (Table(), Indices());
        var rows = Enumerable.Range(0, indices.Length * Width).Select(i => -1f - i).ToArray();
        RowCopy.Scatter(rows, indices, table, Width);
        var written = new HashSet<int>(indices);
        for (var r = 0; r < TableRows; r++)
        {
            var k = Array.IndexOf(indices, r);
            for (var j = 0; j < Width; j++)
                Assert.Equal(written.Contains(r) ? rows[k * Width + j] : r * Width + j, table[r * Width + j]);
        }
    }

    [Fact]
    public void An_index_outside_the_table_is_refused_not_written()
    {
        var table = Table();
        var before = (float[])table.Clone();
        Assert.Throws<IndexOutOfRangeException>(() => RowCopy.Scatter(new float[2 * Width], [3, TableRows], table, Width));
        Assert.Equal(before.AsSpan(Width * 4).ToArray(), table.AsSpan(Width * 4).ToArray());
        Assert.Throws<IndexOutOfRangeException>(() => RowCopy.Gather(table, [-1], new float[Width], Width));
    }
}
