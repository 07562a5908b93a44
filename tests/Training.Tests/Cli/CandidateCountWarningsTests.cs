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
