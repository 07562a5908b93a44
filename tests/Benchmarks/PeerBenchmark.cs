using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InverseLearning.Data;
using InverseLearning.Data.Import;
using InverseLearning.Training;

namespace InverseLearning.Benchmarks;

/// <summary>
/// Our trainer against the PyTorch peer (shared/peer/torch_peer.py: GMF and NeuMF with
/// sparse embedding gradients and SparseAdam, dense Adam for the MLP) on the peer's own synthetic log, imported with
/// import-ratings: method none, lr 1e-3, 10 epochs, batch 1024, 2 threads each. The two
/// alternate over 3 runs; the peer's threads spin, so its speed swings on a shared machine
/// and the best run of each side is compared. Skips when Debian's python3-torch is absent.
/// </summary>
public sealed class PeerBenchmark : IBenchmark
{
    private const string Python = "/usr/bin/python3";
    private const int Runs = 3;
    private const int Epochs = 10;
    // The peer's NeuMF is ours at its defaults: dim 32, 3 MLP layers (embeddings 128 wide, tower 256→128→64→32).
    private static readonly string[] Models = ["gmf", "neumf"];

    public string Name => "peer";

    public void Run(string workDir, TextWriter report)
    {
        var script = FindPeerScript();
        if (script is null)
        {
            report.WriteLine("skipped: shared/peer/torch_peer.py not found (set TORCH_PEER to its path)");
            return;
        }
        if (Exec(Python, ["-c", "import torch, sklearn"], out _) != 0)
        {
            report.WriteLine($"skipped: {Python} cannot import torch and sklearn (apt-get install python3-torch python3-sklearn)");
            return;
        }

        var dir = Path.Combine(workDir, "peer");
        var data = Prepare(script, dir);
        report.WriteLine($"peer log: {data.Train.Count:N0} training rows, {data.Users.Count - 1:N0} users, {data.Items.Count - 1:N0} items; dim 32, none, lr 1e-3, {Epochs} epochs, batch 1024, 2 threads each; ours with --init torch, the peer's initialisation (PyTorch's nn.Linear defaults)");
        foreach (var model in Models) Compare(report, script, dir, data, model);
    }

    private static void Compare(TextWriter report, string script, string dir, PreparedDataset data, string model)
    {
        report.WriteLine();
        report.WriteLine($"| {model} run | ours labeled rows/s | ours test AUC | peer rows/s (sparse embeddings) | peer test AUC |");
        report.WriteLine("|---:|---:|---:|---:|---:|");
        double bestOurs = 0, bestPeer = 0, oursAuc = 0, peerAuc = 0;
        for (var run = 1; run <= Runs; run++)
        {
            var (ours, auc) = TrainOurs(data, model);
            var (peer, pAuc) = TrainPeer(script, dir, model);
            report.WriteLine($"| {run} | {ours:N0} | {auc:F4} | {peer:N0} | {pAuc:F4} |");
            if (ours > bestOurs) (bestOurs, oursAuc) = (ours, auc);
            if (peer > bestPeer) (bestPeer, peerAuc) = (peer, pAuc);
        }
        report.WriteLine($"{model}, best of {Runs}: ours {bestOurs:N0} rows/s, peer {bestPeer:N0} rows/s: **ours / peer = {bestOurs / bestPeer:F2}×**; test AUC ours {oursAuc:F4}, peer {peerAuc:F4}");
    }

    private static PreparedDataset Prepare(string script, string dir)
    {
        var split = Path.Combine(dir, "split");
        if (!File.Exists(Path.Combine(split, "test.tsv")) && Exec(Python, [script, "make-data", dir], out var error) != 0)
            throw new InvalidOperationException($"torch_peer.py make-data failed: {error}");
        var log = File.Exists(Path.Combine(dir, "interactions.parquet"))
            ? InteractionLogParquet.Read(Path.Combine(dir, "interactions.parquet"))
            : RatingsImporter.Import(
                [new RatingsInput(Path.Combine(split, "train.tsv"), SplitTag.Train),
                 new RatingsInput(Path.Combine(split, "valid.tsv"), SplitTag.Valid),
                 new RatingsInput(Path.Combine(split, "test.tsv"), SplitTag.Test)], dir);
        return PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.Rating), new SplitOptions());
    }

    private static (double RowsPerSecond, double TestAuc) TrainOurs(PreparedDataset data, string model)
    {
        var settings = new TrainSettings { Model = model, Method = "none", Epochs = Epochs, BatchSize = 1024, LearningRate = 1e-3, Threads = 2, Seed = 1, Init = "torch" };
        using var trainer = new Trainer(settings, data);
        trainer.Run();
        return (trainer.RowsTrained / trainer.TrainSeconds, trainer.Scorer.Evaluate(data.Test).Auc);
    }

    private static (double RowsPerSecond, double TestAuc) TrainPeer(string script, string dir, string model)
    {
        if (Exec(Python, [script, "train", dir, "--model", model, "--sparse", "--epochs", Epochs.ToString(CultureInfo.InvariantCulture)], out var output) != 0)
            throw new InvalidOperationException($"torch_peer.py train failed: {output}");
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        return (json.RootElement.GetProperty("rows_per_second").GetDouble(), json.RootElement.GetProperty("test_auc").GetDouble());
    }

    /// <summary>TORCH_PEER, else the first shared/peer/torch_peer.py in the current folder or one above it.</summary>
    private static string? FindPeerScript()
    {
        if (Environment.GetEnvironmentVariable("TORCH_PEER") is { Length: > 0 } set) return File.Exists(set) ? set : null;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "peer", "torch_peer.py");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Runs a process to its end; stdout on success, stderr otherwise.</summary>
    private static int Exec(string file, string[] args, out string output)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            output = process.ExitCode == 0 ? stdout : stderr.Result;
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output = e.Message;
            return -1;
        }
    }
}
