using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// A simulated log where some users have seen every item (20 users, 200 items, 3,000 impressions): a run without
/// unlabeled rows trains, its truth-based annotation leaving those users out and saying so; a run that draws unlabeled
/// rows is refused naming such a user by the log's id.
/// </summary>
[Collection("Console")]
public partial class SaturatedUserTests
{
    private static readonly SimulationResult Simulation =
        FeedSimulator.Run(SimulatorPresets.Get("tiny") with { Users = 20, Items = 200, Impressions = 3000 }, seed: 5);

    private static string Log(TempFolder folder)
    {
        var dir = folder.File("log");
        SimulationFiles.Write(Simulation, dir);
        return Path.Combine(dir, SimulationFiles.InteractionsFileName);
    }

    /// <summary>The log's raw ids of the users who have seen every item the log has.</summary>
    private static HashSet<long> UsersWhoHaveSeenEveryItem()
    {
        var log = Simulation.Log;
        var items = Enumerable.Range(0, log.Count).Select(row => log.ItemId[row]).Distinct().Count();
        return Enumerable.Range(0, log.Count).GroupBy(row => log.UserId[row], row => log.ItemId[row])
            .Where(user => user.Distinct().Count() == items).Select(user => user.Key).ToHashSet();
    }

    [Fact]
    public void Without_unlabeled_rows_a_run_trains_and_its_annotation_leaves_out_the_users_who_have_seen_every_item()
    {
        Assert.NotEmpty(UsersWhoHaveSeenEveryItem());
        using var folder = new TempFolder();
        var run = folder.File("run");

        var (code, output, error) = CliRunner.Run("train", "--data", Log(folder), "--method", "none", "--ng", "0", "--epochs", "1", "--threads", "1", "--out", run);

        Assert.True(code == 0, error);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!;
        var leftOut = (int)metrics["annotation"]!["users_left_out"]!;
        Assert.InRange(leftOut, 1, UsersWhoHaveSeenEveryItem().Count);
        Assert.True((int)metrics["annotation"]!["rows"]! > 0);
        Assert.Equal(leftOut, (int)metrics["annotation_by_source"]!["unseen"]!["users_left_out"]!);
        Assert.Contains($"; {(leftOut == 1 ? "1 training user left out, who has" : $"{leftOut} training users left out, who have")} seen every item (no unlabeled item to draw)", output);
    }

    [Fact]
    public void A_run_that_draws_unlabeled_rows_names_a_user_who_has_seen_every_item_by_the_logs_id()
    {
        using var folder = new TempFolder();

        var (code, _, error) = CliRunner.Run("train", "--data", Log(folder), "--method", "ns", "--ng", "1", "--epochs", "1", "--threads", "1", "--out", folder.File("run"));

        Assert.Equal(1, code);
        var line = Assert.Single(error.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        var named = RefusedUser().Match(line);
        Assert.True(named.Success, line);
        Assert.Contains(long.Parse(named.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), UsersWhoHaveSeenEveryItem());
        Assert.DoesNotContain("   at ", error);
    }

    [GeneratedRegex(@"user id (\d+) has interacted with every item")]
    private static partial Regex RefusedUser();
}
