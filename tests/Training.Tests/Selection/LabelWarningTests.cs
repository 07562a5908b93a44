using InverseLearning.Data;
using InverseLearning.Training.Cli;
using InverseLearning.Training.Tests.Evaluation;

namespace InverseLearning.Training.Tests.Selection;

public class LabelWarningTests
{
    private static PreparedDataset Log(float rating) => RankingLogs.Prepare(RankingLogs.Of(
        (1, 1, rating, SplitTag.Train), (1, 2, rating, SplitTag.Train), (2, 1, rating, SplitTag.Train), (2, 3, 5, SplitTag.Test)));

    [Theory]
    [InlineData(5f, "every training row here is positive")]
    [InlineData(1f, "every training row here is negative")]
    public void None_on_labels_of_one_class_gets_one_line_saying_what_to_use(float rating, string why)
    {
        var output = new StringWriter();

        LabelWarnings.Print(["none", "ns", "ig", "none"], Log(rating), output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("warning: --method none", lines[0]);
        Assert.Contains(why, lines[0]);
        Assert.Contains("ns, tce, rce or idl", lines[0]);
    }

    [Fact]
    public void Labels_of_both_classes_warn_nothing()
    {
        var data = RankingLogs.Prepare(RankingLogs.Of((1, 1, 5, SplitTag.Train), (1, 2, 1, SplitTag.Train), (2, 3, 5, SplitTag.Test)));
        var output = new StringWriter();

        LabelWarnings.Print(["none", "ns"], data, output);

        Assert.Equal("", output.ToString());
    }
}
