using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Evaluation;

/// <summary>
/// Scores a block of users against the whole catalogue in one run of a model's own block graph:
/// input "user" [B] (int64 indices), output "logits" [B, items], reading the scoring tables its
/// source binds. What GMF's bilinear form and LightGCN's dot product both reduce to.
/// </summary>
public sealed class WholeBlockScorer : IDeviceBlockScorer
{
    public const string UserInput = "user", LogitsOutput = "logits";
    private readonly IScoringSource _source;
    private readonly GraphSession _session;
    private readonly long[] _users;

    public WholeBlockScorer(IScoringSource source, byte[] blockGraph, ExecutionDevice device)
    {
        _source = source;
        ItemRows = source.Store.ItemRows;
        MaxUsers = UserBlockScorer.UsersPerBlock(ItemRows);
        _users = new long[MaxUsers];
        _session = new GraphSession(blockGraph, device);
    }

    public int MaxUsers { get; }
    public int ItemRows { get; }

    public void Score(ReadOnlySpan<int> users, float[] logits)
    {
        UserBlockScorer.BindBlock(_session, _source, users, _users, UserInput);
        _session.Output(LogitsOutput, logits, users.Length, ItemRows);
        _session.Run();
    }

    public void Score(ReadOnlySpan<int> users, TensorMemory logits)
    {
        UserBlockScorer.BindBlock(_session, _source, users, _users, UserInput);
        _session.Output(LogitsOutput, logits, users.Length, ItemRows);
        _session.Run();
    }

    public void Dispose()
    {
        _session.Dispose();
        _source.Dispose();
    }
}
