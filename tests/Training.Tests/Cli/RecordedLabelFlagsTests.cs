using System.CommandLine;
using InverseLearning.Data;
using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// The label flags a checkpoint's run recorded, against those eval, export and --resume are given (<see cref="DataOptions.RequireRecordedLabels"/>),
/// for the rules and sides the command-line tests' finish-rate log does not reach: rating thresholds, defaults, and auto on either side.
/// </summary>
public class RecordedLabelFlagsTests
{
    private static (DataOptions Data, ParseResult Parsed) Parse(params string[] args)
    {
        var command = new Command("verb");
        var data = new DataOptions();
        data.AddTo(command);
        return (data, command.Parse(["--data", "log.parquet", .. args]));
    }

    private static IReadOnlyDictionary<string, string> Recorded(params string[] args)
    {
        var (data, parsed) = Parse(args);
        return data.LabelFlagsToRecord(parsed);
    }

    [Theory]
    [InlineData("--rating-positive-at-least", "4", "3")]
    [InlineData("--rating-negative-at-most", "1", "2")]
    public void A_rating_threshold_other_than_the_recorded_one_is_refused_naming_it(string flag, string given, string trained)
    {
        var (data, parsed) = Parse("--labels", "rating", flag, given);

        var error = Assert.Throws<ArgumentException>(() => data.RequireRecordedLabels(parsed, Recorded("--labels", "rating"), LabelRule.Rating));

        Assert.Equal($"{flag} {given} contradicts the checkpoint, which was trained with {flag} {trained}: give that one", error.Message);
    }

    [Fact]
    public void A_threshold_left_at_its_default_is_named_as_the_default()
    {
        var (data, parsed) = Parse("--labels", "rating");

        var error = Assert.Throws<ArgumentException>(() =>
            data.RequireRecordedLabels(parsed, Recorded("--labels", "rating", "--rating-positive-at-least", "4"), LabelRule.Rating));

        Assert.Equal("--rating-positive-at-least 3 (its default) contradicts the checkpoint, which was trained with --rating-positive-at-least 4: give that one", error.Message);
    }

    [Theory]
    [InlineData("auto", "rating")] // the run's rule was picked by its log's columns: what it read is the data check's to say
    [InlineData("rating", "auto")]
    public void Labels_auto_on_either_side_is_no_contradiction(string trained, string given)
    {
        var (data, parsed) = Parse("--labels", given);

        data.RequireRecordedLabels(parsed, Recorded("--labels", trained), LabelRule.Rating);
    }

    [Fact]
    public void Thresholds_the_rule_does_not_read_are_not_compared()
    {
        var (data, parsed) = Parse("--labels", "rating", "--finish-positive-above", "0.5");

        data.RequireRecordedLabels(parsed, Recorded("--labels", "rating"), LabelRule.Rating);
    }
}
