using System.Diagnostics;
using static InverseLearning.Deploy.Tests.Manifests;

namespace InverseLearning.Deploy.Tests;

/// <summary>
/// `make run`'s first step, the check that SERVE_RUN is a run RUN_FLAGS makes, run with DOTNET=true: every later step (the build,
/// the experiment, the export) then succeeds doing nothing, so the exit says whether the check let the run through.
/// </summary>
public sealed class MakeRunTests
{
    [Theory]
    [InlineData("--models gmf --methods none,ig --seed 42 --repeats 3", "runs/gmf/ig/seed44", true)]
    [InlineData("--models gmf --methods none,ig --seed 42 --repeats 3", "runs/gmf/ig/seed42", true)]
    [InlineData("--models gmf --methods none,ig --seed 42 --repeats 3", "runs/gmf/ig/seed45", false)]
    [InlineData("--models gmf --methods none,ig --seed 42 --repeats 3", "runs/gmf/ig/seed41", false)]
    [InlineData("--models gmf --methods none,ig --seed 42 --repeats 3", "runs/gmf/ns/seed42", false)]
    [InlineData("--models=gmf --methods=none,ig --seed=42", "runs/neumf/ig/seed42", false)]
    [InlineData("--models gmf --seed 7", "runs/gmf/ns/seed7", true)]
    public async Task SERVE_RUN_must_be_a_model_method_and_seed_of_RUN_FLAGS(string runFlags, string serveRun, bool accepted)
    {
        var (exitCode, said) = await MakeRun(runFlags, serveRun);
        if (accepted)
        {
            Assert.True(exitCode == 0, $"exit {exitCode}; stderr:\n{said}");
        }
        else
        {
            Assert.NotEqual(0, exitCode);
            Assert.Contains($"make run: SERVE_RUN={serveRun} is no run of RUN_FLAGS", said);
        }
    }

    /// <summary>An earlier run's folder outside RUN_DIR is published as it is, when it holds its checkpoint (accepted unchecked before, and the export failed after the experiment).</summary>
    [Fact]
    public async Task SERVE_RUN_outside_RUN_DIR_must_hold_its_checkpoint()
    {
        var earlier = Path.Combine(Path.GetTempPath(), $"il-deploy-earlier-{Guid.NewGuid():N}");
        Directory.CreateDirectory(earlier);
        try
        {
            var (refused, said) = await MakeRun("--models gmf --seed 7", earlier);
            Assert.NotEqual(0, refused);
            Assert.Contains($"make run: SERVE_RUN={earlier} is outside RUN_DIR=runs and holds no checkpoint", said);

            File.WriteAllBytes(Path.Combine(earlier, "checkpoint"), [1]);
            var (accepted, saidThen) = await MakeRun("--models gmf --seed 7", earlier);
            Assert.True(accepted == 0, $"exit {accepted}; stderr:\n{saidThen}");
        }
        finally
        {
            Directory.Delete(earlier, recursive: true);
        }
    }

    [Theory]
    [InlineData("runs/gmf/ig/seed42/", "runs")]
    [InlineData("./runs/gmf/ig/seed42", "runs")]
    [InlineData("runs/gmf/ig/seed42", "runs/")]
    [InlineData("runs/gmf/ig/seed42", "./runs")]
    public async Task SERVE_RUN_and_RUN_DIR_written_with_a_trailing_slash_or_a_leading_dot_are_the_same_run(string serveRun, string runDir)
    {
        var (exitCode, said) = await MakeRun("--models gmf --methods none,ig --seed 42", serveRun, $"RUN_DIR={runDir}");
        Assert.True(exitCode == 0, $"exit {exitCode}; stderr:\n{said}");
    }

    [Fact]
    public async Task A_SERVE_REPO_that_is_a_file_is_refused_before_the_experiment()
    {
        var file = Path.GetTempFileName();
        try
        {
            var (exitCode, said) = await MakeRun("--models gmf --seed 7", "runs/gmf/ns/seed7", $"SERVE_REPO={file}");
            Assert.NotEqual(0, exitCode);
            Assert.Contains($"make run: SERVE_REPO={file} is not a folder", said);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("RUN_DIR")]
    [InlineData("DATA_DIR")]
    [InlineData("SERVE_REPO")]
    public async Task An_empty_folder_variable_is_named(string variable)
    {
        var (exitCode, said) = await MakeRun("--models gmf --seed 7", "runs/gmf/ns/seed7", $"{variable}=");
        Assert.NotEqual(0, exitCode);
        Assert.Contains($"make run: {variable} is empty", said);
    }

    /// <summary>Each step run by printf, one bracketed line per argument: a folder with a space reaches every step as one argument.</summary>
    [Fact]
    public async Task Folders_with_spaces_reach_every_step_whole()
    {
        var (exitCode, said, printed) = await MakeRunPrinting("--models gmf --seed 7", "my runs/gmf/ns/seed7",
            "RUN_DIR=my runs", "DATA_DIR=/nonexistent data", "SERVE_REPO=/nonexistent repository", "DOTNET=printf '[%s]\\n'");
        Assert.True(exitCode == 0, $"exit {exitCode}; stderr:\n{said}");
        Assert.Contains("[/nonexistent data]", printed);
        Assert.Contains("[my runs]", printed);
        Assert.Contains("[/nonexistent data/interactions.parquet]", printed);
        Assert.Contains("[my runs/gmf/ns/seed7/checkpoint]", printed);
        Assert.Contains("[/nonexistent repository]", printed);
    }

    private static async Task<(int ExitCode, string Stderr)> MakeRun(string runFlags, string serveRun, params string[] overrides)
    {
        var (exitCode, said, _) = await MakeRunPrinting(runFlags, serveRun, overrides);
        return (exitCode, said);
    }

    // make run with DOTNET=true: every step after the check succeeds doing nothing. Overrides come later and win.
    private static async Task<(int ExitCode, string Stderr, string Stdout)> MakeRunPrinting(string runFlags, string serveRun, params string[] overrides)
    {
        var start = new ProcessStartInfo("make", ["-s", "run", "DOTNET=true", "RUN_DIR=runs", $"SERVE_RUN={serveRun}", $"RUN_FLAGS={runFlags}",
            "DATA_DIR=/nonexistent-data", "SERVE_REPO=/nonexistent-repository", .. overrides])
        {
            WorkingDirectory = RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await error, output);
    }
}
