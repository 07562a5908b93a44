using InverseLearning.Data;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>
/// DNS (Zhang et al., SIGIR 2013): for each unlabeled slot, draw M candidate items the
/// user never interacted with and keep the one the current model scores highest, as a
/// negative. Objective: BCE as NS.
/// </summary>
public sealed class DynamicNegativeSampling(UnlabeledSampler sampler, int candidates, int seed) : TrainingMethod
{
    private readonly Random _rng = new(seed);
    private int[] _candidateUsers = [], _candidateItems = [], _chosen = [];
    private float[] _scores = [];

    public override string Name => "dns";
    public override Value Loss(WorkingSetInputs x, Value logits) => Objectives.Bce(x, logits);

    public override void BeforeStep(TrainingEngine engine, StepRows rows, int epoch)
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
        engine.Score(_candidateUsers.AsSpan(0, total), _candidateItems.AsSpan(0, total), _scores.AsSpan(0, total));
        for (var k = 0; k < slots; k++)
        {
            var best = k * candidates;
            for (var c = best + 1; c < (k + 1) * candidates; c++) if (_scores[c] > _scores[best]) best = c;
            _chosen[k] = _candidateItems[best];
        }
        rows.ReplaceUnlabeledItems(_chosen.AsSpan(0, slots));
    }

    public override IReadOnlyDictionary<string, object> Settings => new Dictionary<string, object> { ["candidates"] = candidates };
}
