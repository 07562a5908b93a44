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
        private readonly SlotCandidates _candidates = new(candidates);

        public string StateKey => "dns.random";

        public void Apply(StepContext context, StepRows rows)
        {
            var slots = _candidates.Take(rows);
            _candidates.Draw(sampler, _rng, context.Cancel);
            _candidates.Score(context);
            var scores = _candidates.Scores;
            for (var k = 0; k < slots; k++)
            {
                var best = k * candidates;
                for (var c = best + 1; c < (k + 1) * candidates; c++) if (scores[c] > scores[best]) best = c;
                _candidates.Choose(k, _candidates.Items[best]);
            }
            _candidates.Replace(rows);
        }

        public void SaveState(BinaryWriter writer) => writer.Write(_rng.State);
        public void LoadState(BinaryReader reader) => _rng.State = reader.ReadUInt64();
    }
}
