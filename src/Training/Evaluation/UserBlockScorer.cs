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

/// <summary>Picks the scorer for a model: GMF's bilinear form as one matrix product per block, NeuMF's and MLP's tower with its first layer split, any other model pair by pair.</summary>
public static class UserBlockScorer
{
    /// <summary>Scores per block are capped near this many floats (32 MB), whatever the catalogue.</summary>
    public const int BlockScores = 1 << 23;

    public static IUserBlockScorer For(ParameterStore store, ExecutionDevice device) => store.Model switch
    {
        Gmf => new GmfBlockScorer(store, device),
        NeuMf or Mlp => new TowerBlockScorer(store, device),
        _ => new PairwiseBlockScorer(store, device),
    };

    /// <summary>Binds the store's parameters and the block's users (as int64, through <paramref name="buffer"/>, which bounds the block).</summary>
    internal static void BindBlock(GraphSession session, ParameterStore store, ReadOnlySpan<int> users, long[] buffer, string input)
    {
        if (users.Length > buffer.Length) throw new ArgumentException($"{users.Length} users in one block, at most {buffer.Length}", nameof(users));
        for (var b = 0; b < users.Length; b++) buffer[b] = users[b];
        foreach (var p in store.All) session.Input(p.Name, p.Values, p.Shape);
        session.Input(input, buffer, users.Length);
    }

    /// <summary>Users per block: as many as fit <see cref="BlockScores"/>, at least 1, at most 256.</summary>
    public static int UsersPerBlock(int itemRows) => Math.Clamp(BlockScores / Math.Max(1, itemRows), 1, 256);
}
