using System.Text.Json.Nodes;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// `train --resume` after the run's lake gained a part (today's partition of a live lake): it read the lake as it is, and
/// refused its own checkpoint as of other data. It goes on over the parts its checkpoint records, as eval and export read them,
/// and tells in one line of the part left out.
/// </summary>
[Collection("Console")]
public sealed class ResumeOnGrownLakeTests : DatagenLakeTest
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_run_resumed_after_its_lake_gained_a_part_ends_as_the_uninterrupted_run_and_names_the_part_left_out(bool stream)
    {
        string[] mode = stream ? ["--stream"] : [];
        string[] twoEpochs = [.. Fast[2..], "--epochs", "2"];
        var straight = Path.Combine(_dir, "straight");
        var uninterrupted = CliRunner.Run(["train", "--data", _lake, "--out", straight, .. twoEpochs, .. mode]);
        Assert.True(uninterrupted.Code == 0, uninterrupted.Error);
        var first = Train(mode);
        Assert.True(first.Code == 0, first.Error);
        var days = Directory.GetDirectories(_lake, "day=*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var added = Path.Combine(_lake, "day=9999-12-31", "part-0.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(added)!);
        File.Copy(Path.Combine(_lake, days[0]!, "part-0.parquet"), added);

        var resumed = CliRunner.Run(["train", "--data", _lake, "--out", _run, "--resume", .. twoEpochs]);

        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Contains($"note: 1 part file added to {_lake} since {Path.Combine(_run, "last.checkpoint")}'s run listed it ({added}) is left out: " +
            $"the log is read as the run read it, {days.Count} part files", resumed.Error);
        // Told once, as found when the resume began: not again, as added while it trained, where a streamed run ends.
        Assert.DoesNotContain("was added to the lake while", resumed.Error);
        // Its checkpoint keeps the lake as listed when the run began, not as the resume found it: the added part is still new to it.
        var listing = InverseLearning.Training.Artifacts.Checkpoint.ReadHeader(Path.Combine(_run, "last.checkpoint")).Run.LakeListing;
        Assert.Equal([.. days.Select(day => $"{day}/part-0.parquet")], listing);
        foreach (var split in new[] { "valid", "test" })
            Assert.True(JsonNode.DeepEquals(Metrics(straight)[split], Metrics(_run)[split]),
                $"{split}: resumed {Metrics(_run)[split]?.ToJsonString()}, uninterrupted {Metrics(straight)[split]?.ToJsonString()}");
    }

    private static JsonObject Metrics(string run) => JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!.AsObject();
}
