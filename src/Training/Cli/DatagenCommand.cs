using System.CommandLine;
using System.Diagnostics;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;

namespace InverseLearning.Training.Cli;

/// <summary>`datagen --preset NAME --out DIR`: simulate a feed log with known ground truth.</summary>
public static class DatagenCommand
{
    public static Command Create()
    {
        var command = new Command("datagen",
            "Simulate a video-feed log (or 1–5 ratings) with known true preferences: writes DIR/interactions.parquet (or, with --partition-by day, DIR/interactions/day=.../), DIR/truth.parquet and DIR/truth-model.bin.");
        var preset = new Option<string>("--preset") { Description = $"simulator settings to start from: {string.Join(", ", SimulatorPresets.Names)}", DefaultValueFactory = _ => "default" };
        preset.AcceptOnlyFromAmong([.. SimulatorPresets.Names]);
        var outDir = new Option<string>("--out") { Description = "folder to write the log and its ground truth into", Required = true };
        var seed = new Option<int>("--seed") { Description = "random seed; the same seed and settings give the same files", DefaultValueFactory = _ => 1 };
        var feedback = new Option<string>("--feedback") { Description = "watch: play time, duration, likes, hates; rating: 1–5 stars (MovieLens-like)", DefaultValueFactory = _ => "watch" };
        feedback.AcceptOnlyFromAmong("watch", "rating");
        var users = new Option<int?>("--users") { Description = "override the preset's number of users" }.Within(1, SimulatorOptions.MaxUsers);
        var items = new Option<int?>("--items") { Description = "override the preset's number of videos" }.Within(1, SimulatorOptions.MaxItems);
        var impressions = new Option<int?>("--impressions") { Description = "override the preset's number of impressions (rows)" }.Within(1, SimulatorOptions.MaxImpressions);
        var likedShare = new Option<double?>("--liked-share") { Description = "share of impressions the user truly likes (default 0.525)" };
        var falseNegative = new Option<double?>("--false-negative-rate") { Description = "share of truly liked LABELED impressions skipped quickly (finish < 0.2) or rated ≤ 2 (default 0.12)" };
        var falsePositive = new Option<double?>("--false-positive-rate") { Description = "share of truly disliked LABELED impressions watched to the end (finish > 0.8) or rated ≥ 3 (default 0.12)" };
        var sparsity = new Option<double?>("--label-sparsity") { Description = "share of impressions watched 20–80%, unlabeled by finish rate, in [0, 1) (default 0.05; watch feedback only)" };
        var likeRate = new Option<double?>("--like-rate") { Description = "share of impressions with a like (default 0.0478)" };
        var hateRate = new Option<double?>("--hate-rate") { Description = "share of impressions with a hate (default 0.0008)" };
        var factors = new Option<int?>("--factors") { Description = "dimension of the hidden user and video factors (default 4)" }.Within(1, SimulatorOptions.MaxFactors);
        var preference = new Option<double?>("--preference-scale") { Description = "standard deviation of the factor term u·v of the true logit (default 1.5)" };
        var userBias = new Option<double?>("--user-bias-scale") { Description = "standard deviation of the per-user bias of the true logit (default 1.0)" };
        var itemBias = new Option<double?>("--item-bias-scale") { Description = "standard deviation of the per-video bias of the true logit (default 1.5)" };
        var chunkImpressions = new Option<int>("--chunk-impressions")
        {
            Description = "with --partition-by day: simulate and write at most this many impressions at a time, or one user's where a user has more " +
                "(pieces of consecutive users, a user never split, written as day=…/part-NNNNN.parquet); the lake is row for row the one a whole simulation writes",
            DefaultValueFactory = _ => 20_000_000,
        }.Within(1, SimulatorOptions.MaxWholeImpressions);
        var partitionBy = new Option<string?>("--partition-by") { Description = "day: write the log as DIR/interactions/day=YYYY-MM-DD/part-0.parquet (Hive partitions, one per UTC day) instead of DIR/interactions.parquet" };
        partitionBy.AcceptOnlyFromAmong(DayPartitionedWriter.Column);
        var maxMemory = MaxMemoryOption.Create();
        foreach (var option in new Option[] { preset, outDir, seed, partitionBy, chunkImpressions, feedback, users, items, impressions, likedShare, falseNegative, falsePositive, sparsity, likeRate, hateRate, factors, preference, userBias, itemBias, maxMemory })
            command.Options.Add(option);

        command.SetAction((parsed, cancel) => Task.FromResult(CliErrors.Run(() =>
        {
            var o = SimulatorPresets.Get(parsed.GetValue(preset)!);
            var rating = parsed.GetValue(feedback) == "rating";
            if (parsed.GetValue(sparsity) is { } p && p is not (>= 0 and < 1))
                throw new ArgumentException($"--label-sparsity must be in [0, 1) (the share of impressions left unlabeled; 1 would leave no labeled row), got {p}");
            // Refused given at all, as the like and hate rates are (README): a rating log has no middle band, so even 0 says nothing.
            if (rating && parsed.GetResult(sparsity) is { Implicit: false })
                throw new ArgumentException("--label-sparsity applies to watch feedback only (ratings have no middle band); drop it or use --feedback watch");
            // A rating log has no like or hate column: the rates would be ignored without a word.
            foreach (var watchOnly in new[] { likeRate, hateRate })
                if (rating && parsed.GetResult(watchOnly) is { Implicit: false })
                    throw new ArgumentException($"{watchOnly.Name} applies to watch feedback only (a rating log has no likes or hates); drop it or use --feedback watch");
            o = o with
            {
                Feedback = rating ? FeedbackKind.Rating : FeedbackKind.Watch,
                Users = parsed.GetValue(users) ?? o.Users,
                Items = parsed.GetValue(items) ?? o.Items,
                Impressions = parsed.GetValue(impressions) ?? o.Impressions,
                LikedShare = parsed.GetValue(likedShare) ?? o.LikedShare,
                FalseNegativeRate = parsed.GetValue(falseNegative) ?? o.FalseNegativeRate,
                FalsePositiveRate = parsed.GetValue(falsePositive) ?? o.FalsePositiveRate,
                LabelSparsity = rating ? 0 : parsed.GetValue(sparsity) ?? o.LabelSparsity,
                LikeRate = parsed.GetValue(likeRate) ?? o.LikeRate,
                HateRate = parsed.GetValue(hateRate) ?? o.HateRate,
                Factors = parsed.GetValue(factors) ?? o.Factors,
                PreferenceScale = parsed.GetValue(preference) ?? o.PreferenceScale,
                UserBiasScale = parsed.GetValue(userBias) ?? o.UserBiasScale,
                ItemBiasScale = parsed.GetValue(itemBias) ?? o.ItemBiasScale,
            };
            if (parsed.GetValue(partitionBy) is null && parsed.GetResult(chunkImpressions) is { Implicit: false })
                throw new ArgumentException("--chunk-impressions needs --partition-by day (a log in one file is simulated whole)");
            Run(o, parsed.GetValue(seed), parsed.GetValue(outDir), parsed.GetValue(partitionBy) is not null, parsed.GetValue(chunkImpressions),
                MaxMemoryOption.Read(parsed, maxMemory), cancel);
            return 0;
        }, cancel)));
        return command;
    }

    private static void Run(SimulatorOptions o, int seed, string? outDir, bool partitionByDay, int chunkImpressions, MemoryBudget budget, CancellationToken cancel)
    {
        // One bound for --impressions, the one its parse names: a whole log's lower one is told by the hint to partition, after what else is wrong.
        o.Validate(SimulatorOptions.MaxImpressions);
        foreach (var warning in o.UnreachableRateWarnings()) Console.Error.WriteLine(warning);
        if (o.Impressions > SimulatorOptions.MaxWholeImpressions && !partitionByDay)
            throw new ArgumentException($"--impressions {o.Impressions:N0}: more than {SimulatorOptions.MaxWholeImpressions:N0} impressions are simulated in pieces, which needs --partition-by day");
        if (chunkImpressions is < 1 or > SimulatorOptions.MaxWholeImpressions)
            throw new ArgumentException($"--chunk-impressions must be from 1 to {SimulatorOptions.MaxWholeImpressions:N0} (the most simulated in one piece), got {chunkImpressions:N0}");
        var inPieces = partitionByDay && o.Impressions > chunkImpressions;
        // Where a user could have more than a chunk, the counts are drawn as the world draws them: as long, so said and cancellable too.
        var counting = new ConsoleProgress("drawing users' activity");
        int? largestPiece;
        try
        {
            largestPiece = inPieces ? SimulationMemoryEstimate.LargestPiece(o, seed, chunkImpressions, counting, cancel) : null;
        }
        finally
        {
            counting.Complete();
        }
        RequireMemory(o, largestPiece, chunkImpressions, partitionByDay, budget);
        // Its own folder's previous simulation is what datagen replaces; a folder inside another dataset would become one of its parts.
        DatasetFolder.RequireNotInside(outDir, "--out", "the simulated log and its ground truth");
        // Held for the whole run, as the other verbs hold theirs: a folder a running verb writes is refused, not replaced under it with
        // its lock. A failed or cancelled write says --out "is left as it was": the lock's release removes a folder it made again.
        using var folder = OutputFolder.Lock(outDir, "--out");
        var dir = outDir!;
        SimulationFiles.RefuseForeignFiles(dir); // before simulating: the write replaces the whole folder
        if (inPieces)
        {
            RunInChunks(o, seed, dir, chunkImpressions, cancel);
            return;
        }
        var clock = Stopwatch.StartNew();
        var world = new ConsoleProgress("drawing the world");
        var progress = new ConsoleProgress("simulating", o.Impressions);
        SimulationResult result;
        try
        {
            result = FeedSimulator.Run(o, seed, progress, cancel, new EndedAtItsEnd(world));
        }
        finally
        {
            world.Complete();
            progress.Complete();
        }
        var simulated = clock.Elapsed;

        var written = Path.Combine(dir, SimulationFiles.InteractionsFileName);
        if (partitionByDay)
        {
            var days = PartitionedSimulationFiles.Write(result, dir, cancel);
            written = $"{Path.Combine(dir, PartitionedSimulationFiles.DirectoryName)}/ ({days} daily partitions)";
        }
        else
        {
            SimulationFiles.Write(result, dir, cancel);
        }
        Console.WriteLine($"wrote {written} and the ground truth ({GroundTruth.ImpressionsFileName}, {GroundTruth.ModelFileName}) "
                          + $"in {clock.Elapsed.TotalSeconds:F1} s (simulation {simulated.TotalSeconds:F1} s).");
        var summary = SimulationSummary.Of(result);
        Console.WriteLine(summary);
        // Known only once simulated (the bands are drawn): the log is written, valid, but train has nothing in it to learn from.
        if (o.Feedback == FeedbackKind.Watch && summary.UnlabeledShare >= 1)
            Console.Error.WriteLine($"warning: --label-sparsity {o.LabelSparsity} left no row of the written log labeled by finish rate (every one watched 20–80%), " +
                "so train has nothing to learn from; lower --label-sparsity");
    }

    /// <summary>A progress line ended once it reaches 100%, for a stage whose line another follows (the world's, then the simulation's).</summary>
    private sealed class EndedAtItsEnd(ConsoleProgress line) : IProgress<double>
    {
        public void Report(double value)
        {
            line.Report(value);
            if (value >= 1) line.Complete();
        }
    }

    /// <summary>
    /// Refuses, before the world is allocated, a simulation estimated to need more than the budget; <paramref name="rowsPerPiece"/> is the
    /// largest piece of one in pieces, which is one user's impressions where they are more than <paramref name="chunkImpressions"/>.
    /// </summary>
    private static void RequireMemory(SimulatorOptions o, int? rowsPerPiece, int chunkImpressions, bool partitioned, MemoryBudget budget)
    {
        var parts = SimulationMemoryEstimate.Of(o, rowsPerPiece, partitioned);
        if (parts.Total <= budget.Bytes) return;
        var pieces = rowsPerPiece switch
        {
            null => "",
            { } piece when piece > chunkImpressions => $" in pieces of up to {piece:N0}, the most active user's, a piece alone whatever --chunk-impressions",
            { } piece => $" in pieces of {piece:N0}",
        };
        throw new ArgumentException($"this simulation needs about {ByteSize.Format(parts.Total)} of memory ({o.Impressions:N0} impressions" +
            $"{pieces}, {o.Users:N0} users, {o.Items:N0} videos), more than {budget.Describe()}; {MemoryAdvice(parts, rowsPerPiece, chunkImpressions, partitioned, budget)}");
    }

    /// <summary>
    /// What to lower, by what the estimate is made of, naming no flag that is given already: the impressions held where they alone
    /// are more than the excess (lowering them can fit the budget; they are what a user scales), else the larger of the users' and
    /// the videos' tables; where the runtime alone is past the budget, no size helps.
    /// </summary>
    private static string MemoryAdvice(SimulationMemoryEstimate.Parts parts, int? rowsPerPiece, int chunkImpressions, bool partitioned, MemoryBudget budget)
    {
        if (SimulationMemoryEstimate.BaselineBytes >= budget.Bytes)
            return $"the runtime and its libraries alone take about {ByteSize.Format(SimulationMemoryEstimate.BaselineBytes)}, whatever the sizes: raise --max-memory";
        var impressionsCanFit = parts.Impressions > parts.Total - budget.Bytes;
        var lower = impressionsCanFit || parts.Impressions >= Math.Max(parts.Users, parts.Items)
            ? rowsPerPiece switch
            {
                null when partitioned => "lower --impressions, or --chunk-impressions below them to write the log in pieces,",
                null => "lower --impressions, write the log in pieces (--partition-by day --chunk-impressions N)",
                { } piece when piece > chunkImpressions => "lower --impressions or raise --users",
                _ => "lower --chunk-impressions",
            }
            : parts.Users >= parts.Items ? "lower --users or --factors" : "lower --items or --factors";
        return $"{lower} or raise --max-memory";
    }

    /// <summary>
    /// A lake past what one log in memory holds: simulated and written a piece of at most <paramref name="chunkImpressions"/> rows at a time,
    /// or of one user's rows where they are more: a user is never split (<see cref="FeedSimulator.RunInChunks"/>), which the console says.
    /// </summary>
    private static void RunInChunks(SimulatorOptions o, int seed, string dir, int chunkImpressions, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var world = new ConsoleProgress("drawing the world");
        var progress = new ConsoleProgress($"simulating in pieces of {chunkImpressions:N0}", o.Impressions);
        (GroundTruth Truth, int Days) written;
        try
        {
            written = PartitionedSimulationFiles.WriteInChunks(o, seed, chunkImpressions, dir, progress, cancel, new EndedAtItsEnd(world));
        }
        finally
        {
            world.Complete();
            progress.Complete();
        }
        var labels = written.Truth.ImpressionLabels;
        Console.WriteLine($"wrote {Path.Combine(dir, PartitionedSimulationFiles.DirectoryName)}/ ({written.Days} daily partitions, the simulation in pieces of at most {Counted.Of(chunkImpressions, "impression")}, " +
            $"or one user's where a user has more) " +
            $"and the ground truth ({GroundTruth.ImpressionsFileName}, {GroundTruth.ModelFileName}) in {clock.Elapsed.TotalSeconds:F1} s.");
        Console.WriteLine($"{Counted.Of(labels.Length, "impression")} by {Counted.Of(o.Users, "user")} on {Counted.Of(o.Items, "item")}; {SimulationSummary.Percent((double)labels.Count(liked => liked) / Math.Max(1, labels.Length))} are truly liked.");
    }
}
