using System.CommandLine;

namespace InverseLearning.Training.Cli;

/// <summary>`--stream` and `--shuffle-buffer`: train without holding the log's training rows (see README, "Logs larger than memory").</summary>
public sealed class StreamOptions
{
    public Option<bool> Stream { get; } = new("--stream")
    {
        Description = "read the training rows from the lake at every epoch instead of holding them (one first pass builds the vocabulary, " +
            "the seen index and the held-out rows); splits by hash of (user, item, seed), or by day with --split time",
    };
    public Option<int> ShuffleBuffer { get; } = new Option<int>("--shuffle-buffer")
    { Description = $"with --stream: rows an epoch shuffles within, beside its row groups' drawn order (default {TrainSettings.DefaultShuffleBuffer:N0}, 12 bytes each)" }.Within(1, TrainSettings.MaxShuffleBuffer);

    public void AddTo(Command command)
    {
        command.Options.Add(Stream);
        command.Options.Add(ShuffleBuffer);
    }

    /// <summary>
    /// <paramref name="settings"/> with the streaming flags; --stream splits by hash unless --split time is given, and refuses --split random.
    /// A run <paramref name="resuming"/> streams as its checkpoint did, so its --shuffle-buffer is checked against that (<see cref="ForResume"/>).
    /// </summary>
    public TrainSettings Apply(ParseResult parse, TrainSettings settings, TimeSplitOptions split, bool resuming = false)
    {
        var buffer = parse.GetResult(ShuffleBuffer) is { Implicit: false } ? parse.GetValue(ShuffleBuffer) : (int?)null;
        if (!parse.GetValue(Stream))
            return buffer is null || resuming ? settings : throw new ArgumentException("--shuffle-buffer applies to --stream only; add --stream or leave --shuffle-buffer out");
        if (parse.GetResult(split.Split) is { Implicit: false } && parse.GetValue(split.Split) == TimeSplitOptions.Random)
            throw new ArgumentException("--stream splits by hash of (user, item, seed) or by day, which a streamed read can make: leave out --split random, or give --split hash or --split time");
        return settings with { Stream = true, HashSplit = settings.TimeSplit is null, ShuffleBuffer = buffer };
    }

    /// <summary>A resumed run streams as its checkpoint did; a --stream that contradicts it is refused.</summary>
    public TrainSettings ForResume(ParseResult parse, TrainSettings settings, TrainSettings saved)
    {
        if (parse.GetValue(Stream) && !saved.Stream)
            throw new ArgumentException("--resume: --stream contradicts the checkpoint, which was trained on the log held in memory");
        if (parse.GetResult(ShuffleBuffer) is { Implicit: false } && !saved.Stream)
            throw new ArgumentException("--resume: --shuffle-buffer applies to streamed runs, and the checkpoint was trained on the log held in memory");
        if (parse.GetResult(ShuffleBuffer) is { Implicit: false } && parse.GetValue(ShuffleBuffer) != saved.EffectiveShuffleBuffer)
            throw new ArgumentException($"--resume: --shuffle-buffer {parse.GetValue(ShuffleBuffer)} contradicts the checkpoint's {saved.EffectiveShuffleBuffer}");
        return settings with { Stream = saved.Stream, HashSplit = saved.HashSplit, ShuffleBuffer = saved.ShuffleBuffer };
    }
}
