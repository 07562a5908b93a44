using InverseLearning.Data;
using InverseLearning.Training.Tests.Evaluation;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>CDAE's bad flags: one line on stderr and exit code 1, before anything is allocated.</summary>
[Collection("Console")]
public sealed class CdaeCommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("il-cdae-cli-").FullName;

    [Theory]
    [InlineData("1")]
    [InlineData("-0.1")]
    [InlineData("1.5")]
    public void Corruption_outside_zero_to_one_is_one_line(string value)
    {
        var (code, _, error) = CliRunner.Run("train", "--data", "x.parquet", "--model", "cdae", "--cdae-corruption", value);
        Assert.Equal(1, code);
        Assert.Contains("--cdae-corruption must be in [0, 1)", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("100000000", "8G", "--dim must be from 1 to 65,536")]          // past any sensible hidden size
    [InlineData("65536", "50M", "needs about")]                              // in range, but not in the memory given
    public void A_hidden_size_that_cannot_fit_is_one_line_before_allocating(string dim, string memory, string expected)
    {
        var path = Path.Combine(_folder, "log.parquet");
        InteractionLogParquet.Write(RankingLogs.Random(rows: 600, users: 30, items: 40, seed: 1), path);
        var (code, _, error) = CliRunner.Run("train", "--data", path, "--model", "cdae", "--dim", dim, "--max-memory", memory, "--out", Path.Combine(_folder, "run"));
        Assert.Equal(1, code);
        // Progress lines come before it on stderr; the failure is one line, with no trace.
        var failure = Assert.Single(error.Trim().Split('\n'), line => line.StartsWith("error:"));
        Assert.Contains(expected, failure);
        Assert.DoesNotContain("   at ", error);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
