using System.Globalization;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Tests.Reports;

/// <summary>Reads a convergence.csv back, for the tests that check what a run wrote (the product only writes it).</summary>
internal static class ConvergenceCsv
{
    public static IReadOnlyList<ConvergenceRecord> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.Equal(ConvergenceLog.Header, lines[0]);
        return [.. lines.Skip(1).Where(line => line.Length > 0).Select(line => line.Split(',')).Select(cells => new ConvergenceRecord(
            int.Parse(cells[0], CultureInfo.InvariantCulture), int.Parse(cells[1], CultureInfo.InvariantCulture),
            Enum.GetValues<IgCase>().Single(c => ConvergenceLog.CaseName(c) == cells[2]),
            double.Parse(cells[3], CultureInfo.InvariantCulture), double.Parse(cells[4], CultureInfo.InvariantCulture), double.Parse(cells[5], CultureInfo.InvariantCulture)))];
    }
}
