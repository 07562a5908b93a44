using System.Diagnostics;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>What a train (or an experiment's run) that fails for want of disk space leaves in its folder: nothing that reads as a run, and no held lock.</summary>
public sealed class FailedTrainTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("il-failed-train-").FullName;
    private readonly string _log;

    public FailedTrainTests()
    {
        // A simulated log with its ground truth beside it, so that the run writes epoch 1's annotation before its first checkpoint.
        var data = Path.Combine(_root, "data");
        SimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny") with { Users = 40, Items = 400, Impressions = 1_500 }, seed: 5), data);
        _log = Path.Combine(data, SimulationFiles.InteractionsFileName);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>
    /// The command line in a process of its own whose files may not grow past <paramref name="maxKilobytes"/> (ulimit -f): its first
    /// checkpoint (about 146 KB on this log) fails as on a full disk, after epoch 1's annotation (about 9 KB) was written.
    /// SIGXFSZ keeps its default (ending the process) in the shell: the program itself takes it, so that the write fails and is told.
    /// The runtime's W^X double mapping is off: it maps its code through a file, which the limit would keep it from starting.
    /// </summary>
    private static async Task<(int Code, string Error)> RunWithFileSizeLimitAsync(int maxKilobytes, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        foreach (var arg in (string[])["-c", $"ulimit -f {maxKilobytes}; exec dotnet \"$@\"", "bash", typeof(CliApp).Assembly.Location, .. args])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await error);
    }

    private string[] Train(string output) => ["train", "--data", _log, "--epochs", "2", "--batch-size", "256", "--out", output];

    [Fact]
    public async Task A_train_that_fails_before_its_first_checkpoint_removes_what_it_wrote_and_the_folder_it_made()
    {
        // It left its lock file and annotation_epoch1.json: a folder that read as a run's, with nothing to resume from.
        var output = Path.Combine(_root, "runs", "failed-before-checkpoint");

        var (code, error) = await RunWithFileSizeLimitAsync(64, Train(output));

        Assert.True(code == 1, $"exit code {code}, stderr:\n{error}");
        var last = error.Trim().Split('\n')[^1];
        Assert.StartsWith("error: ", last);
        // The file the write could not grow is named, not .NET's "(Parameter 'value')".
        Assert.Contains($"cannot write {output}", last);
        Assert.Contains("file-size limit", last);
        Assert.DoesNotContain("   at ", error);
        Assert.False(Directory.Exists(output), Directory.Exists(output) ? $"left: {string.Join(", ", Directory.EnumerateFileSystemEntries(output))}" : "");
    }

    [Fact]
    public async Task An_experiment_whose_run_fails_before_its_first_checkpoint_leaves_no_run_folder()
    {
        // Its run's folder (gmf/ns/seed42) kept the lock file and annotation_epoch1.json, as train's --out did.
        var output = Path.Combine(_root, "failed-experiment");

        var (code, error) = await RunWithFileSizeLimitAsync(64, "experiment", "--data", _log, "--models", "gmf", "--methods", "ns", "--epochs", "2",
            "--batch-size", "256", "--out", output);

        Assert.True(code == 1, $"exit code {code}, stderr:\n{error}");
        Assert.False(Directory.Exists(output), Directory.Exists(output)
            ? $"left: {string.Join(", ", Directory.EnumerateFileSystemEntries(output, "*", SearchOption.AllDirectories))}" : "");
    }

    [Fact]
    public async Task A_train_that_fails_before_its_first_checkpoint_leaves_a_folder_that_existed_as_it_found_it()
    {
        var output = Path.Combine(_root, "failed-in-existing-folder");
        Directory.CreateDirectory(output);
        var earlier = Path.Combine(output, "notes.txt");
        File.WriteAllText(earlier, "the user's");

        var (code, error) = await RunWithFileSizeLimitAsync(64, Train(output));

        Assert.True(code == 1, $"exit code {code}, stderr:\n{error}");
        // Its lock file too is gone: the folder had none.
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName));
    }
}
