using System.Text.RegularExpressions;
using InverseLearning.Training.Cli;
using InverseLearning.Training.Methods;

namespace InverseLearning.Training.Tests.Cli;

[Collection("Console")]
public class CandidateCountWarningsTests(CliFixture files)
{
    [Theory]
    [InlineData("dns", 342, 0)] // as many candidates as items: no warning
    [InlineData("dns", 343, 1)]
    [InlineData("srns", 342, 0)]
    [InlineData("srns", 343, 1)]
    public void Candidates_are_warned_of_only_past_the_catalogues_item_count(string method, int candidates, int warnings)
    {
        var run = new TrainSettings { Method = method }.WithOption(method == "dns" ? DynamicNegativeSampling.Candidates : Srns.MemorySize, candidates);

        Assert.Equal(warnings, CandidateCountWarnings.For([run], items: 342).Count());
    }

    /// <summary>"about 1 times the work" for 600 candidates on 500 items before.</summary>
    [Theory]
    [InlineData(600, "about 1.2 times the work of --dns-candidates 500")]
    [InlineData(5_000, "about 10 times the work of --dns-candidates 500")]
    [InlineData(123_456, "about 247 times the work of --dns-candidates 500")]
    public void The_warning_says_how_many_times_the_work_without_rounding_a_small_ratio_away(int candidates, string expected)
    {
        var run = new TrainSettings { Method = "dns" }.WithOption(DynamicNegativeSampling.Candidates, candidates);

        Assert.Contains(expected, CandidateCountWarnings.For([run], items: 500).Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_train_names_the_catalogue_its_header_counts_without_the_padding_item()
    {
        var (code, _, error) = CliRunner.Run("train", "--data", files.Log, "--out", files.Scratch("dns-past-the-catalogue"), "--epochs", "1",
            "--method", "dns", "--dns-candidates", "1000");

        Assert.True(code == 0, error);
        var items = Regex.Match(error, @"users, ([\d,]+) items\)").Groups[1].Value;
        Assert.Contains($"warning: --dns-candidates 1,000 is more than the catalogue's {items} items", error);
    }
}
