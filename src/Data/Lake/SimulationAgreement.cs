using InverseLearning.Data.Simulation;

namespace InverseLearning.Data;

/// <summary>
/// The part files of one dataset are one simulation's, where datagen stamped them: parts of two (two lakes copied under one
/// folder, a glob over both, their truths left behind) would be read as one log without a word, each the other's rows. Parts
/// without a stamp (another tool's) are not judged here: beside a truth, the truth's check names them.
/// </summary>
internal sealed class SimulationAgreement
{
    private (string Path, string Stamp)? _first;

    /// <summary>Refuses <paramref name="part"/> when its stamp is another simulation's than the first stamped part's.</summary>
    public void Check(ParquetPart part)
    {
        if (SimulationStamp.In(part.Metadata) is not { } stamp) return;
        _first ??= (part.Path, stamp);
        if (stamp != _first.Value.Stamp)
            throw new DataException($"{part.Path}: a part of another simulation than {_first.Value.Path} (stamps {stamp} and {_first.Value.Stamp}): " +
                "read as one log, each simulation's rows would be taken for the other's; give one simulation's parts as --data");
    }
}
