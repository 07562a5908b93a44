using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>`datagen`'s label-sparsity knob: out-of-range values are one line and write nothing; a valid one shapes the log.</summary>
[Collection("Console")]
public class DatagenCommandTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("-0.1")]
    [InlineData("1.5")]
    public void Label_sparsity_outside_the_unit_interval_is_one_line(string value)
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run("datagen", "--preset", "tiny", "--label-sparsity", value, "--out", folder.File("feed"));
        Assert.Equal(1, code);
        Assert.Contains($"--label-sparsity must be in [0, 1)", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(folder.File("feed")));
    }

    [Theory]
    [InlineData("--preference-scale", "Infinity")]
    [InlineData("--preference-scale", "1e300")]
    [InlineData("--user-bias-scale", "Infinity")]
    [InlineData("--item-bias-scale", "NaN")]
    [InlineData("--liked-share", "NaN")]
    [InlineData("--false-negative-rate", "Infinity")]
    [InlineData("--false-positive-rate", "-Infinity")]
    [InlineData("--label-sparsity", "NaN")]
    [InlineData("--like-rate", "NaN")]
    [InlineData("--hate-rate", "Infinity")]
    public void A_non_finite_or_out_of_range_number_is_one_line_naming_the_flag(string flag, string value)
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run("datagen", "--preset", "tiny", flag, value, "--out", folder.File("feed"));
        Assert.Equal(1, code);
        Assert.Contains(flag, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(folder.File("feed")));
    }

    [Fact]
    public void A_folder_holding_other_files_is_refused_before_simulating()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("notes.txt"), "mine");

        var (code, _, error) = CliRunner.Run("datagen", "--preset", "tiny", "--out", folder.Path);

        Assert.Equal(1, code);
        Assert.StartsWith($"error: {folder.Path} holds files datagen did not write (notes.txt)", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal([folder.File("notes.txt")], Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Label_sparsity_with_ratings_is_refused()
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run("datagen", "--preset", "tiny", "--feedback", "rating", "--label-sparsity", "0.3", "--out", folder.File("feed"));
        Assert.Equal(1, code);
        Assert.Contains("--label-sparsity applies to watch feedback only", error);
    }

    [Fact]
    public void Label_sparsity_sets_the_unlabeled_share_the_summary_reports()
    {
        using var folder = new TempFolder();
        var (code, output, error) = CliRunner.Run("datagen", "--preset", "tiny", "--label-sparsity", "0.7", "--out", folder.File("feed"));
        Assert.True(code == 0, error);
        Assert.Matches(@"(69|70|71)\.\d% unlabeled in between", output);
    }
}
