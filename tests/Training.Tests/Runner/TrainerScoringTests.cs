using InverseLearning.Data;
using InverseLearning.Training.Strategies;
using InverseLearning.Training.Tests.EndToEnd;

namespace InverseLearning.Training.Tests.Runner;

/// <summary>
/// How the trainer scores a labeled set: logits from the engine (through colliding inference
/// when it is set), the mean BCE that picks the best epoch, and the paper's metrics, each
/// against an independent computation.
/// </summary>
public class TrainerScoringTests : IClassFixture<TinyFeed>
{
    private readonly TinyFeed _feed;

    public TrainerScoringTests(TinyFeed feed) => _feed = feed;

    private static TrainSettings Settings => new() { Model = "gmf", Method = "ns", Epochs = 1, Dim = 4, Threads = 1, Seed = 5 };

    private static float[] EngineLogits(Trainer trainer, LabeledSet set)
    {
        var logits = new float[set.Count];
        for (var r = 0; r < set.Count; r++)
        {
            var one = new float[1];
            trainer.Engine.Score([set.Users[r]], [set.Items[r]], one);
            logits[r] = one[0];
        }
        return logits;
    }

    private static double Sigmoid(double s) => 1 / (1 + Math.Exp(-s));

    [Fact]
    public void Logits_are_the_models_scores_and_the_log_loss_their_mean_bce()
    {
        using var trainer = new Trainer(Settings, _feed.Data);
        var set = SmallSets.First(_feed.Data.Test, 300);
        var expected = EngineLogits(trainer, set);
        var logits = trainer.Scorer.Logits(set);
        Assert.Equal(expected.Length, logits.Length);
        for (var r = 0; r < set.Count; r++) Assert.Equal(expected[r], logits[r], 5);
        Assert.Equal(Enumerable.Range(0, set.Count).Average(r => SmallSets.Bce(expected[r], set.Labels[r])), trainer.Scorer.LogLoss(set), 6);
        Assert.True(double.IsNaN(trainer.Scorer.LogLoss(new LabeledSet())));
    }

    [Fact]
    public void Evaluate_ranks_by_the_models_probabilities_against_the_given_labels()
    {
        using var trainer = new Trainer(Settings, _feed.Data);
        var set = SmallSets.First(_feed.Data.Test, 300);
        var logits = EngineLogits(trainer, set);

        // AUC by counting pairs: a positive above a negative counts 1, a tie 1/2.
        double Auc(float[] labels)
        {
            double wins = 0, pairs = 0;
            for (var p = 0; p < set.Count; p++)
                for (var n = 0; n < set.Count; n++)
                    if (labels[p] > 0.5f && labels[n] < 0.5f)
                    {
                        pairs++;
                        wins += logits[p] > logits[n] ? 1 : logits[p] == logits[n] ? 0.5 : 0;
                    }
            return wins / pairs;
        }
        double LogLoss(float[] labels) => Enumerable.Range(0, set.Count).Average(r =>
        {
            var p = Math.Clamp(Sigmoid(logits[r]), 1e-7, 1 - 1e-7);
            return -(labels[r] * Math.Log(p) + (1 - labels[r]) * Math.Log(1 - p));
        });

        var own = trainer.Scorer.Evaluate(set);
        Assert.Equal(Auc(set.Labels.ToArray()), own.Auc, 6);
        Assert.Equal(LogLoss(set.Labels.ToArray()), own.LogLoss, 4);
        var flipped = set.Labels.Select(y => 1 - y).ToArray();
        var other = trainer.Scorer.Evaluate(set, new PackedLabels(flipped));
        Assert.Equal(Auc(flipped), other.Auc, 6);
        Assert.Equal(LogLoss(flipped), other.LogLoss, 4);
    }

    [Fact]
    public void With_colliding_inference_a_sparse_users_logit_mixes_in_its_neighbours_probabilities()
    {
        using var trainer = new Trainer(Settings, _feed.Data);
        var embeddings = new WarmupUserEmbeddings();
        embeddings.Capture(trainer.Store);
        var users = trainer.Store.UserRows;
        var sparse = Enumerable.Range(0, (int)users).Select(u => u % 2 == 1).ToArray();
        const double lambda = 0.3;
        var colliding = CollidingInference.Build(embeddings, sparse, candidates: Enumerable.Repeat(true, (int)users).ToArray(), maxK: 3, k: 3, lambda);
        var set = SmallSets.First(_feed.Data.Test, 200);
        var plain = EngineLogits(trainer, set);

        trainer.Scorer.Rewrite = colliding;
        var logits = trainer.Scorer.Logits(set);

        var mixed = 0;
        for (var r = 0; r < set.Count; r++)
        {
            var u = set.Users[r];
            if (!sparse[u])
            {
                Assert.Equal(plain[r], logits[r], 5);
                continue;
            }
            mixed++;
            var neighbours = colliding.NeighborsOf(u).ToArray();
            Assert.Equal(3, neighbours.Length);
            var mean = neighbours.Average(v => Sigmoid(EngineLogits(trainer, new LabeledSet([v], [set.Items[r]], [0f]))[0]));
            var p = lambda * Sigmoid(plain[r]) + (1 - lambda) * mean;
            Assert.Equal(Math.Log(p / (1 - p)), logits[r], 4);
        }
        Assert.True(mixed > 0 && mixed < set.Count, $"{mixed} of {set.Count} rows belong to sparse users");
        Assert.Equal(Enumerable.Range(0, set.Count).Average(r => SmallSets.Bce(logits[r], set.Labels[r])), trainer.Scorer.LogLoss(set), 6);
    }
}
