using InverseLearning.Data;
using InverseLearning.Training.Tests.Runtime;
using InverseLearning.Training.Runtime;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Models;
using InverseLearning.Training.Tests.EndToEnd;

namespace InverseLearning.Training.Tests;

/// <summary>The estimate's parts against sizes computed by hand from the model's shapes, and against the buffers a real trainer allocates.</summary>
public class RunMemoryEstimateTests(TinyFeed feed) : IClassFixture<TinyFeed>
{
    private static readonly TrainSettings Small = new() { Model = "gmf", Dim = 4, BatchSize = 10, Ng = 1, Optimizer = "adam" };

    private static double Part(RunMemoryEstimate estimate, string what) => estimate.Parts.Single(p => p.What == what).Bytes;

    [Fact]
    public void Runs_at_once_share_the_budget_and_the_refusal_says_so()
    {
        var shared = new MemoryBudget(8.0 * (1L << 30), Explicit: true).SharedBy(4);
        var estimate = RunMemoryEstimate.BeforeData(new TrainSettings { Dim = 8 });

        Assert.Equal(2.0 * (1L << 30), shared.Bytes);
        Assert.Equal("--max-memory 8 GiB, shared by 4 runs at once (--jobs)", shared.Describe());
        Assert.Equal(shared.Bytes, shared.SharedBy(4).Bytes);
        estimate.EnsureFits(shared);
        var threeRuns = estimate.SharedBytes + 3 * (estimate.TotalBytes - estimate.SharedBytes);
        var error = Assert.ThrowsAny<Exception>(() => estimate.EnsureFits(new MemoryBudget(threeRuns, Explicit: true).SharedBy(4)));
        Assert.Contains("4 runs at once need about", error.Message);
        Assert.Contains("shared by 4 runs at once", error.Message);
    }

    [Fact]
    public void A_step_set_by_batch_rows_is_refused_naming_batch_rows_not_flags_never_given()
    {
        // It said "lower --batch-size, --ng, --dim or raise --max-memory": --batch-rows alone sets the step's rows.
        var estimate = RunMemoryEstimate.BeforeData(new TrainSettings { BatchRows = 16_777_216 });

        var error = Assert.Throws<ArgumentException>(() => estimate.EnsureFits(new MemoryBudget(1.0 * (1L << 30), Explicit: true)));

        Assert.Contains("; lower --batch-rows, --dim", error.Message);
        Assert.DoesNotContain("--batch-size", error.Message);
        Assert.DoesNotContain("--ng", error.Message);
    }

    [Fact]
    public void Runs_at_once_hold_the_process_and_the_prepared_log_once_between_them()
    {
        var log = new RunMemoryEstimate.PreparedLogSize(Bytes: 100.0 * (1 << 20), TrainRows: 1_000);
        var estimate = RunMemoryEstimate.For(Small, 101, 201, 0, log);
        var shared = RunMemoryEstimate.BaselineBytes + 100.0 * (1 << 20) * 1.25 + 1_000 * 4 / 4.0;
        Assert.Equal(shared, estimate.SharedBytes, 6);
        var perRun = estimate.TotalBytes - shared;
        var fourRuns = shared + 4 * perRun;

        // Exactly what four runs need fits; four times one run's total (the process and log counted four times) is not needed.
        estimate.EnsureFits(new MemoryBudget(fourRuns, Explicit: true).SharedBy(4));
        Assert.True(fourRuns < 4 * estimate.TotalBytes / 2);
        var error = Assert.Throws<ArgumentException>(() => estimate.EnsureFits(new MemoryBudget(fourRuns - (1 << 20), Explicit: true).SharedBy(4)));
        Assert.True(error.Message.Contains($"4 runs at once need about {ByteSize.Format(fourRuns)} of memory ({ByteSize.Format(shared)} held once: process and runtimes 200 MiB, prepared log 100 MiB, collector slack 25 MiB; ", StringComparison.Ordinal), error.Message);
        Assert.Contains("or --jobs or raise --max-memory", error.Message);
    }

    [Fact]
    public void Evaluation_is_sized_by_the_larger_held_out_split_and_implicit_feedback_doubles_validation()
    {
        Assert.Equal(Math.Max(feed.Data.Valid.Count, feed.Data.Test.Count), InverseLearning.Training.Cli.DatasetLoader.EvaluationRows(feed.Data));
        Assert.True(feed.Data.Valid.PositiveCount < feed.Data.Valid.Count);

        var log = new InteractionLog(1_000);
        for (var r = 0; r < log.Count; r++) (log.UserId[r], log.ItemId[r]) = (r % 50, r);
        var implicitFeedback = PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.Implicit), new SplitOptions(Seed: 1, TrainShare: 0.5, ValidShare: 0.3));
        Assert.Equal((300, 200), (implicitFeedback.Valid.Count, implicitFeedback.Test.Count));
        Assert.Equal(600, InverseLearning.Training.Cli.DatasetLoader.EvaluationRows(implicitFeedback));
    }

    [Fact]
    public void Tables_and_dense_layers_hold_values_and_two_adam_moments()
    {
        var e = RunMemoryEstimate.For(Small, userRows: 101, itemRows: 201, evaluationRows: 0);
        Assert.Equal(101 * 4 * 4 * 3, Part(e, "user_gmf table"));
        Assert.Equal(201 * 4 * 4 * 3, Part(e, "item_gmf table"));
        Assert.Equal((4 + 1) * 4 * 3, Part(e, "dense layers"));
        Assert.Equal((101 + 201) * 4 * 4 * 3 + (4 + 1) * 4 * 3, Part(e, "best-epoch snapshot"));
        // 20 step rows: 20 user rows, 20 item rows and the 5 dense values, each in 3 + 2·2 buffers.
        Assert.Equal((20 * 4 + 20 * 4 + 5) * 4 * 7, Part(e, "step working set"));
        Assert.DoesNotContain(e.Parts, p => p.What.StartsWith("DNS") || p.What.StartsWith("SRNS") || p.What.StartsWith("IG"));
    }

    [Fact]
    public void Lightgcn_adds_its_propagation_over_every_training_row_and_layer()
    {
        var settings = (Small with { Model = "lightgcn" }).WithOption(LightGcnBackbone.Layers, 2);
        var e = RunMemoryEstimate.For(settings, userRows: 101, itemRows: 201, evaluationRows: 10, trainingRows: 1000);
        Assert.Equal(1000 * 4 * 4 * 2 * 4, Part(e, "LightGCN propagation"));
        Assert.DoesNotContain(RunMemoryEstimate.For(Small, 101, 201, 10, trainingRows: 1000).Parts, p => p.What.StartsWith("LightGCN"));
    }

    /// <summary>IG's meta-step runs LightGCN in a session of its own: counted once, a run peaked 15 % above the estimate --max-memory accepted.</summary>
    [Fact]
    public void Ig_counts_lightgcns_propagation_again_for_its_meta_steps_graph()
    {
        var settings = (Small with { Model = "lightgcn", Method = "ig" }).WithOption(LightGcnBackbone.Layers, 2);
        var e = RunMemoryEstimate.For(settings, userRows: 101, itemRows: 201, evaluationRows: 10, trainingRows: 1000);
        Assert.Equal(1000 * 4 * 4 * 2 * 4, Part(e, "LightGCN propagation"));
        Assert.Equal(1000 * 4 * 4 * 2 * 4, Part(e, "LightGCN propagation in IG's meta-step"));
        var plain = RunMemoryEstimate.For(settings with { Method = "ns" }, userRows: 101, itemRows: 201, evaluationRows: 10, trainingRows: 1000);
        Assert.Single(plain.Parts, p => p.What.StartsWith("LightGCN"));
    }

    [Fact]
    public void Ig_adds_its_two_candidates_of_the_working_set()
    {
        var e = RunMemoryEstimate.For(Small with { Method = "ig" }, userRows: 101, itemRows: 201, evaluationRows: 0);
        Assert.Equal((20 * 4 + 20 * 4 + 5) * 4 * 2, Part(e, "IG candidates"));
    }

    [Fact]
    public void The_prepared_log_adds_its_bytes_and_an_epoch_order_over_its_training_rows_and_igs_training_parts()
    {
        var log = new RunMemoryEstimate.PreparedLogSize(Bytes: 5000, TrainRows: 300);
        Assert.Equal(5000, Part(RunMemoryEstimate.For(Small, 101, 201, 0, log), "prepared log"));
        Assert.Equal(300 * 4, Part(RunMemoryEstimate.For(Small, 101, 201, 0, log), "epoch order and IG's training split"));
        Assert.Equal((5000 + 300 * 4) / 4.0, Part(RunMemoryEstimate.For(Small, 101, 201, 0, log), "collector slack"));
        // IG builds training-train and training-test: 8 bytes of ids and a bit of label per training row again (rounded up).
        Assert.Equal(300 * 4 + 300 * 9, Part(RunMemoryEstimate.For(Small with { Method = "ig" }, 101, 201, 0, log), "epoch order and IG's training split"));
        Assert.DoesNotContain(RunMemoryEstimate.For(Small, 101, 201, 0).Parts, p => p.What is "prepared log" or "collector slack" or "epoch order and IG's training split");
        Assert.DoesNotContain(RunMemoryEstimate.For(Small, 101, 201, 0, log).Parts, p => p.What == "log read's row-group buffers");
        var held = RunMemoryEstimate.For(Small, 101, 201, 0, log with { ReadGroupRows = 1_000 });
        Assert.Equal(1_000 * RunMemoryEstimate.HeldReadBytesPerGroupRow, Part(held, "log read's row-group buffers"));
        Assert.Equal(1_000 * RunMemoryEstimate.HeldReadBytesPerGroupRow, held.TotalBytes - RunMemoryEstimate.For(Small, 101, 201, 0, log).TotalBytes);
    }

    [Fact]
    public void Sgd_keeps_no_state()
    {
        var e = RunMemoryEstimate.For(Small with { Optimizer = "sgd" }, 101, 201, 0);
        Assert.Equal(101 * 4 * 4, Part(e, "user_gmf table"));
    }

    [Fact]
    public void Srns_and_dns_buffers_follow_their_flags()
    {
        var srns = RunMemoryEstimate.For((Small with { Method = "srns" }).WithOption(Training.Methods.Srns.MemorySize, 3).WithOption(Training.Methods.Srns.Window, 2), 101, 201, 0);
        Assert.Equal(101 * 3 * 4 + 101 * 3 * 2 * 4 + 101, Part(srns, "SRNS memory and score history"));
        Assert.Equal(10 * 3 * 12, Part(srns, "SRNS candidate scores"));
        var dns = RunMemoryEstimate.For((Small with { Method = "dns" }).WithOption(Training.Methods.DynamicNegativeSampling.Candidates, 7), 101, 201, 0);
        Assert.Equal(10 * 7 * 12 + 10 * 4, Part(dns, "DNS candidates"));
    }

    [Fact]
    public void A_table_longer_than_an_array_can_be_is_refused_naming_the_flag()
    {
        var e = RunMemoryEstimate.For(Small with { Dim = 65_536 }, userRows: 40_000, itemRows: 10, evaluationRows: 0);
        var error = Assert.Throws<ArgumentException>(() => e.EnsureFits(new MemoryBudget(1e18, Explicit: true)));
        Assert.StartsWith("--dim: the user_gmf table would need 2,621,440,000 values in one array", error.Message);
    }

    [Fact]
    public void The_total_is_compared_with_the_budget()
    {
        var e = RunMemoryEstimate.For(Small, 101, 201, 0);
        Assert.Equal(RunMemoryEstimate.BaselineBytes + e.Parts.Sum(p => p.Bytes), e.TotalBytes);
        e.EnsureFits(new MemoryBudget(e.TotalBytes, Explicit: true));
        var error = Assert.Throws<ArgumentException>(() => e.EnsureFits(new MemoryBudget(e.TotalBytes - 1, Explicit: true)));
        Assert.Contains("this run needs about", error.Message);
        Assert.Contains("--max-memory", error.Message);
        // The three largest contributions, the fixed baseline first: it is nearly the whole of a run this small.
        Assert.Contains("MiB of memory (process and runtimes 200 MiB, ", error.Message);
        Assert.Equal(3, error.Message.Split('(')[1].Split(')')[0].Split(", ").Length);
    }

    [Fact]
    public void The_mlp_tower_counts_every_layer()
    {
        // dim 2, 2 layers: embeddings 4 wide; layers 8→4 and 4→2; predict 2→1.
        var e = RunMemoryEstimate.For((Small with { Model = "mlp", Dim = 2, Optimizer = "sgd" }).WithOption(TowerOptions.Layers, 2), 11, 21, 0);
        Assert.Equal(11 * 4 * 4, Part(e, "user_mlp table"));
        Assert.Equal((8 * 4 + 4 + 4 * 2 + 2 + 2 + 1) * 4, Part(e, "dense layers"));
    }

    [Fact]
    public void Scoring_activations_follow_the_rows_scored_at_once_and_the_width()
    {
        // GMF at dim 4: tables 4 + 4 wide, the predict layer's weight and bias 1 each; scoring runs at most 65,536 rows at once.
        var e = RunMemoryEstimate.For(Small, 101, 201, evaluationRows: 100_000);
        Assert.Equal(65_536 * 10 * 4 * RunMemoryEstimate.ScoringFloatsPerWidth, Part(e, "scoring activations"));
        Assert.DoesNotContain(RunMemoryEstimate.BeforeData(Small).Parts, p => p.What == "scoring activations");
    }

    [Fact]
    public void The_estimate_covers_every_buffer_a_trainer_allocates()
    {
        var settings = new TrainSettings { Model = "gmf", Method = "ns", Dim = 256, BatchSize = 64, Threads = 1 };
        var data = feed.Data;
        using var trainer = new Trainer(settings, data);
        var e = RunMemoryEstimate.For(settings, data.Users.Count, data.Items.Count, Math.Max(data.Train.Count, Math.Max(data.Valid.Count, data.Test.Count)));
        static double Bytes(IEnumerable<float[]> arrays) => arrays.Sum(a => (double)a.Length) * sizeof(float);
        double Parts(Func<string, bool> which) => e.Parts.Where(p => which(p.What)).Sum(p => p.Bytes);

        var host = (HostParameterStore)trainer.Store;
        var store = Bytes(host.All.SelectMany(p => p.State.Prepend(p.Values)));
        // A new best snapshot is taken while the previous one is still held (a host snapshot copies every array).
        var snapshots = 2 * store;
        var workingSet = Bytes(trainer.Engine.WorkingSet.Parts.SelectMany(p => new[] { p.Rows, p.NewRows, p.Zeros }.Concat(p.State).Concat(p.NewState)).Select(m => m.Host()));
        // The exported model: its parameters copied into the graph, and the serialized array.
        var model = InferenceModel.Build(trainer.Store, data.Users.RawIds, data.Items.RawIds, new Dictionary<string, string>());
        var export = Bytes(host.All.Select(p => p.Values)) + model.Length;

        Assert.Equal(store, Parts(what => what.EndsWith(" table") || what == "dense layers"));
        Assert.True(Parts(what => what.Contains("snapshot")) >= snapshots, $"snapshots: estimated {Parts(what => what.Contains("snapshot"))}, held {snapshots}");
        Assert.True(Part(e, "step working set") >= workingSet, $"working set: estimated {Part(e, "step working set")}, held {workingSet}");
        Assert.True(Parts(what => what == "exported model") >= export, $"export: estimated {Parts(what => what == "exported model")}, held {export}");
        Assert.True(e.Parts.Single(p => p.What == "exported model").LargestArray >= model.Length);
    }
}
