namespace InverseLearning.Training.Tests.Cli;

/// <summary>Command-line tests on a day-partitioned datagen lake (the tiny preset) in a folder of their own, with a fast `train` into it.</summary>
public abstract class DatagenLakeTest : IDisposable
{
    protected readonly string _dir = Directory.CreateTempSubdirectory("il-lake-cli-").FullName;
    protected readonly string _lake, _run;

    protected DatagenLakeTest()
    {
        var datagen = CliRunner.Run("datagen", "--preset", "tiny", "--out", _dir, "--partition-by", "day");
        Assert.True(datagen.Code == 0, datagen.Error);
        _lake = Path.Combine(_dir, "interactions");
        _run = Path.Combine(_dir, "run");
    }

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected static readonly string[] Fast = ["--epochs", "1", "--dim", "4", "--threads", "1", "--batch-size", "512"];

    protected (int Code, string Output, string Error) Train(params string[] args) =>
        CliRunner.Run(["train", "--data", _lake, "--out", _run, .. Fast, .. args]);
}
