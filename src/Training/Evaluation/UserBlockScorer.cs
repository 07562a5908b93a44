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

/// <summary>Picks the scorer for a model: its own block form when it has one (GMF's bilinear product, the NCF tower with its first layer split), else pair by pair through its scoring graph.</summary>
public static class UserBlockScorer
{
    /// <summary>Scores per block are capped near this many floats (32 MB), whatever the catalogue.</summary>
    public const int BlockScores = 1 << 23;

    /// <summary>The scorer for <paramref name="source"/>'s model; it reads the tables through the source and owns it.</summary>
    public static IUserBlockScorer For(IScoringSource source, ExecutionDevice device) =>
        source.Store.Model.CreateBlockScorer(source, device) ?? new PairwiseBlockScorer(source, device);

    public static IUserBlockScorer For(IParameterStore store, ExecutionDevice device) => For(store.Model.CreateScoringSource(store, device), device);

    /// <summary>Binds the scoring tables for the block and its users (as int64, through <paramref name="buffer"/>, which bounds the block).</summary>
    internal static void BindBlock(GraphSession session, IScoringSource source, ReadOnlySpan<int> users, long[] buffer, string input)
    {
        if (users.Length > buffer.Length) throw new ArgumentException($"{users.Length} users in one block, at most {buffer.Length}", nameof(users));
        for (var b = 0; b < users.Length; b++) buffer[b] = users[b];
        source.Bind(session, users);
        session.Input(input, buffer, users.Length);
    }

    /// <summary>Users per block: as many as fit <see cref="BlockScores"/>, at least 1, at most 256.</summary>
    public static int UsersPerBlock(int itemRows) => Math.Clamp(BlockScores / Math.Max(1, itemRows), 1, 256);
}
