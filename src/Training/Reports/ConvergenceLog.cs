using InverseLearning.Data;
using System.Globalization;
using System.Text;

namespace InverseLearning.Training.Reports;

/// <summary>
/// Collects the Inverse Gradient steps of a run and writes them as convergence.csv:
/// <c>epoch,step,case,loss_direct,loss_inverse,loss_pass,chosen_loss</c>, case ∈ {direct, inverse, pass},
/// numbers in invariant culture with round-trip precision.
/// </summary>
public sealed class ConvergenceLog
{
    public const string FileName = "convergence.csv";

    /// <summary>The plot of the same log, beside it.</summary>
    public const string PlotFileName = "convergence.png";
    public const string Header = "epoch,step,case,loss_direct,loss_inverse,loss_pass,chosen_loss";

    private readonly List<ConvergenceRecord> records = [];

    public IReadOnlyList<ConvergenceRecord> Records => records;

    public void Add(ConvergenceRecord record) => records.Add(record);

    public void Add(int epoch, int step, IgCase chosen, double lossDirect, double lossInverse, double lossPass) =>
        records.Add(new ConvergenceRecord(epoch, step, chosen, lossDirect, lossInverse, lossPass));

    /// <summary>Writes the records in binary (the run's checkpoint carries them, so a resumed run's log is whole).</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(records.Count);
        foreach (var r in records)
        {
            writer.Write(r.Epoch);
            writer.Write(r.Step);
            writer.Write((byte)r.Case);
            writer.Write(r.LossDirect);
            writer.Write(r.LossInverse);
            writer.Write(r.LossPass);
        }
    }

    /// <summary>Replaces the records with those <see cref="Save"/> wrote.</summary>
    public void Load(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0) throw new InvalidDataException($"the convergence log claims {count} records");
        records.Clear();
        for (var k = 0; k < count; k++)
        {
            var (epoch, step, chosen) = (reader.ReadInt32(), reader.ReadInt32(), (IgCase)reader.ReadByte());
            if (!Enum.IsDefined(chosen)) throw new InvalidDataException($"convergence record {k} has an unknown case {(int)chosen}");
            records.Add(new ConvergenceRecord(epoch, step, chosen, reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble()));
        }
    }

    /// <summary>How many steps took each case (every case present, possibly 0).</summary>
    public IReadOnlyDictionary<IgCase, int> CaseCounts() =>
        Enum.GetValues<IgCase>().ToDictionary(c => c, c => records.Count(r => r.Case == c));

    /// <summary>Writes every record so far, atomically (the file may be rewritten after each epoch).</summary>
    public void WriteCsv(string path)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var r in records)
            text.Append(CultureInfo.InvariantCulture,
                $"{r.Epoch},{r.Step},{CaseName(r.Case)},{Format(r.LossDirect)},{Format(r.LossInverse)},{Format(r.LossPass)},{Format(r.ChosenLoss)}\n");
        AtomicFile.WriteAllText(path, text.ToString());
    }

    public static string CaseName(IgCase chosen) => chosen switch
    {
        IgCase.Direct => "direct",
        IgCase.Inverse => "inverse",
        IgCase.Pass => "pass",
        _ => throw new ArgumentOutOfRangeException(nameof(chosen), chosen, "expected direct, inverse or pass."),
    };

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
