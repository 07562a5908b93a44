using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Models;

/// <summary>
/// LightGCN's score is a dot product of final embeddings, so a block of users against the whole
/// catalogue is one matrix product [B, dim] × [dim, items] over the propagated tables.
/// </summary>
public sealed class LightGcnBlockScorer : IUserBlockScorer
{
    private const string UserInput = "user", LogitsOutput = "logits";
    private readonly IScoringSource _source;
    private readonly GraphSession _session;
    private readonly long[] _users;

    public LightGcnBlockScorer(LightGcn model, IScoringSource source, ExecutionDevice device)
    {
        _source = source;
        ItemRows = source.Store.ItemRows;
        MaxUsers = UserBlockScorer.UsersPerBlock(ItemRows);
        _users = new long[MaxUsers];
        _session = new GraphSession(Graph(model), device);
    }

    public int MaxUsers { get; }
    public int ItemRows { get; }

    public void Score(ReadOnlySpan<int> users, float[] logits)
    {
        UserBlockScorer.BindBlock(_session, _source, users, _users, UserInput);
        _session.Output(LogitsOutput, logits, users.Length, ItemRows);
        _session.Run();
    }

    private static byte[] Graph(LightGcn model)
    {
        var g = new GraphBuilder("lightgcn_user_block");
        var users = g.Input(UserInput, DType.Int64, Dim.Named("B"));
        var userTable = g.Input(model.FinalUsers.Name, DType.Float, Dim.Named("users"), model.FinalUsers.Dim);
        var itemTable = g.Input(model.FinalItems.Name, DType.Float, Dim.Named("items"), model.FinalItems.Dim);
        return g.ToBytes([g.Named(g.MatMul(g.Gather(userTable, users), g.Transpose(itemTable, 1, 0)), LogitsOutput)]);
    }

    public void Dispose()
    {
        _session.Dispose();
        _source.Dispose();
    }
}
