using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>`import-ratings`'s summary line counts in words that agree with their numbers, and says how the rows repeat (user, item) pairs.</summary>
[Collection("Console")]
public class ImportSummaryTests
{
    [Fact]
    public void One_rating_is_told_in_the_singular()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("one.csv"), "1,10,5\n");

        var (code, output, error) = CliRunner.Run("import-ratings", "--input", folder.File("one.csv"), "--out", folder.File("out"));

        Assert.True(code == 0, error);
        Assert.Contains(": 1 rating by 1 user on 1 item (1 distinct (user, item) pair); no timestamps;", output);
    }

    [Fact]
    public void A_headers_columns_not_read_are_told_on_the_error_stream()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("kuairec.csv"), "user_id,video_id,play_duration,timestamp,watch_ratio\n14,148,4381,1593898068.378,0.722\n");

        var (code, output, error) = CliRunner.Run("import-ratings", "--input", folder.File("kuairec.csv"), "--out", folder.File("out"), "--rating-min", "0", "--rating-max", "100");

        Assert.True(code == 0, error);
        Assert.Contains(": 1 rating by 1 user on 1 item (1 distinct (user, item) pair); with timestamps;", output);
        Assert.Contains($"note: {folder.File("kuairec.csv")}: 1 column not read: 'play_duration' (import reads the user, item, rating and timestamp)", error);
    }

    [Fact]
    public void The_same_pair_in_train_and_test_files_is_counted_and_warned_about()
    {
        // Identical train and test files were imported without a word: every test rating leaks from training.
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("train.csv"), "1,10,5\n2,11,3\n");
        File.WriteAllText(folder.File("test.csv"), "1,10,5\n2,11,3\n");

        var (code, output, error) = CliRunner.Run("import-ratings", "--input", $"train={folder.File("train.csv")}", "--input", $"test={folder.File("test.csv")}",
            "--out", folder.File("out"));

        Assert.True(code == 0, error);
        Assert.Contains(": 4 ratings by 2 users on 2 items (2 distinct (user, item) pairs);", output);
        Assert.Contains("warning: 2 (user, item) pairs occur in more than one row (2 extra rows), kept as written: training reads each row", error);
        Assert.Contains("warning: 2 (user, item) pairs are in both train and test: a pair trained on is also held out", error);
    }
}
