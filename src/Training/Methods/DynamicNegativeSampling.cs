using InverseLearning.Training.Plugins;
using InverseLearning.Data;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>
/// DNS (Zhang et al., SIGIR 2013): for each unlabeled slot, draw M candidate items the
/// user never interacted with and keep the one the current model scores highest, as a
/// negative. Objective: BCE as NS.
/// </summary>
public sealed class DynamicNegativeSampling : TrainingMethod
{
    public static readonly PluginOption Candidates = new("dns-candidates", "DNS: candidates M per negative.", 10, 1, 100_000, Integer: true);

    public override string Name => "dns";
    public override IReadOnlyList<PluginOption> Options => [Candidates];

    /// <summary>M candidates per sampled slot: their items, scores and working copies.</summary>
    public override IEnumerable<RunMemoryEstimate.Part> MemoryParts(MethodMemory memory)
    {
        var candidates = memory.UnlabeledSlots * (long)memory.Settings.Option(Candidates);
        return [new("DNS candidates", "--dns-candidates, --batch-size, --ng", candidates * 3 * sizeof(float) + memory.UnlabeledSlots * sizeof(int), candidates)];
    }

    public override MethodPlan Plan(PlanContext context) =>
        context.OnePass(this, new Objective("bce", Objectives.Bce),
            new HardestOfCandidates(context.Sampler, (int)context.Settings.Option(Candidates), context.Settings.Seed));

    /// <summary>The batch transform: replaces each unlabeled item by the highest-scored of M fresh candidates.</summary>
    public sealed class HardestOfCandidates(UnlabeledSampler sampler, int candidates, int seed) : IBatchTransform, IStatefulPart
    {
        private readonly SavableRandom _rng = new(seed);
        private int[] _candidateUsers = [], _candidateItems = [], _chosen = [];
        private float[] _scores = [];

        public string StateKey => "dns.random";

        public void Apply(StepContext context, StepRows rows)
        {
            var slots = rows.Count - rows.LabeledCount;
            var total = slots * candidates;
            if (_candidateUsers.Length < total)
            {
                _candidateUsers = new int[total];
                _candidateItems = new int[total];
                _scores = new float[total];
                _chosen = new int[slots];
            }
            for (var k = 0; k < slots; k++)
                Array.Fill(_candidateUsers, rows.Users[rows.LabeledCount + k], k * candidates, candidates);
            sampler.Sample(_candidateUsers.AsSpan(0, total), 1, _candidateItems.AsSpan(0, total), _rng);
            context.Engine.Score(_candidateUsers.AsSpan(0, total), _candidateItems.AsSpan(0, total), _scores.AsSpan(0, total));
            for (var k = 0; k < slots; k++)
            {
                var best = k * candidates;
                for (var c = best + 1; c < (k + 1) * candidates; c++) if (_scores[c] > _scores[best]) best = c;
                _chosen[k] = _candidateItems[best];
            }
            rows.ReplaceUnlabeledItems(_chosen.AsSpan(0, slots));
        }

        public void SaveState(BinaryWriter writer) => writer.Write(_rng.State);
        public void LoadState(BinaryReader reader) => _rng.State = reader.ReadUInt64();
    }
}
