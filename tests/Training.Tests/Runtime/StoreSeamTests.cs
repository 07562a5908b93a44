using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;
using InverseLearning.Training.Tests.EndToEnd;

namespace InverseLearning.Training.Tests.Runtime;

/// <summary>
/// The store is a seam: a second store, which keeps every row as its own array (as a sharded or
/// device store keeps rows out of reach of the host arrays), trains every kind of backbone to
/// the same bytes as the host store. If any part of the runtime reached around the interface
/// to the host arrays, this store's rows would never be read or written and results would part.
/// </summary>
public class StoreSeamTests : IClassFixture<TinyFeed>
{
    private readonly TinyFeed _feed;

    public StoreSeamTests(TinyFeed feed) => _feed = feed;

    [Theory]
    [InlineData("gmf", "ig")]
    [InlineData("neumf", "dns")]
    [InlineData("cdae", "ns")]
    [InlineData("lightgcn", "idl")]
    public void A_store_of_row_arrays_trains_to_the_same_bytes_as_the_host_store(string model, string method)
    {
        var settings = new TrainSettings { Model = model, Method = method, Epochs = 2, BatchSize = 256, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5 }
            .WithOption(TowerOptions.Layers, 2);
        using var host = new Trainer(settings, _feed.Data);
        RowArrayStore? rowStore = null;
        using var rows = new Trainer(settings, _feed.Data, store: request => rowStore = new RowArrayStore(new HostParameterStore(request)));
        host.Run();
        rows.Run();
        Assert.True(rowStore!.RowsPushed > 0, "the trainer never pushed a step's rows to its store");
        Assert.Equal(host.Scorer.Evaluate(_feed.Data.Test), rows.Scorer.Evaluate(_feed.Data.Test));
        var dir = _feed.Scratch($"seam-{model}-{method}");
        Checkpoint.Save(Path.Combine(dir, "host"), host.Store, host.State);
        Checkpoint.Save(Path.Combine(dir, "rows"), rows.Store, rows.State);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "host")), File.ReadAllBytes(Path.Combine(dir, "rows")));
    }

    /// <summary>
    /// The device store under the CPU provider: tables in memory ORT allocated, rows gathered and
    /// scattered back in place by ORT graphs instead of host copies. Gather and ScatterND move
    /// floats without arithmetic, and the step graphs are the same, so the bytes are the same.
    /// </summary>
    [Theory]
    [InlineData("gmf", "none", false)]
    [InlineData("gmf", "ig", false)]
    [InlineData("neumf", "none", false)]
    [InlineData("neumf", "ig", false)]
    [InlineData("lightgcn", "none", false)]
    [InlineData("lightgcn", "ig", false)]
    [InlineData("cdae", "ns", false)]
    [InlineData("neumf", "srns", false)]
    [InlineData("gmf", "tce", true)]
    public void The_device_store_trains_to_the_same_bytes_as_the_host_store(string model, string method, bool freshOptimizer)
    {
        var settings = new TrainSettings { Model = model, Method = method, Epochs = 2, BatchSize = 256, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5, FreshOptimizer = freshOptimizer }
            .WithOption(TowerOptions.Layers, 2);
        using var host = new Trainer(settings with { Store = "host" }, _feed.Data);
        using var device = new Trainer(settings with { Store = "device" }, _feed.Data);
        Assert.IsType<HostParameterStore>(host.Store);
        Assert.IsType<DeviceParameterStore>(device.Store);
        host.Run();
        device.Run();
        Assert.Equal(host.Scorer.Evaluate(_feed.Data.Test), device.Scorer.Evaluate(_feed.Data.Test));
        // Every tensor a checkpoint holds (the checkpoints' settings differ by --store).
        Assert.Equal(host.Store.Step, device.Store.Step);
        for (var k = 0; k < host.Store.Parameters.Count; k++)
            for (var slot = 0; slot <= host.Store.StateSlots; slot++)
                Assert.Equal(Tensor(host.Store, k, slot), Tensor(device.Store, k, slot));
    }

    /// <summary>
    /// A device store's full ranking scores the blocks where the tables are and takes the top-K
    /// there (ScatterND masks, ONNX TopK); the host store's ranks on the host. Same lists, same metrics.
    /// </summary>
    [Theory]
    [InlineData("gmf")]
    [InlineData("lightgcn")]
    public void The_full_ranking_on_the_device_store_matches_the_host_stores(string model)
    {
        var settings = new TrainSettings { Model = model, Method = "ns", Epochs = 1, BatchSize = 256, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5 };
        using var host = new Trainer(settings with { Store = "host" }, _feed.Data);
        using var device = new Trainer(settings with { Store = "device" }, _feed.Data);
        host.Run();
        device.Run();
        var test = _feed.Data.Test;
        var positives = InverseLearning.Training.Evaluation.TestPositives.Where(test, test.Labels);
        var ranking = new InverseLearning.Training.Evaluation.FullRanking(_feed.Data, positives, "labels", [1, 5, 50]);
        var onHost = ranking.Evaluate(host.Store, host.Engine.Device);
        var onDevice = ranking.Evaluate(device.Store, device.Engine.Device);
        Assert.True(onHost.Recall.Sum() > 0, "no hit at all: the comparison would not see a wrong list");
        Assert.Equal(onHost.Users, onDevice.Users);
        Assert.Equal(onHost.Recall, onDevice.Recall);
        Assert.Equal(onHost.Ndcg, onDevice.Ndcg);
    }

    private static float[] Tensor(IParameterStore store, int parameter, int slot)
    {
        var values = new float[store.Parameters[parameter].Length];
        store.Read(parameter, slot, values);
        return values;
    }

    /// <summary>Every parameter's rows as separate arrays (a dense parameter is one row); initialised from a host store, then on its own.</summary>
    private sealed class RowArrayStore : IParameterStore
    {
        private readonly float[][][][] _rows;     // [parameter][slot][row] → that row's values
        private long _version;

        public RowArrayStore(HostParameterStore initial)
        {
            Model = initial.Model;
            (UserRows, ItemRows, StateSlots, Parameters) = (initial.UserRows, initial.ItemRows, initial.StateSlots, initial.Parameters);
            _rows = initial.All.Select(p => new[] { p.Values }.Concat(p.State)
                .Select(tensor => tensor.Chunk(p.RowWidth).ToArray()).ToArray()).ToArray();
        }

        public IRecommender Model { get; }
        public int UserRows { get; }
        public int ItemRows { get; }
        public IReadOnlyList<ParameterInfo> Parameters { get; }
        public int StateSlots { get; }
        public long Step { get; set; }
        public long Version => _version;
        public long RowsPushed { get; private set; }

        public TensorMemory Allocate(int length, string what) => HostMemory.Allocate(length);

        private static float[] Gathered(WorkingSet.Part part, int slot) => ((HostMemory)(slot == 0 ? part.Rows : part.State[slot - 1])).Array;
        private static float[] Updated(WorkingSet.Part part, int slot) => ((HostMemory)(slot == 0 ? part.NewRows : part.NewState[slot - 1])).Array;

        private IEnumerable<(int Row, int At)> RowsOf(WorkingSet set, WorkingSet.Part part, StepRows rows)
        {
            if (part.Parameter.BoundWhole) return Enumerable.Range(0, _rows[part.Index][0].Length).Select(r => (r, r));
            return set.Indices(part, rows).ToArray().Select((row, k) => (row, k));
        }

        public void Pull(WorkingSet set, StepRows rows)
        {
            foreach (var part in set.Parts)
                for (var slot = 0; slot <= StateSlots; slot++)
                    foreach (var (row, at) in RowsOf(set, part, rows))
                        _rows[part.Index][slot][row].CopyTo(Gathered(part, slot), at * part.Parameter.RowWidth);
        }

        public void Push(WorkingSet set, StepRows rows, bool keepState)
        {
            _version++;
            foreach (var part in set.Parts)
                for (var slot = 0; slot <= (keepState ? StateSlots : 0); slot++)
                    foreach (var (row, at) in RowsOf(set, part, rows))
                    {
                        var width = part.Parameter.RowWidth;
                        Updated(part, slot).AsSpan(at * width, width).CopyTo(_rows[part.Index][slot][row]);
                        RowsPushed++;
                    }
        }

        public void ReadRows(int parameter, ReadOnlySpan<int> rows, Span<float> destination)
        {
            var width = Parameters[parameter].RowWidth;
            for (var k = 0; k < rows.Length; k++) _rows[parameter][0][rows[k]].CopyTo(destination.Slice(k * width, width));
        }

        public void Read(int parameter, int slot, Span<float> destination)
        {
            var width = Parameters[parameter].RowWidth;
            var rows = _rows[parameter][slot];
            for (var r = 0; r < rows.Length; r++) rows[r].CopyTo(destination.Slice(r * width, width));
        }

        public void Write(int parameter, int slot, ReadOnlySpan<float> source)
        {
            var width = Parameters[parameter].RowWidth;
            var rows = _rows[parameter][slot];
            for (var r = 0; r < rows.Length; r++) source.Slice(r * width, width).CopyTo(rows[r]);
            _version++;
        }

        // Scoring graphs read whole tables: each bind assembles them, as a sharded store would gather its shards.
        public void Bind(GraphSession session)
        {
            for (var k = 0; k < Parameters.Count; k++)
            {
                var values = new float[Parameters[k].Length];
                Read(k, 0, values);
                session.Input(Parameters[k].Name, values, Parameters[k].Shape);
            }
        }

        public StoreSnapshot Snapshot(StoreSnapshot? reuse = null) => new RowSnapshot(_rows.Select(p => p.Select(slot => slot.Select(row => row.ToArray()).ToArray()).ToArray()).ToArray());

        public void Restore(StoreSnapshot snapshot)
        {
            var saved = ((RowSnapshot)snapshot).Rows;
            for (var k = 0; k < _rows.Length; k++)
                for (var slot = 0; slot < _rows[k].Length; slot++)
                    for (var r = 0; r < _rows[k][slot].Length; r++) saved[k][slot][r].CopyTo(_rows[k][slot][r], 0);
            _version++;
        }

        public void ResetOptimizer()
        {
            foreach (var parameter in _rows)
                foreach (var slot in parameter.Skip(1))
                    foreach (var row in slot) Array.Clear(row);
            Step = 0;
        }

        private sealed class RowSnapshot(float[][][][] rows) : StoreSnapshot
        {
            public float[][][][] Rows { get; } = rows;
        }
    }
}
