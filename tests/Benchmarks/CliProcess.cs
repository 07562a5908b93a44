using System.Diagnostics;
using System.Globalization;

namespace InverseLearning.Benchmarks;

/// <summary>The CLI of this build run in a child process, its peak RSS measured by the kernel (/usr/bin/time -f %M), so everything a run holds counts.</summary>
internal static class CliProcess
{
    /// <summary>The CLI of this build, beside the benchmarks' own configuration (make bench builds both).</summary>
    public static string Path()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine("src", "Training", "bin", configuration, "net10.0", "inverselearning.dll"));
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path}: build the CLI first (make build)");
    }

    /// <summary>Runs the CLI to completion; with <paramref name="peakFile"/>, under /usr/bin/time, returning its peak RSS in bytes (else 0) and its output, stderr then stdout.</summary>
    public static (long PeakBytes, string Output) Run(string cli, string arguments, string? peakFile)
    {
        var start = peakFile is null
            ? new ProcessStartInfo("dotnet", $"{cli} {arguments}")
            : new ProcessStartInfo("/usr/bin/time", $"-f %M -o {peakFile} dotnet {cli} {arguments}");
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{start.FileName} {start.Arguments} exited with {process.ExitCode}: {errors.Result}{output.Result}");
        var peak = peakFile is null ? 0 : long.Parse(File.ReadAllText(peakFile).Trim(), CultureInfo.InvariantCulture) * 1024;
        return (peak, errors.Result + output.Result);
    }
}
