using InverseLearning.Data;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// A held run reads its log by two passes, each row placed once where its split puts it, unless
/// its rules need the whole log read first (play-time labels, a column:NAME rule, a random split
/// that follows a split column). Both roads give the same run.
/// </summary>
[Collection("Console")]
public sealed class HeldReadCommandLineTests : DatagenLakeTest
{
    [Fact]
    public void A_held_run_reads_its_lake_twice_and_trains_as_the_whole_read_does()
    {
        // column:like marks the rows the like rule marks, but a column:NAME rule needs the whole read.
        var twice = Train("--extra-feedback", "like");
        var whole = CliRunner.Run(["train", "--data", _lake, "--out", Path.Combine(_dir, "whole"), .. Fast, "--extra-feedback", "column:like"]);
        Assert.True(twice.Code == 0, twice.Error);
        Assert.True(whole.Code == 0, whole.Error);
        Assert.Contains("reading interactions (twice) 100%", twice.Error);
        Assert.DoesNotContain("(twice)", whole.Error);
        Assert.Contains("reading interactions 100%", whole.Error);

        var (a, b) = (MetricsJson.Read(Path.Combine(_run, MetricsJson.FileName)), MetricsJson.Read(Path.Combine(_dir, "whole", MetricsJson.FileName)));
        Assert.Equal(a.Valid, b.Valid);
        Assert.Equal(a.Test, b.Test);
    }

    [Fact]
    public void Rows_skipped_as_bad_by_the_two_passes_are_reported()
    {
        // 400 users rating 10 items each, 1 or 5, and 1,200 ratings of 9, outside 1–5, from row 1,235 on.
        var log = new InteractionLog(4_000) { Rating = new NullableColumn<float>(4_000) };
        for (var r = 0; r < log.Count; r++)
        {
            (log.UserId[r], log.ItemId[r]) = (r / 10, r % 97);
            log.Rating.Set(r, r is >= 1_234 and < 2_434 ? 9 : (r * 7) % 3 == 0 ? 5 : 1);
        }
        var file = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, "rated")).FullName, "rated.parquet");   // away from the lake's ground truth
        InteractionLogParquet.Write(log, file);
        var run = CliRunner.Run(["train", "--data", file, "--out", Path.Combine(_dir, "rated-run"), .. Fast, "--labels", "rating", "--on-bad-row", "skip"]);
        Assert.True(run.Code == 0, run.Error);
        Assert.Contains("reading rated.parquet (twice) 100%", run.Error);
        // Counts with thousands separators, as every other count; row numbers without, to be looked up.
        Assert.Contains($"{file}: skipped 1,200 bad rows:", run.Error);
        Assert.Contains(": 1,200 rows skipped (", run.Error);
        Assert.Contains("first at rows 1235, 1236", run.Error);
    }

    [Fact]
    public void Play_time_labels_are_read_whole_and_still_train()
    {
        var trained = Train("--labels", "play-time");
        Assert.True(trained.Code == 0, trained.Error);
        Assert.DoesNotContain("(twice)", trained.Error);
        Assert.Contains("labels: play-time", trained.Error);
    }
}
