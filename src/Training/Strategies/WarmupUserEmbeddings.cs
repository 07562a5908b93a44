using System.Runtime.InteropServices;
using InverseLearning.Training.Models;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Strategies;

/// <summary>
/// The warm-up model's user representation, kept when warm-up ends: per user the
/// concatenation of every user-side embedding table's row (GMF: one; NeuMF: the GMF and
/// MLP rows). Colliding inference finds each sparse user's neighbours in it.
/// </summary>
public sealed class WarmupUserEmbeddings : IPhaseHook, IStatefulPart
{
    public int Users { get; private set; }
    public int Width { get; private set; }
    /// <summary>[Users, Width], row-major; empty until warm-up has ended.</summary>
    public float[] Rows { get; private set; } = [];

    public bool Captured => Rows.Length > 0;

    public string StateKey => "warmup.user-embeddings";

    public void PhaseCompleted(StepContext context) => Capture(context.Engine.Store);

    public void Capture(IParameterStore store)
    {
        var tables = store.Parameters.Select((p, k) => (Info: p, Index: k)).Where(t => t.Info.Side == TableSide.User).ToList();
        Users = store.UserRows;
        Width = tables.Sum(t => t.Info.RowWidth);
        Rows = new float[Users * Width];
        var offset = 0;
        foreach (var (info, index) in tables)
        {
            var values = new float[info.Length];
            store.Read(index, 0, values);
            for (var u = 0; u < Users; u++) values.AsSpan(u * info.RowWidth, info.RowWidth).CopyTo(Rows.AsSpan(u * Width + offset));
            offset += info.RowWidth;
        }
    }

    public ReadOnlySpan<float> Of(int user) => Rows.AsSpan(user * Width, Width);

    public void SaveState(BinaryWriter writer)
    {
        writer.Write(Users);
        writer.Write(Width);
        writer.Write(MemoryMarshal.AsBytes(Rows.AsSpan()));
    }

    public void LoadState(BinaryReader reader)
    {
        var (users, width) = (reader.ReadInt32(), reader.ReadInt32());
        if (users < 0 || width < 0 || (long)users * width * 4 > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"it claims {users} users × {width} floats, more than it holds");
        var rows = new float[users * width];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(rows.AsSpan()));
        (Users, Width, Rows) = (users, width, rows);
    }
}
