using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

/// <summary>The simulated log looks like a feed log: sizes, ids, durations, times, no repeats.</summary>
public class LogShapeTests
{
    [Fact]
    public void Tiny_preset_has_its_sizes_and_every_watch_column()
    {
        var o = SimulatorPresets.Get("tiny");
        var log = SimulatedLogs.TinyWatch.Log;

        Assert.Equal(o.Impressions, log.Count);
        Assert.Equal(o.Users, log.UserId.Distinct().Count());
        Assert.True(log.ItemId.Distinct().Count() <= o.Items);
        Assert.NotNull(log.TimestampMs);
        Assert.All(new[] { log.PlayTimeMs!.HasValue, log.DurationMs!.HasValue, log.Like!.HasValue, log.Hate!.HasValue },
            mask => Assert.All(mask, Assert.True));
        Assert.Null(log.Rating);
        Assert.Null(log.Split);
        Assert.Equal(log.Count, SimulatedLogs.TinyWatch.Truth.ImpressionLabels.Length);
    }

    [Fact]
    public void Raw_ids_are_large_and_scattered_not_dense_indices()
    {
        var truth = SimulatedLogs.TinyWatch.Truth;
        Assert.All(truth.UserIds, id => Assert.True(id > 1_000_000));
        Assert.All(truth.ItemIds, id => Assert.True(id > 1_000_000));
        Assert.Equal(truth.UserIds.Count, truth.UserIds.Distinct().Count());
        Assert.Equal(truth.ItemIds.Count, truth.ItemIds.Distinct().Count());
    }

    [Fact]
    public void Scrambled_ids_are_distinct_and_positive_over_a_wide_range()
    {
        var users = Enumerable.Range(0, 200_000).Select(IdScrambler.User).ToArray();
        Assert.Equal(users.Length, users.Distinct().Count());
        Assert.All(users, id => Assert.True(id > 0));
        Assert.NotEqual(IdScrambler.User(5), IdScrambler.Item(5));
    }

    [Fact]
    public void Durations_play_times_and_timestamps_are_consistent()
    {
        var o = SimulatorPresets.Get("tiny");
        var log = SimulatedLogs.TinyWatch.Log;
        var durationOfItem = new Dictionary<long, long>();
        for (var row = 0; row < log.Count; row++)
        {
            var duration = log.DurationMs!.Values[row];
            Assert.InRange(duration, (long)(o.MinDurationSeconds * 1000), (long)(o.MaxDurationSeconds * 1000));
            Assert.InRange(log.PlayTimeMs!.Values[row], 0, duration);
            // A video has one duration wherever it is shown.
            Assert.Equal(duration, durationOfItem.TryAdd(log.ItemId[row], duration) ? duration : durationOfItem[log.ItemId[row]]);
            if (row > 0 && log.UserId[row] == log.UserId[row - 1])
                Assert.True(log.TimestampMs![row] > log.TimestampMs[row - 1], $"row {row}: time does not increase for the user");
        }
        // Durations span seconds to minutes.
        Assert.True(durationOfItem.Values.Min() < 15_000 && durationOfItem.Values.Max() > 90_000);
    }

    [Fact]
    public void No_user_is_shown_the_same_video_twice()
    {
        var log = SimulatedLogs.LargeWatch.Log;
        var pairs = new HashSet<(long, long)>();
        for (var row = 0; row < log.Count; row++)
            Assert.True(pairs.Add((log.UserId[row], log.ItemId[row])), $"row {row} repeats an impression");
    }

    [Fact]
    public void Exposure_is_skewed_towards_popular_videos()
    {
        var log = SimulatedLogs.LargeWatch.Log;
        var shows = log.ItemId.GroupBy(id => id).Select(g => g.Count()).OrderByDescending(n => n).ToArray();
        var topTenPercent = shows.Take(SimulatedLogs.Large.Items / 10).Sum();
        // Uniform exposure would give the top 10% of videos barely more than 10% of impressions.
        Assert.True(topTenPercent > 0.3 * log.Count, $"top 10% of videos got {(double)topTenPercent / log.Count:P1}");
    }

    [Theory]
    [InlineData(5, 20, 90)]
    [InlineData(5, 20, 100)]     // every pair
    [InlineData(100, 100, 9_000)]
    public void Heavy_users_on_a_small_catalogue_are_capped_at_the_catalogue_and_the_rest_go_to_others(int users, int items, int impressions)
    {
        var o = new SimulatorOptions(Users: users, Items: items, Impressions: impressions, UserActivitySigma: 2);
        var r = FeedSimulator.Run(o, seed: 1);
        Assert.Equal(impressions, r.Log.Count);
        Assert.Contains(r.Log.UserId.GroupBy(id => id), g => g.Count() == items); // some user was capped
        Assert.All(r.Log.UserId.GroupBy(id => id), g => Assert.True(g.Count() <= items));
        Assert.All(r.Log.UserId.Zip(r.Log.ItemId).GroupBy(p => p), g => Assert.Single(g));
    }

    [Fact]
    public void More_impressions_than_user_video_pairs_are_refused_naming_the_flags()
    {
        var e = Assert.Throws<ArgumentException>(() => new SimulatorOptions(Users: 100, Items: 100, Impressions: 10_001).Validate());
        Assert.Equal("--impressions must be at most the 10,000 user–video pairs (--users × --items), got 10,001.", e.Message);
    }

    [Fact]
    public void A_setting_a_flag_gives_is_refused_by_the_flag_with_thousands_separators()
    {
        // It was "simulator setting Factors must be from 1 to 1024 (--factors), got 2,000.": the internal name, the bound unseparated.
        var e = Assert.Throws<ArgumentException>(() => new SimulatorOptions(Users: 100, Items: 100, Impressions: 1_000, Factors: 2_000).Validate());
        Assert.Equal("--factors must be from 1 to 1,024, got 2,000.", e.Message);
    }

    [Fact]
    public void A_whole_log_past_its_bound_is_refused_before_anything_is_simulated()
    {
        var options = new SimulatorOptions(Users: 1_000, Items: 1_000_000, Impressions: SimulatorOptions.MaxWholeImpressions + 1);
        var e = Assert.Throws<ArgumentException>(() => FeedSimulator.Run(options, seed: 1));
        Assert.StartsWith($"--impressions must be at most {SimulatorOptions.MaxWholeImpressions:N0}, got ", e.Message);
    }

    [Fact]
    public void Same_seed_gives_the_same_log_and_another_seed_does_not()
    {
        var o = SimulatorPresets.Get("tiny");
        var a = FeedSimulator.Run(o, seed: 5);
        var b = FeedSimulator.Run(o, seed: 5);
        var c = FeedSimulator.Run(o, seed: 6);

        Assert.Equal(a.Log.UserId, b.Log.UserId);
        Assert.Equal(a.Log.ItemId, b.Log.ItemId);
        Assert.Equal(a.Log.TimestampMs, b.Log.TimestampMs);
        Assert.Equal(a.Log.PlayTimeMs!.Values, b.Log.PlayTimeMs!.Values);
        Assert.Equal(a.Log.Like!.Values, b.Log.Like!.Values);
        Assert.Equal(a.Truth.ImpressionLabels, b.Truth.ImpressionLabels);
        Assert.Equal(a.Truth.GlobalBias, b.Truth.GlobalBias);
        Assert.NotEqual(a.Log.ItemId, c.Log.ItemId);
    }

    [Fact]
    public void Bad_settings_are_rejected_naming_the_setting()
    {
        var e = Assert.Throws<ArgumentException>(() => FeedSimulator.Run(new SimulatorOptions(10, 10, 100, FalseNegativeRate: 1.5), 1));
        Assert.Equal("--false-negative-rate must be in [0, 1], got 1.5.", e.Message);
        e = Assert.Throws<ArgumentException>(() => FeedSimulator.Run(new SimulatorOptions(10, 10, 5), 1));
        Assert.StartsWith("10 users (--users) need at least as many impressions (--impressions)", e.Message);
    }

    public static TheoryData<SimulatorOptions, string> OutOfRangeSettings
    {
        get
        {
            var tiny = SimulatorPresets.Get("tiny");
            return new()
            {
                { tiny with { Users = 0 }, "--users must be from 1 to " },
                { tiny with { Items = 0 }, "--items must be from 1 to " },
                { tiny with { Factors = 0 }, "--factors must be from 1 to " },
                { tiny with { LikedShare = 1 }, "--liked-share must be strictly between 0 and 1, got 1." },
                { tiny with { FalsePositiveRate = 2 }, "--false-positive-rate must be in [0, 1], got 2." },
                { tiny with { LabelSparsity = 1 }, "--label-sparsity must be in [0, 1), got 1." },
                { tiny with { LikeRate = 2 }, "--like-rate must be in [0, 1], got 2." },
                { tiny with { HateRate = 2 }, "--hate-rate must be in [0, 1], got 2." },
            };
        }
    }

    [Theory]
    [MemberData(nameof(OutOfRangeSettings))]
    public void Each_setting_out_of_its_range_is_refused_naming_its_flag(SimulatorOptions options, string said)
    {
        var e = Assert.Throws<ArgumentException>(() => options.Validate());
        Assert.StartsWith(said, e.Message);
    }

    public static TheoryData<SimulatorOptions, string> NonFiniteSettings
    {
        get
        {
            var tiny = SimulatorPresets.Get("tiny");
            return new()
            {
                { tiny with { PreferenceScale = double.PositiveInfinity }, "--preference-scale" },
                { tiny with { UserBiasScale = 1e300 }, "--user-bias-scale" },
                { tiny with { ItemBiasScale = double.NaN }, "--item-bias-scale" },
                { tiny with { PopularityExponent = double.PositiveInfinity }, "simulator setting PopularityExponent" },
                { tiny with { UserActivitySigma = double.PositiveInfinity }, "simulator setting UserActivitySigma" },
                { tiny with { MinDurationSeconds = double.PositiveInfinity, MaxDurationSeconds = double.PositiveInfinity }, "simulator setting MinDurationSeconds" },
                { tiny with { MaxDurationSeconds = double.PositiveInfinity }, "simulator setting MaxDurationSeconds" },
                { tiny with { MedianDurationSeconds = double.PositiveInfinity }, "simulator setting MedianDurationSeconds" },
                { tiny with { DurationSigma = double.PositiveInfinity }, "simulator setting DurationSigma" },
                { tiny with { MeanGapSeconds = double.PositiveInfinity }, "simulator setting MeanGapSeconds" },
                { tiny with { RatingNoise = double.PositiveInfinity }, "simulator setting RatingNoise" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(NonFiniteSettings))]
    public void Infinite_or_overflowing_settings_are_rejected_naming_the_setting(SimulatorOptions options, string setting)
    {
        var e = Assert.Throws<ArgumentException>(() => options.Validate());
        Assert.StartsWith($"{setting} must be ", e.Message);
    }

    [Fact]
    public void Presets_are_listed_and_unknown_names_rejected()
    {
        Assert.Equal(["tiny", "default", "micro-video"], SimulatorPresets.Names);
        var e = Assert.Throws<ArgumentException>(() => SimulatorPresets.Get("huge"));
        Assert.Contains("tiny, default, micro-video", e.Message);
    }

    [Fact]
    public void Progress_is_reported_monotonically_up_to_one()
    {
        var reports = new List<double>();
        FeedSimulator.Run(SimulatorPresets.Get("tiny"), 1, new SynchronousProgress(reports.Add));
        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports[^1], 9);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second >= p.First));
    }

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
