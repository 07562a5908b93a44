using InverseLearning.Data;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// The lake parts a run's coordinator read and the lake's listing as it began (what its checkpoint records), carried by the run's
/// opening: a worker of a fresh run reads those parts, not the lake as it is when it lists it, since a part added meanwhile would
/// give it other data than its coordinator's. <see cref="Parts"/> is null for a log of one file, and in an opening saved by a
/// build before openings carried them: its workers read the log as they find it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class OpenedLake
{
    [Id(0)] public OpenedPart[]? Parts { get; init; }

    /// <summary>Every part below the lake's root as the coordinator listed it; null where it could not tell (a glob's root that is no dataset).</summary>
    [Id(1)] public string[]? Listing { get; init; }

    /// <summary>What <paramref name="data"/>'s run read of its lake, as its checkpoint records it.</summary>
    public static OpenedLake Of(PreparedDataset data) => new()
    {
        Parts = data.ReadParts?.Select(p => new OpenedPart { Path = p.Path, Rows = p.Rows, Bytes = p.Stamp?.Bytes, FooterSha256 = p.Stamp?.FooterSha256 }).ToArray(),
        Listing = data.LakeListing?.ToArray(),
    };

    /// <summary>The parts, as a checkpoint records those its run read; null where the opening carries none.</summary>
    public IReadOnlyList<ReadPart>? ReadParts() => Parts?.Select(p =>
        new ReadPart(p.Path, p.Rows, p is { Bytes: { } bytes, FooterSha256: { } footer } ? new PartStamp(bytes, footer) : null)).ToList();
}

/// <summary>One part of an <see cref="OpenedLake"/>: its path below the lake's root, the rows its footer declared, and its stamp where it was taken.</summary>
[GenerateSerializer, Immutable]
public sealed class OpenedPart
{
    [Id(0)] public string Path { get; init; } = "";
    [Id(1)] public long Rows { get; init; }
    [Id(2)] public long? Bytes { get; init; }
    [Id(3)] public string? FooterSha256 { get; init; }
}
