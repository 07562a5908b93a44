using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace InverseLearning.Data.Simulation;

/// <summary>
/// Which simulation wrote a file: a hash of the simulator's options and seed, kept in the Parquet footer's key-value
/// metadata of the log's parts and of truth.parquet. Two simulations of the same size (another seed, another noise) match
/// row for row in count, so only this tells a truth beside a log that is not its own. A function of the options and the
/// seed, not a random id, so that the same simulation, written whole or in pieces, stays byte for byte the same.
/// </summary>
public static class SimulationStamp
{
    public const string Key = "inverselearning.simulation";

    public static string Of(SimulatorOptions options, int seed)
    {
        var described = JsonSerializer.Serialize(options) + $"|seed={seed}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(described)))[..32];
    }

    /// <summary>The stamp a footer's metadata holds; null for a file written by anything but datagen (or by a build before stamps).</summary>
    public static string? In(IReadOnlyDictionary<string, string> metadata) => metadata.GetValueOrDefault(Key);

    /// <summary>The footer metadata that records <paramref name="stamp"/>; none without one.</summary>
    public static IReadOnlyDictionary<string, string>? Metadata(string? stamp) =>
        stamp is null ? null : new Dictionary<string, string> { [Key] = stamp };
}
