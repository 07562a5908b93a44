using System.Runtime.InteropServices;
using System.Security.Cryptography;
using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

/// <summary>A user's impressions come in sessions over the log's 30 days, and the sessions change no column but the timestamps.</summary>
public class SessionTimestampTests
{
    [Fact]
    public void A_time_split_of_the_tiny_preset_holds_out_mostly_users_seen_in_training()
    {
        var log = SimulatedLogs.TinyWatch.Log;
        var days = log.TimestampMs!.Select(UtcDay.Of).ToArray();
        var cut = DayCut.Of(new TimeSplit(1, 1), days, "timestamp", replacedSplitColumn: false, "tiny");
        var trained = new HashSet<long>();
        var heldOut = new Dictionary<SplitTag, HashSet<long>> { [SplitTag.Valid] = [], [SplitTag.Test] = [] };
        for (var row = 0; row < log.Count; row++)
        {
            var tag = cut.TagOf(days[row]);
            if (tag == SplitTag.Train) trained.Add(log.UserId[row]);
            else heldOut[tag].Add(log.UserId[row]);
        }
        foreach (var (tag, users) in heldOut)
        {
            // A day holds about a thirtieth of the users' sessions (200 users of about 2.5 sessions each), not the few last users' spill past the 30 days.
            Assert.True(users.Count >= 10, $"{tag}: {users.Count} users");
            var warm = users.Count(trained.Contains);
            Assert.True(warm >= 0.8 * users.Count, $"{tag}: {warm} of {users.Count} users seen in training");
        }
    }

    [Fact]
    public void Sessions_change_no_column_but_the_timestamps()
    {
        // Hashes of the log's other columns and the true labels as the simulator made them when every user had one session.
        var watch = SimulatedLogs.TinyWatch;
        var rating = FeedSimulator.Run(SimulatorPresets.Get("tiny") with { Feedback = FeedbackKind.Rating }, seed: 3);
        Assert.Equal("F5CB09A0ADEFB747", HashWithoutTimestamps(watch));
        Assert.Equal("81400EF940D9A9E0", HashWithoutTimestamps(rating));
    }

    [Fact]
    public void A_session_that_runs_into_the_next_ones_slot_delays_it_rather_than_overlapping_it()
    {
        // Pauses of hours make a session of 20 impressions last days, longer than many a slot: the next session starts after it.
        var options = SimulatorPresets.Get("tiny") with { MeanGapSeconds = 20_000 };
        var result = FeedSimulator.Run(options, seed: 3);
        var log = result.Log;
        var backwards = 0;
        for (var row = 1; row < log.Count; row++)
            if (log.UserId[row] == log.UserId[row - 1] && log.TimestampMs![row] < log.TimestampMs[row - 1] + log.PlayTimeMs!.Values[row - 1])
                backwards++;
        Assert.Equal(0, backwards);
    }

    [Fact]
    public void The_last_session_starts_in_time_to_end_within_the_logs_30_days()
    {
        // A slot per session over the 30 days less the last session's 6 hours of room: a session (20 impressions of at most
        // 10 minutes, pauses of seconds) ends hours before the 30 days do, so no impression falls on a 31st day.
        var options = SimulatorPresets.Get("tiny") with { Users = 2_000, Items = 500, Impressions = 100_000 };
        var log = FeedSimulator.Run(options, seed: 3).Log;
        var end = options.StartTimestampMs + 30L * 24 * 3600 * 1000 - 2L * 3600 * 1000;
        var late = log.TimestampMs!.Count(t => t >= end);
        Assert.True(late == 0, $"{late} impressions in the log's last 2 hours");
    }

    private static string HashWithoutTimestamps(SimulationResult result)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var log = result.Log;
        void Add<T>(T[] values) where T : struct => hash.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
        void AddNullable<T>(NullableColumn<T>? column) where T : struct
        {
            if (column is null) return;
            Add(column.Values);
            Add(column.HasValue);
        }
        Add(log.UserId);
        Add(log.ItemId);
        AddNullable(log.PlayTimeMs);
        AddNullable(log.DurationMs);
        AddNullable(log.Like);
        AddNullable(log.Hate);
        AddNullable(log.Rating);
        Add(result.Truth.ImpressionLabels);
        return Convert.ToHexString(hash.GetHashAndReset())[..16];
    }
}
