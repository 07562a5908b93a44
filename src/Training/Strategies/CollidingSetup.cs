using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Stages;

namespace InverseLearning.Training.Strategies;

/// <summary>Colliding inference's part of a run once it is trained: building its table, and its study of full ranking by user sparsity.</summary>
public static class CollidingSetup
{
    /// <summary>
    /// Colliding inference for a trained run (null when it is off): sparse users' neighbours
    /// from the warm-up embeddings, K and λ as set or tuned on validation; from then on the
    /// trainer's scores, its metrics and the exported model all go through it.
    /// </summary>
    public static Dictionary<string, object?>? Apply(Trainer trainer)
    {
        var s = trainer.Settings;
        if (trainer.WarmupEmbeddings is not { Captured: true } warmup) return null;
        var users = trainer.Data.Users.Count - 1;
        if (s.CollidingNeighbors >= users)
            throw new ArgumentException($"--colliding-neighbors {s.CollidingNeighbors} asks for more neighbours than the log has other users ({users - 1})");
        var sparse = CollidingInference.SparseUsers(trainer.Data, s.CollidingMaxRatio);
        var table = CollidingInference.Build(warmup, sparse, s.CollidingNeighbors, s.CollidingNeighbors, s.CollidingLambda);
        var report = new Dictionary<string, object?> { ["sparse_users"] = table.SparseUserCount, ["max_ratio"] = s.CollidingMaxRatio };
        if (s.CollidingTune)
        {
            var choice = CollidingTuning.Tune(trainer.Engine, table, trainer.Validation);
            table = table.With(choice.K, choice.Lambda);
            report["tuned_on"] = "validation AUC";
            report["valid_auc"] = choice.ValidAuc;
            report["valid_auc_without"] = choice.PlainValidAuc;
        }
        report["neighbors"] = table.K;
        report["lambda"] = table.Lambda;
        trainer.Colliding = table;
        return report;
    }

    /// <summary>Users grouped by extra/implicit ratio in training, as DenoisingRec's colliding study groups them.</summary>
    public static readonly IReadOnlyList<double> SparsityGroups = [0.1, 0.2, 0.3];

    /// <summary>
    /// Full ranking for the users of each sparsity group (ratio below 0.1, 0.2, 0.3), with
    /// colliding inference and without it (the same trained model: the warm-up strategy alone).
    /// </summary>
    public static Dictionary<string, object?> FullRankingBySparsity(Trainer trainer, GroundTruth? truth, IReadOnlyList<int> ks)
    {
        var data = trainer.Data;
        var ratio = data.Extra.TrainRatioPerUser(data);
        var (positives, rule) = TestPositives.Resolve(data, truth);
        var colliding = trainer.Colliding;
        var groups = new Dictionary<string, object?>();
        foreach (var below in SparsityGroups)
        {
            var members = TestPositives.OfUsers(positives, u => ratio[u] < below);
            if (members.Count == 0) continue;
            FullRanking group;
            try { group = new FullRanking(data, members, rule, ks); }
            catch (DataException) { continue; }       // no positive left to rank in this group
            trainer.Colliding = null;
            var without = EvaluateStage.FullRanking(trainer, group);
            trainer.Colliding = colliding;
            var with = EvaluateStage.FullRanking(trainer, group);
            groups[$"<{below}"] = new Dictionary<string, object?> { ["users"] = group.UserCount, ["colliding"] = with.ToDictionary(), ["warmup_only"] = without.ToDictionary() };
        }
        return groups;
    }
}
