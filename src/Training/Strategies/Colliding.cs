using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Plugins;
using InverseLearning.Training.Stages;

namespace InverseLearning.Training.Strategies;

/// <summary>
/// DenoisingRec's colliding inference: it keeps the warm-up model's user embeddings when the
/// warm-up phase ends (their state is checkpointed), and after training blends each sparse
/// user's scores with its nearest users' (<see cref="CollidingInference"/>): in evaluation, full
/// ranking and the exported model alike.
/// </summary>
public sealed class Colliding : Strategy
{
    public static readonly PluginOption Neighbors = new("colliding-neighbors",
        "Colliding inference: K nearest users (warm-up user embeddings, inner product) blended into a sparse user's scores; 0 = off. Needs --warmup-epochs.", 0, 0, 1000, Integer: true);
    public static readonly PluginOption Lambda = new("colliding-lambda", "Colliding inference: λ, the weight of the user's own score.", 0.5, 0, 1);
    public static readonly PluginOption MaxRatio = new("colliding-max-ratio",
        "Colliding inference: users whose extra/implicit feedback ratio in training is below this are sparse.", 0.2, 0, 1e9, MinExclusive: true);
    public static readonly PluginOption Tune = PluginOption.OnOff("colliding-tune",
        "Colliding inference: tune K (up to --colliding-neighbors) and λ on validation AUC over the paper's grid.");

    public override string Name => "colliding";
    public override IReadOnlyList<PluginOption> Options => [Neighbors, Lambda, MaxRatio, Tune];
    public override PluginOption Switch => Neighbors;

    public override string? Check(TrainSettings settings) =>
        IsOn(settings) && settings.Option(Warmup.Epochs) == 0
            ? "--colliding-neighbors needs --warmup-epochs of at least 1: neighbours are found in the warm-up model's user embeddings"
        : settings.Option(Tune) > 0 && !IsOn(settings) ? "--colliding-tune needs --colliding-neighbors (the largest K to try, e.g. 100)"
        : null;

    /// <summary>
    /// K past the other users with training rows, refused before training: found after it, the trained run was lost. Users with none
    /// (under a split by time, those whose rows all fall in validation or test) keep their initial embeddings, and are no neighbours.
    /// </summary>
    public override string? Check(TrainSettings settings, PreparedDataset data)
    {
        if (!IsOn(settings)) return null;
        var k = (int)settings.Option(Neighbors);
        var others = TrainedUsers(data).Count(trained => trained) - 1;    // no user is its own neighbour
        if (k <= others) return null;
        var flag = settings.Option(Tune) > 0 ? "--colliding-neighbors (the largest K --colliding-tune tries)" : "--colliding-neighbors";
        return $"{flag} must be at most {others:N0} on this log: each of its {others + 1:N0} users with training rows has {others:N0} others to be neighbours " +
            $"(of its {data.Users.Count - 1:N0} users, those without training rows have untrained embeddings), got {k}";
    }

    /// <summary>Per user index, whether the user has training rows (index 0, the unknown user, has none): the only users that can be neighbours.</summary>
    public static bool[] TrainedUsers(PreparedDataset data) => data.TrainRowsPerUser().Select(rows => rows > 0).ToArray();

    /// <summary>Keeps the user embeddings when the warm-up phase ends.</summary>
    public override void Shape(List<Phase> phases, PlanContext context)
    {
        var warmup = phases.FindIndex(p => p.Name == ExtraFeedbackPhases.WarmupPhase);
        phases[warmup] = phases[warmup] with { OnCompleted = new WarmupUserEmbeddings() };
    }

    /// <summary>The warm-up embeddings a trainer's plan kept; null when its plan has none.</summary>
    public static WarmupUserEmbeddings? Embeddings(Trainer trainer) => trainer.Plan.StatefulParts.OfType<WarmupUserEmbeddings>().SingleOrDefault();

    /// <summary>
    /// The test metrics without it, then the neighbour table from the warm-up embeddings with K and λ as
    /// set or tuned on validation; from then on the trainer's scores go through it.
    /// </summary>
    public override IReadOnlyDictionary<string, object?> AfterTraining(Trainer trainer)
    {
        if (Embeddings(trainer) is not { Captured: true } warmup) return Empty;
        var plainTest = trainer.Scorer.Evaluate(trainer.Data.Test);
        var s = trainer.Settings;
        var (k, lambda, maxRatio) = ((int)s.Option(Neighbors), s.Option(Lambda), s.Option(MaxRatio));
        var sparse = CollidingInference.SparseUsers(trainer.Data, maxRatio);
        var table = CollidingInference.Build(warmup, sparse, TrainedUsers(trainer.Data), k, k, lambda);
        var report = new Dictionary<string, object?> { ["sparse_users"] = table.SparseUserCount, ["max_ratio"] = maxRatio };
        if (s.Option(Tune) > 0)
        {
            var choice = CollidingTuning.Tune(trainer.Engine, table, trainer.Validation);
            table = table.With(choice.K, choice.Lambda);
            report["tuned_on"] = "validation AUC";
            report["valid_auc"] = choice.ValidAuc;
            report["valid_auc_without"] = choice.PlainValidAuc;
        }
        report["neighbors"] = table.K;
        report["lambda"] = table.Lambda;
        trainer.Scorer.Rewrite = table;
        return new Dictionary<string, object?> { ["colliding"] = report, ["test_without_colliding"] = plainTest };
    }

    /// <summary>Users grouped by extra/implicit ratio in training, as DenoisingRec's colliding study groups them.</summary>
    public static readonly IReadOnlyList<double> SparsityGroups = [0.1, 0.2, 0.3];

    /// <summary>
    /// Full ranking for the users of each sparsity group (ratio below 0.1, 0.2, 0.3), with
    /// colliding inference and without it (the same trained model: the warm-up strategy alone).
    /// </summary>
    public override IReadOnlyDictionary<string, object?> FullRankingReports(Trainer trainer, GroundTruth? truth, IReadOnlyList<int> ks)
    {
        if (trainer.Scorer.Rewrite is not { } colliding) return Empty;
        var data = trainer.Data;
        var ratio = data.Extra.TrainRatioPerUser(data);
        var (positives, rule) = TestPositives.Resolve(data, truth);
        var groups = new Dictionary<string, object?>();
        foreach (var below in SparsityGroups)
        {
            var members = TestPositives.OfUsers(positives, u => ratio[u] < below);
            if (members.Count == 0) continue;
            FullRanking group;
            try { group = new FullRanking(data, members, rule, ks); }
            catch (DataException) { continue; }       // no positive left to rank in this group
            trainer.Scorer.Rewrite = null;
            var without = EvaluateStage.FullRanking(trainer, group);
            trainer.Scorer.Rewrite = colliding;
            var with = EvaluateStage.FullRanking(trainer, group);
            groups[$"<{below}"] = new Dictionary<string, object?> { ["users"] = group.UserCount, ["colliding"] = with.ToDictionary(), ["warmup_only"] = without.ToDictionary() };
        }
        return new Dictionary<string, object?> { ["full_ranking_by_sparsity"] = groups };
    }
}
