namespace InverseLearning.Training.Models;

/// <summary>
/// LightGCN's normalized user–item graph: one edge per distinct (user, item) training positive,
/// weighted 1/√(|N_u|·|N_i|) (the symmetric normalization D^−½ A D^−½). Arrays are pinned:
/// every step binds them as graph inputs in place.
/// </summary>
public sealed class InteractionGraph
{
    private InteractionGraph(long[] users, long[] items, float[] weights)
    {
        Users = users;
        Items = items;
        Weights = weights;
    }

    public long[] Users { get; }
    public long[] Items { get; }
    public float[] Weights { get; }
    public int EdgeCount => Users.Length;

    public static InteractionGraph From(UserHistory history)
    {
        var edges = history.Items.Length;
        var itemDegree = new int[history.ItemBound];
        foreach (var item in history.Items) itemDegree[item]++;
        // A graph with no edge still feeds the graph one edge of weight 0 (ORT and the graph's shapes want at least one).
        var count = Math.Max(edges, 1);
        var users = GC.AllocateArray<long>(count, pinned: true);
        var items = GC.AllocateArray<long>(count, pinned: true);
        var weights = GC.AllocateArray<float>(count, pinned: true);
        var e = 0;
        for (var u = 0; u < history.UserCount; u++)
        {
            var neighbours = history.Of(u);
            foreach (var item in neighbours)
            {
                users[e] = u;
                items[e] = item;
                weights[e++] = (float)(1 / Math.Sqrt((double)neighbours.Length * itemDegree[item]));
            }
        }
        return new InteractionGraph(users, items, weights);
    }
}
