namespace InverseLearning.Data.Tests.Simulation;

using InverseLearning.Data.Simulation;

/// <summary>
/// A feed simulated and written in pieces is the feed simulated whole: the same dataset row for
/// row and column for column, the same truth (labels in dataset order, the same calibration).
/// </summary>
public class ChunkedSimulationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(FeedbackKind.Watch)]
    [InlineData(FeedbackKind.Rating)]
    public void Pieces_written_in_turn_make_the_dataset_the_whole_simulation_makes(FeedbackKind feedback)
    {
        var options = SimulatorPresets.Get("tiny") with { Feedback = feedback, LabelSparsity = feedback == FeedbackKind.Watch ? 0.05 : 0 };
        var whole = FeedSimulator.Run(options, seed: 9);
        PartitionedSimulationFiles.Write(whole, Path.Combine(_folder.Path, "whole"));
        var (truth, days) = PartitionedSimulationFiles.WriteInChunks(options, seed: 9, rowsPerChunk: 1_500, Path.Combine(_folder.Path, "pieces"));

        var expected = LogDataset.Open(Path.Combine(_folder.Path, "whole", "interactions")).Read().Log;
        var actual = LogDataset.Open(Path.Combine(_folder.Path, "pieces", "interactions")).Read().Log;
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.UserId, actual.UserId);
        Assert.Equal(expected.ItemId, actual.ItemId);
        Assert.Equal(expected.TimestampMs, actual.TimestampMs);
        foreach (var (a, b) in new[] { (expected.PlayTimeMs, actual.PlayTimeMs), (expected.DurationMs, actual.DurationMs) })
            Assert.Equal(a?.Values, b?.Values);
        Assert.Equal(expected.Rating?.Values, actual.Rating?.Values);
        Assert.Equal(expected.Like?.Values, actual.Like?.Values);
        Assert.Equal(whole.Truth.GlobalBias, truth.GlobalBias);
        Assert.Equal(GroundTruth.Load(Path.Combine(_folder.Path, "whole")).ImpressionLabels, GroundTruth.Load(Path.Combine(_folder.Path, "pieces")).ImpressionLabels);
        Assert.Equal(Directory.GetDirectories(Path.Combine(_folder.Path, "whole", "interactions")).Length, days);
        // More than one piece was written, and a day holds pieces in simulation order.
        var parts = Directory.GetFiles(Path.Combine(_folder.Path, "pieces", "interactions"), "part-*.parquet", SearchOption.AllDirectories);
        Assert.Contains(parts, part => Path.GetFileName(part) != "part-00000.parquet");
    }
    [Fact]
    public void A_cancelled_simulation_stops_and_leaves_the_folder_as_it_was()
    {
        var dir = Path.Combine(_folder.Path, "feed");
        SimulationFiles.Write(SimulatedLogs.TinyWatch, dir);
        var before = Directory.GetFiles(dir).ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 4, cancel: cancel.Token));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            PartitionedSimulationFiles.WriteInChunks(SimulatorPresets.Get("tiny"), seed: 4, rowsPerChunk: 1_500, dir, cancel: cancel.Token));

        Assert.Equal(before.Keys.Order(), Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        foreach (var (name, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(dir, name)));
        Assert.Equal(["feed"], Directory.GetFileSystemEntries(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_simulation_cancelled_while_it_runs_stops_before_its_end()
    {
        using var cancel = new CancellationTokenSource();
        var reports = new List<double>();
        // Cancelled at its first progress report: a simulation that checked only before it started would report up to 1.
        var progress = new CancelOnReport(cancel, reports);

        Assert.ThrowsAny<OperationCanceledException>(() => FeedSimulator.Run(SimulatorPresets.Get("tiny") with { Users = 2_000, Impressions = 100_000 }, seed: 4, progress, cancel.Token));

        Assert.NotEmpty(reports);
        Assert.True(reports.Max() < 0.5, $"progress reached {reports.Max():P0} after the cancel");
    }

    /// <summary>
    /// Drawing the world (factors, biases, durations, popularity, activity) took minutes on the largest flags without a check of
    /// the token or a report: a SIGTERM went unheard until the process was ended, its staging folder left behind.
    /// </summary>
    [Theory]
    // A large catalogue, then many users: each stage of the draw (the factors, the catalogue's shuffle) is told and hears a cancel.
    [InlineData(2_000, 200_000, 10_000)]
    [InlineData(200_000, 2_000, 400_000)]
    public void Drawing_the_world_reports_progress_and_stops_when_cancelled(int users, int items, int impressions)
    {
        var options = SimulatorPresets.Get("tiny") with { Users = users, Items = items, Impressions = impressions, Factors = 8 };
        var whole = new List<double>();
        SimulatedWorld.Create(options, seed: 1, new Recorded(whole));
        Assert.Equal(1, whole.Last());

        foreach (var draw in new Action<IProgress<double>, CancellationToken>[]
                 {
                     (progress, cancel) => SimulatedWorld.Create(options, seed: 1, progress, cancel),
                     (progress, cancel) => SimulatedWorld.LargestUserImpressions(options, seed: 1, progress, cancel),
                     (progress, cancel) => FeedSimulator.Run(options, seed: 1, cancel: cancel, world: progress),
                 })
        {
            using var cancel = new CancellationTokenSource();
            var reports = new List<double>();
            Assert.ThrowsAny<OperationCanceledException>(() => draw(new CancelOnReport(cancel, reports), cancel.Token));
            Assert.NotEmpty(reports);
            Assert.True(reports.Max() < 0.5, $"the world's drawing reached {reports.Max():P0} after the cancel");
        }
    }

    [Fact]
    public void The_users_counts_hear_a_cancel_while_they_draw_the_factors_they_drop()
    {
        // A million users of 1,024 factors: a billion values drawn and dropped before the catalogue's shuffle, tens of seconds unheard.
        var options = SimulatorPresets.Get("tiny") with { Users = 1_000_000, Items = 1_000, Impressions = 2_000_000, Factors = 1_024 };
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        var counting = Task.Run(() => SimulatedWorld.LargestUserImpressions(options, seed: 1, cancel: cancel.Token));

        Assert.True(((IAsyncResult)counting).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "the cancel was not heard while the factors were drawn");
        Assert.ThrowsAny<OperationCanceledException>(() => counting.GetAwaiter().GetResult());
    }

    private sealed class Recorded(List<double> reports) : IProgress<double>
    {
        public void Report(double value) => reports.Add(value);
    }

    private sealed class CancelOnReport(CancellationTokenSource cancel, List<double> reports) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (reports) reports.Add(value);
            cancel.Cancel();
        }
    }

    [Fact]
    public void A_piece_is_estimated_as_the_impressions_it_holds_plus_two_bytes_of_truth_per_impression()
    {
        var options = SimulatorPresets.Get("tiny") with { Impressions = 1_000_000, Users = 1_000, Items = 2_000 };

        var whole = SimulationMemoryEstimate.Bytes(options, rowsPerPiece: null);
        var inPieces = SimulationMemoryEstimate.Bytes(options, rowsPerPiece: 100_000);

        Assert.Equal(900_000 * SimulationMemoryEstimate.BytesPerHeldImpression - 2_000_000, whole - inPieces);
        Assert.Equal(whole + 2_000_000, SimulationMemoryEstimate.Bytes(options, rowsPerPiece: 5_000_000)); // a piece past the log holds the log
        Assert.Equal(whole + 1_000_000 * SimulationMemoryEstimate.BytesPerPartitionedImpression, SimulationMemoryEstimate.Bytes(options, null, partitioned: true));
        Assert.Equal(inPieces, SimulationMemoryEstimate.Bytes(options, 100_000, partitioned: true)); // pieces are always partitioned
        Assert.True(SimulationMemoryEstimate.Bytes(options with { Users = 2_000 }, null) > whole);
        Assert.True(SimulationMemoryEstimate.Bytes(options with { Items = 4_000 }, null) > whole);
    }

    /// <summary>The largest user's impressions, drawn before any is simulated, are the ones the simulation gives: its draws replayed in its order.</summary>
    [Theory]
    [InlineData(200, 500, 10_000, 4)]
    [InlineData(2, 1_000_000, 400_000, 4)]
    [InlineData(3, 50, 150, 7)]     // every user at the catalogue: the excess spread over the others
    [InlineData(300, 40, 9_000, 1)]
    public void The_largest_users_impressions_are_known_before_the_simulation(int users, int items, int impressions, int factors)
    {
        var options = SimulatorPresets.Get("tiny") with { Users = users, Items = items, Impressions = impressions, Factors = factors };

        Assert.Equal(SimulatedWorld.Create(options, seed: 5).ImpressionsPerUser.Max(), SimulatedWorld.LargestUserImpressions(options, seed: 5));
    }

    [Fact]
    public void The_largest_piece_is_the_chunk_or_one_users_impressions_where_more()
    {
        var options = SimulatorPresets.Get("tiny") with { Users = 2, Items = 1_000_000, Impressions = 400_000 };
        var largest = SimulatedWorld.Create(options, seed: 1).ImpressionsPerUser.Max();

        Assert.True(largest > 100_000);
        Assert.Equal(largest, SimulationMemoryEstimate.LargestPiece(options, seed: 1, rowsPerChunk: 1_000));
        Assert.Equal(largest + 1, SimulationMemoryEstimate.LargestPiece(options, seed: 1, rowsPerChunk: largest + 1));
        Assert.Equal(1_000, SimulationMemoryEstimate.LargestPiece(SimulatorPresets.Get("tiny") with { Items = 1_000 }, seed: 1, rowsPerChunk: 1_000)); // no user can have more
    }
}
