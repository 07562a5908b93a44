using System.Diagnostics;

namespace InverseLearning.Serving.Tests;

/// <summary>The two ways to run the serving host as a process: inverselearning-serve, and the trainer's `inverselearning serve`.</summary>
internal static class ServeExecutables
{
    /// <summary>
    /// Runs <paramref name="executable"/>, inverselearning-serve or the trainer's inverselearning (both built beside
    /// the tests), to its exit, which a refused start reaches at once.
    /// </summary>
    public static (int Code, string Error) Run(string executable, Dictionary<string, string> environment, string[] args, out string output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, $"{executable}.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            Assert.Fail($"{executable} {string.Join(' ', args)} did not exit");
        }
        output = stdout.Result;
        return (process.ExitCode, stderr.Result);
    }
}
