using InverseLearning.Data;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Stages;
namespace InverseLearning.Training.Tests.EndToEnd;

/// <summary>
/// An experiment started again reuses a finished run only with its files in place and sound: a metrics.json read only when it is a
/// regular file of a metrics.json's size, the run's model and checkpoints there, the checkpoints' headers whole and their lengths those the headers give.
/// </summary>
public class ExperimentReuseFilesTests : IClassFixture<TinyFeed>
{
    private static readonly TrainSettings Settings = new() { Epochs = 1, BatchSize = 1024, LearningRate = 5e-3, Dim = 4, Threads = 1, Seed = 3 };

    private readonly TinyFeed _feed;

    public ExperimentReuseFilesTests(TinyFeed feed) => _feed = feed;

    private Experiment.Outcome Run(string folder, List<string> log, params string[] methods) =>
        Experiment.Run(new Experiment.Plan(Settings, methods.Length > 0 ? methods : ["none"], ["gmf"], Repeats: 1, LearningRateRatios: []),
            _feed.Data, _feed.Truth, folder, observer: null, log: log.Add);

    private static string RunFolder(string folder, string method = "none") => Path.Combine(folder, "gmf", method, "seed3");

    private static void Trained(List<string> log) =>
        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1 (", StringComparison.Ordinal));

    [Fact]
    public void A_metrics_json_that_is_a_folder_is_refused_naming_it_before_any_run_is_trained()
    {
        var folder = _feed.Scratch("reuse-metrics-folder");
        var inPlace = Directory.CreateDirectory(Path.Combine(RunFolder(folder, "ns"), MetricsJson.FileName));
        var log = new List<string>();

        var refusal = Assert.Throws<ArgumentException>(() => Run(folder, log, "none", "ns"));

        Assert.Equal($"--out {RunFolder(folder, "ns")}: metrics.json there is a folder, where the run writes a file; remove it or choose another --out", refusal.Message);
        // Refused before the first run (the one beside it too) began: nothing trained, no model left.
        Assert.Empty(log);
        Assert.False(Directory.Exists(RunFolder(folder)));
        Assert.True(inPlace.Exists);
    }

    [Fact]
    public void A_metrics_json_that_is_no_regular_file_is_not_read_and_the_run_replaces_it()
    {
        var folder = _feed.Scratch("reuse-metrics-device");
        File.CreateSymbolicLink(Path.Combine(Directory.CreateDirectory(RunFolder(folder)).FullName, MetricsJson.FileName), "/dev/null");
        var log = new List<string>();

        Run(folder, log);

        Assert.Contains(log, line => line.EndsWith(
            "cannot be reused: its metrics.json is empty, or not a regular file (a named pipe or a device); expected a file; trained again", StringComparison.Ordinal));
        Trained(log);
        var written = new FileInfo(Path.Combine(RunFolder(folder), MetricsJson.FileName));
        Assert.Null(written.LinkTarget);
        Assert.True(written.Length > 0);
    }

    [Fact]
    public void A_metrics_json_past_the_size_cap_is_refused_by_its_size_though_it_would_parse()
    {
        var folder = _feed.Scratch("reuse-metrics-huge");
        Run(folder, []);
        var metrics = Path.Combine(RunFolder(folder), MetricsJson.FileName);
        // Still the run's valid JSON, trailing white space: only its size keeps it from being read.
        using (var file = new FileStream(metrics, FileMode.Append)) file.Write(Spaces());
        var size = new FileInfo(metrics).Length;
        var log = new List<string>();

        Run(folder, log);

        Assert.Contains(log, line => line.EndsWith(
            $"cannot be reused: its metrics.json is {size:N0} bytes, more than a run's metrics.json ever holds (16 MiB); trained again", StringComparison.Ordinal));
        Trained(log);
    }

    private static byte[] Spaces()
    {
        var spaces = new byte[FinishedRun.MaxMetricsBytes];
        Array.Fill(spaces, (byte)' ');
        return spaces;
    }

    [Fact]
    public void A_run_missing_its_model_is_trained_again_naming_the_file()
    {
        var folder = _feed.Scratch("reuse-no-model");
        Run(folder, []);
        File.Delete(Path.Combine(RunFolder(folder), "model.onnx"));
        var log = new List<string>();

        Run(folder, log);

        Assert.Contains(log, line => line.EndsWith("cannot be reused: its model.onnx is missing; trained again", StringComparison.Ordinal));
        Trained(log);
        Assert.True(File.Exists(Path.Combine(RunFolder(folder), "model.onnx")));
    }

    [Fact]
    public void A_run_whose_last_checkpoint_header_fails_its_checksum_is_trained_again()
    {
        var folder = _feed.Scratch("reuse-damaged-last");
        Run(folder, []);
        var last = Path.Combine(RunFolder(folder), "last.checkpoint");
        var bytes = File.ReadAllBytes(last);
        // A letter of the header's JSON (after the magic and its length): still JSON, only the checksum tells it changed.
        var at = Array.IndexOf(bytes, (byte)'f', 12);
        bytes[at] = (byte)'g';
        File.WriteAllBytes(last, bytes);
        var log = new List<string>();

        Run(folder, log);

        Assert.Contains(log, line => line.EndsWith(
            $"cannot be reused: {last}: cannot use this checkpoint: the checksum of its header does not match (the file is damaged); trained again", StringComparison.Ordinal));
        Trained(log);
    }

    [Theory]
    [InlineData("checkpoint")]
    [InlineData("last.checkpoint")]
    public void A_run_whose_checkpoint_is_cut_short_after_its_header_is_trained_again(string name)
    {
        var folder = _feed.Scratch($"reuse-truncated-{name}");
        Run(folder, []);
        var cut = Path.Combine(RunFolder(folder), name);
        var whole = new FileInfo(cut).Length;
        // Half the file keeps the header and its checksum whole: only the length says the tables are cut.
        using (var file = new FileStream(cut, FileMode.Open)) file.SetLength(whole / 2);
        var log = new List<string>();

        Run(folder, log);

        Assert.Contains(log, line => line.EndsWith(
            $"cannot be reused: {cut}: cannot use this checkpoint: it is truncated: it has {whole / 2:N0} bytes, where its header says it holds {whole:N0}; trained again",
            StringComparison.Ordinal));
        Trained(log);
    }

    [Fact]
    public void A_run_whose_last_checkpoint_lacks_only_its_last_byte_is_trained_again()
    {
        // Cut inside the closing checksum, the rest whole: the length the header gives counts that checksum's bytes too.
        var folder = _feed.Scratch("reuse-last-byte-cut");
        Run(folder, []);
        var last = Path.Combine(RunFolder(folder), "last.checkpoint");
        var whole = new FileInfo(last).Length;
        using (var file = new FileStream(last, FileMode.Open)) file.SetLength(whole - 1);
        var log = new List<string>();

        Run(folder, log);

        Assert.Contains(log, line => line.EndsWith(
            $"cannot be reused: {last}: cannot use this checkpoint: it is truncated: it has {whole - 1:N0} bytes, where its header says it holds {whole:N0}; trained again",
            StringComparison.Ordinal));
        Trained(log);
    }

    [Fact]
    public void A_run_whose_last_checkpoint_has_bytes_after_its_checksum_is_trained_again()
    {
        // A copy appended to (or another checkpoint written over a longer one without truncating) reads its header and its tables
        // whole: only the length the header gives tells the file is not what the run wrote.
        var folder = _feed.Scratch("reuse-longer-last");
        Run(folder, []);
        var last = Path.Combine(RunFolder(folder), "last.checkpoint");
        var whole = new FileInfo(last).Length;
        using (var file = new FileStream(last, FileMode.Append)) file.Write([0, 0, 0]);
        var log = new List<string>();

        Run(folder, log);

        Assert.Contains(log, line => line.EndsWith(
            $"cannot be reused: {last}: cannot use this checkpoint: it has 3 bytes after its checksum, where its header says it holds {whole:N0}; trained again",
            StringComparison.Ordinal));
        Trained(log);
    }

    [Fact]
    public void A_run_whose_model_is_emptied_is_trained_again_naming_the_file()
    {
        // A model.onnx there but empty (a copy cut short by a full disk): present is not enough, it must be a file to read.
        var folder = _feed.Scratch("reuse-empty-model");
        Run(folder, []);
        File.WriteAllBytes(Path.Combine(RunFolder(folder), "model.onnx"), []);
        var log = new List<string>();

        Run(folder, log);

        Assert.Contains(log, line => line.EndsWith(
            "cannot be reused: its model.onnx is empty, or not a regular file (a named pipe or a device); expected a file; trained again", StringComparison.Ordinal));
        Trained(log);
        Assert.True(new FileInfo(Path.Combine(RunFolder(folder), "model.onnx")).Length > 0);
    }

    [Fact]
    public void A_run_whose_checkpoints_hold_its_methods_state_is_reused()
    {
        // IG's checkpoints carry its convergence state in a section after the tensors: the length the header gives counts the
        // sections, or every such run (IG's, SRNS's) is taken for one with bytes after its checksum and trained again at every start.
        var folder = _feed.Scratch("reuse-with-sections");
        Run(folder, [], "ig");
        Assert.NotEmpty(InverseLearning.Training.Artifacts.Checkpoint.ReadHeader(Path.Combine(RunFolder(folder, "ig"), "last.checkpoint")).Sections ?? []);
        var log = new List<string>();

        Run(folder, log, "ig");

        Assert.Contains(log, line => line.StartsWith("gmf / ig / seed 3: run 1 of 1: reused", StringComparison.Ordinal));
    }

    [Fact]
    public void A_run_missing_a_histogram_it_wrote_is_trained_again_naming_it_and_the_leftover_of_its_killed_write_goes()
    {
        // A kill while the histogram was written, or a hand that removed it: reused, the run never had it again.
        var folder = _feed.Scratch("reuse-no-histogram");
        Run(folder, [], "idl");
        var histogram = Path.Combine(RunFolder(folder, "idl"), ReportStage.FinalHistogram);
        File.Delete(histogram);
        var leftover = Path.Combine(RunFolder(folder, "idl"), AtomicFile.TemporaryName(ReportStage.FinalHistogram, int.MaxValue));
        File.WriteAllText(leftover, "the part a killed process wrote");
        var log = new List<string>();

        Run(folder, log, "idl");

        Assert.Contains(log, line => line.EndsWith($"cannot be reused: its {ReportStage.FinalHistogram} is missing; trained again", StringComparison.Ordinal));
        Assert.Contains(log, line => line.StartsWith("gmf / idl / seed 3: run 1 of 1 (", StringComparison.Ordinal));
        Assert.True(File.Exists(histogram));
        Assert.False(File.Exists(leftover));
    }

    [Theory]
    [InlineData(ConvergenceLog.FileName)]
    [InlineData(ConvergenceLog.PlotFileName)]
    public void An_ig_run_missing_its_convergence_report_is_trained_again_naming_it(string name)
    {
        var folder = _feed.Scratch($"reuse-no-{name}");
        Run(folder, [], "ig");
        File.Delete(Path.Combine(RunFolder(folder, "ig"), name));
        var log = new List<string>();

        Run(folder, log, "ig");

        Assert.Contains(log, line => line.EndsWith($"cannot be reused: its {name} is missing; trained again", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(RunFolder(folder, "ig"), name)));
    }

    [Theory]
    [InlineData("foreign", """["../../model.onnx"]""")]
    [InlineData("number", """[1]""")] // no name at all: no report looked for, as if it named none
    public void A_run_whose_metrics_json_names_a_report_no_run_writes_is_trained_again(string scratch, string reports)
    {
        // Looked for as named, "../../model.onnx" would find another folder's file and pass for the run's report.
        var folder = _feed.Scratch("reuse-report-" + scratch);
        Run(folder, []);
        var metrics = Path.Combine(RunFolder(folder), MetricsJson.FileName);
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(metrics))!.AsObject();
        root[ReportStage.ReportsField] = System.Text.Json.Nodes.JsonNode.Parse(reports);
        File.WriteAllText(metrics, root.ToJsonString());
        var log = new List<string>();

        Run(folder, log);

        Assert.Contains(log, line => line.EndsWith(
            "cannot be reused: its metrics.json field `reports` is not a list of the reports a run writes; trained again", StringComparison.Ordinal));
        Trained(log);
    }

    [Fact]
    public void A_run_whose_best_checkpoint_is_garbage_is_trained_again()
    {
        var folder = _feed.Scratch("reuse-garbage-best");
        Run(folder, []);
        var best = Path.Combine(RunFolder(folder), "checkpoint");
        File.WriteAllText(best, "not a checkpoint at all");
        var log = new List<string>();

        Run(folder, log);

        Assert.Contains(log, line => line.EndsWith(
            $"cannot be reused: {best}: cannot use this checkpoint: it is not an InverseLearning checkpoint (format ILCKPT02); trained again", StringComparison.Ordinal));
        Trained(log);
    }

    [Fact]
    public void A_run_that_recorded_no_best_epoch_is_reused_without_a_best_checkpoint()
    {
        var folder = _feed.Scratch("reuse-no-best");
        Run(folder, []);
        // A run whose validation never improved saves no best checkpoint, and records best epoch 0.
        var metrics = Path.Combine(RunFolder(folder), MetricsJson.FileName);
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(metrics))!.AsObject();
        root["best_epoch"] = 0;
        File.WriteAllText(metrics, root.ToJsonString());
        File.Delete(Path.Combine(RunFolder(folder), "checkpoint"));
        var log = new List<string>();

        Run(folder, log);

        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1: reused", StringComparison.Ordinal));
    }
}
