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
    [InlineData("--models gmf --seed 7", "elsewhere/gmf/xx/seed1", true)]
    public async Task SERVE_RUN_must_be_a_model_method_and_seed_of_RUN_FLAGS(string runFlags, string serveRun, bool accepted)
    {
        var start = new ProcessStartInfo("make", ["-s", "run", "DOTNET=true", "RUN_DIR=runs", $"SERVE_RUN={serveRun}", $"RUN_FLAGS={runFlags}",
            "DATA_DIR=/nonexistent-data", "SERVE_REPO=/nonexistent-repository"])
        {
            WorkingDirectory = RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var said = await error;
        if (accepted)
        {
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}; stderr:\n{said}");
        }
        else
        {
            Assert.NotEqual(0, process.ExitCode);
            Assert.Contains($"make run: SERVE_RUN={serveRun} is no run of RUN_FLAGS", said);
        }
    }
}
