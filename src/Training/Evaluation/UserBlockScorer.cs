using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Evaluation;

/// <summary>
/// Scores a block of users against every item row of the catalogue in ORT, from a store's
/// tables in place: logits[b · ItemRows + i] for the block's b-th user and item row i
/// (row 0, the unknown item, included; the caller skips it).
/// </summary>
public interface IUserBlockScorer : IDisposable
{
    /// <summary>The most users one call takes.</summary>
    int MaxUsers { get; }

    int ItemRows { get; }

    /// <summary>Fills the first users.Length × <see cref="ItemRows"/> entries of <paramref name="logits"/>.</summary>
    void Score(ReadOnlySpan<int> users, float[] logits);
}

/// <summary>Picks the scorer for a model: GMF's bilinear form as one matrix product per block, any other model pair by pair.</summary>
public static class UserBlockScorer
{
    /// <summary>Scores per block are capped near this many floats (32 MB), whatever the catalogue.</summary>
    public const int BlockScores = 1 << 23;

    public static IUserBlockScorer For(ParameterStore store, ExecutionDevice device) =>
        store.Model is Gmf ? new GmfBlockScorer(store, device) : new PairwiseBlockScorer(store, device);

    /// <summary>Users per block: as many as fit <see cref="BlockScores"/>, at least 1, at most 256.</summary>
    public static int UsersPerBlock(int itemRows) => Math.Clamp(BlockScores / Math.Max(1, itemRows), 1, 256);
}
