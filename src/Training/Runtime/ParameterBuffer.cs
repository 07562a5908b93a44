namespace InverseLearning.Training.Runtime;

/// <summary>One parameter held by the store: its values and its optimizer state, in pinned host memory that ORT reads in place.</summary>
public sealed class ParameterBuffer
{
    public ParameterBuffer(string name, long[] shape, int stateSlots)
    {
        Name = name;
        Shape = shape;
        Values = GC.AllocateArray<float>((int)shape.Aggregate(1L, (a, b) => a * b), pinned: true);
        State = Enumerable.Range(0, stateSlots).Select(_ => GC.AllocateArray<float>(Values.Length, pinned: true)).ToArray();
        // Fresh arrays are zero pages the OS maps on first write; writing them now moves
        // those page faults out of the training steps (they would land on the first
        // steps that touch each row: noticeable with million-row tables).
        foreach (var state in State) state.AsSpan().Fill(0f);
    }

    public string Name { get; }
    public long[] Shape { get; }
    public float[] Values { get; }
    public float[][] State { get; }

    /// <summary>Row width for tables ([rows, width]); the whole length for dense parameters.</summary>
    public int RowWidth => Shape.Length == 2 ? (int)Shape[1] : Values.Length;
}
