using InverseLearning.Data;
using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>`datagen --partition-by day` past one log in memory: simulated and written in pieces, the same lake; sizes that need pieces without partitions are one line.</summary>
[Collection("Console")]
public class ChunkedDatagenTests
{
    [Fact]
    public void A_lake_written_in_pieces_is_the_lake_written_whole_and_trains()
    {
        using var folder = new TempFolder();
        var whole = CliRunner.Run("datagen", "--preset", "tiny", "--partition-by", "day", "--out", folder.File("whole"));
        var pieces = CliRunner.Run("datagen", "--preset", "tiny", "--partition-by", "day", "--chunk-impressions", "2500", "--out", folder.File("pieces"));
        Assert.True(whole.Code == 0, whole.Error);
        Assert.True(pieces.Code == 0, pieces.Error);
        Assert.Contains("the simulation in pieces of at most 2,500 impressions", pieces.Output);
        // The share as the whole simulation's summary prints it ("52.5%", not the percent format's "52.5 %").
        Assert.Matches(@"; \d+\.\d% are truly liked\.", pieces.Output);
        var (a, b) = (LogDataset.Open(folder.File("whole/interactions")).Read().Log, LogDataset.Open(folder.File("pieces/interactions")).Read().Log);
        Assert.Equal(a.UserId, b.UserId);
        Assert.Equal(a.ItemId, b.ItemId);
        Assert.Equal(a.PlayTimeMs!.Values, b.PlayTimeMs!.Values);
        var run = CliRunner.Run("train", "--data", folder.File("pieces/interactions"), "--out", folder.File("run"), "--epochs", "1", "--dim", "4", "--threads", "1", "--stream");
        Assert.True(run.Code == 0, run.Error);
    }

    /// <summary>A user is never split, so a piece may hold more than --chunk-impressions: the console says so rather than promise "at most 1".</summary>
    [Fact]
    public void Pieces_smaller_than_a_user_are_told_as_one_users()
    {
        using var folder = new TempFolder();

        var (code, output, error) = CliRunner.Run("datagen", "--preset", "tiny", "--partition-by", "day", "--chunk-impressions", "1", "--out", folder.File("c"));

        Assert.True(code == 0, error);
        Assert.Contains("the simulation in pieces of at most 1 impression, or one user's where a user has more)", output); // "1 impressions" before
        var largest = Directory.GetFiles(folder.File("c/interactions"), "*.parquet", SearchOption.AllDirectories).Max(InteractionLogParquet.CountRows);
        Assert.True(largest > 1, $"the largest part holds {largest} rows: the tiny preset's users have more than one impression each");
    }

    [Theory]
    [InlineData("--partition-by day --chunk-impressions 0", "--chunk-impressions must be from 1 to 200,000,000")]
    [InlineData("--chunk-impressions 5000", "--chunk-impressions needs --partition-by day")]
    [InlineData("--users 100000 --items 10000 --impressions 300000000", "which needs --partition-by day")]
    [InlineData("--impressions 300000000", "at most the 100,000 user–video pairs (--users × --items)")]
    public void Sizes_that_cannot_be_simulated_are_one_line(string flags, string expected)
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run(["datagen", "--preset", "tiny", "--out", folder.File("feed"), .. flags.Split(' ')]);
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
