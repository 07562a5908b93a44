using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using static InverseLearning.Deploy.Tests.Manifests;

namespace InverseLearning.Deploy.Tests;

/// <summary>
/// deploy/gpu-check/on-gpu.sh, the GPU machine's end of `make gpu-check`, on a tiny archive
/// staged as the calls leave it: a payload whose "check" is a shell script that records its
/// environment. The real payload's run is `make gpu-check-local` (minutes; not in the suite).
/// </summary>
public sealed class GpuCheckScriptTests : IDisposable
{
    private const string Archive = "gpu-check.tar.xz";
    private readonly string _scratch = Directory.CreateTempSubdirectory("gpu-check-script-").FullName;
    private string Stage => Path.Combine(_scratch, "stage");
    private string Out => Path.Combine(_scratch, "out");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    /// <summary>Packs a payload (the fake check and a stand-in provider library) as pack.sh does, in <paramref name="parts"/> chunks in the stage, with the checksum and count.</summary>
    private void StageArchive(int parts)
    {
        var payload = Path.Combine(_scratch, "build", "payload");
        Directory.CreateDirectory(payload);
        var check = Path.Combine(payload, "InverseLearning.Benchmarks");
        File.WriteAllText(check, "#!/bin/sh\necho \"fake check $1 devices=$GPU_CHECK_DEVICES out=$GPU_CHECK_OUT\"\necho ran >> \"$GPU_CHECK_OUT/runs\"\n");
        File.WriteAllBytes(Path.Combine(payload, "libonnxruntime_providers_cuda.so"), RandomNumberGenerator.GetBytes(50_000));
        var archive = Path.Combine(_scratch, "build", Archive);
        Shell($"chmod +x '{check}' && tar -C '{Path.Combine(_scratch, "build")}' -cf - payload | xz -0 > '{archive}'", _scratch).EnsureExit(0);
        var bytes = File.ReadAllBytes(archive);
        Directory.CreateDirectory(Stage);
        var size = (bytes.Length + parts - 1) / parts;
        for (var n = 1; n <= parts; n++)
            File.WriteAllBytes(Path.Combine(Stage, $"{Archive}.part{n:00}"), bytes.Skip((n - 1) * size).Take(size).ToArray());
        File.WriteAllText(Path.Combine(Stage, $"{Archive}.sha256"), Convert.ToHexStringLower(SHA256.HashData(bytes)) + "\n");
        File.WriteAllText(Path.Combine(Stage, "parts"), $"{parts}\n");
    }

    private Result RunOnGpu() => Shell($"bash '{Path.Combine(RepositoryRoot(), "deploy", "gpu-check", "on-gpu.sh")}'", _scratch,
        ("GPU_CHECK_STAGE", Stage), ("OUT", Out), ("GPU_CHECK_DEVICES", "cpu"), ("GPU_CHECK_TIMEOUT", "30"));

    [Fact]
    public void Reassembles_checks_unpacks_and_runs_the_check_then_a_rerun_skips_the_unpack()
    {
        StageArchive(parts: 3);
        var first = RunOnGpu();
        first.EnsureExit(0);
        Assert.Contains("archive reassembled from 3 chunk(s), sha256 ok", first.Output);
        Assert.Contains($"fake check gpu devices=cpu out={Out}", first.Output);
        Assert.Contains("fake check gpu", File.ReadAllText(Path.Combine(Out, "gpu-check.log")));
        Assert.False(File.Exists(Path.Combine(Stage, $"{Archive}.part01")), "the chunks are removed once unpacked");

        var rerun = RunOnGpu();
        rerun.EnsureExit(0);
        Assert.Contains("payload already unpacked", rerun.Output);
        Assert.Equal(["ran", "ran"], File.ReadAllLines(Path.Combine(Out, "runs")));
    }

    [Fact]
    public void A_damaged_chunk_is_refused_before_anything_is_unpacked()
    {
        StageArchive(parts: 2);
        var chunk = Path.Combine(Stage, $"{Archive}.part02");
        var bytes = File.ReadAllBytes(chunk);
        bytes[10] ^= 0xff;
        File.WriteAllBytes(chunk, bytes);
        var result = RunOnGpu();
        result.EnsureExit(1);
        Assert.Contains("error: the reassembled archive's sha256 is", result.Output);
        Assert.False(Directory.Exists(Path.Combine(Stage, "payload")));
    }

    [Fact]
    public void A_missing_chunk_is_named()
    {
        StageArchive(parts: 3);
        File.Delete(Path.Combine(Stage, $"{Archive}.part02"));
        var result = RunOnGpu();
        result.EnsureExit(1);
        Assert.Contains("error: chunk 02 of 3 is missing", result.Output);
    }

    [Fact]
    public void Pack_counts_every_tracked_file_however_many_batches_xargs_would_cut_their_names_into()
    {
        // `xargs du -cb | tail -1` read the last batch's total only: xargs runs du once per ~128 KiB of names.
        var script = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "gpu-check", "pack.sh"));
        var count = Regex.Match(script, @"^tracked=\$\((?<command>.+)\)$", RegexOptions.Multiline).Groups["command"].Value;
        Assert.NotEmpty(count);
        var repository = Directory.CreateDirectory(Path.Combine(_scratch, "repository")).FullName;
        var longName = new string('n', 200);
        for (var i = 0; i < 2_000; i++) File.WriteAllText(Path.Combine(repository, $"{longName}{i}"), "x");
        Shell("git init -q && git add -A", repository).EnsureExit(0);

        var result = Shell($"set -euo pipefail; {count}", repository);

        result.EnsureExit(0);
        Assert.Equal("2000", result.Output.Trim());
    }

    [Fact]
    public void Without_OUT_it_says_so_in_one_line()
    {
        var result = Shell($"env -u OUT bash '{Path.Combine(RepositoryRoot(), "deploy", "gpu-check", "on-gpu.sh")}'", _scratch);
        result.EnsureExit(2);
        Assert.Equal("error: OUT is not set: the folder whose files come back", result.Output.Trim());
    }

    private sealed record Result(int Exit, string Output)
    {
        public void EnsureExit(int expected) => Assert.True(Exit == expected, $"exit {Exit}, expected {expected}; output:\n{Output}");
    }

    private static Result Shell(string command, string workingDirectory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash", ["-c", command + " 2>&1"])
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new Result(process.ExitCode, output);
    }
}
