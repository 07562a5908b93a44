namespace InverseLearning.Training.Tests.Cli;

/// <summary>experiment started again into its --out: the runs it reuses are its own, not an earlier run's files to remove.</summary>
[Collection("Console")]
public class ExperimentReuseCommandLineTests(CliFixture files)
{
    [Fact]
    public void The_same_command_again_reuses_its_runs_and_notes_none_of_them_as_an_earlier_runs()
    {
        var outDir = files.Scratch("experiment-again");
        string[] args = ["experiment", "--data", files.Log, "--methods", "none", "--models", "gmf", "--epochs", "1", "--dim", "4", "--threads", "1", "--out", outDir];
        var first = CliRunner.Run(args);
        Assert.True(first.Code == 0, first.Error);

        var (code, _, error) = CliRunner.Run(args);

        Assert.True(code == 0, error);
        Assert.Contains("reused 1 of 1 run finished by an earlier start of this experiment", error);
        Assert.DoesNotContain("note:", error);
    }
}
