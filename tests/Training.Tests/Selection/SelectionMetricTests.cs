using InverseLearning.Training.Selection;

namespace InverseLearning.Training.Tests.Selection;

public class SelectionMetricTests
{
    [Theory]
    [InlineData("loss", SelectionMetric.Kind.Loss, 0, "loss")]
    [InlineData("auc", SelectionMetric.Kind.Auc, 0, "auc")]
    [InlineData(" gauc ", SelectionMetric.Kind.Gauc, 0, "gauc")]
    [InlineData("recall@50", SelectionMetric.Kind.Recall, 50, "recall@50")]
    [InlineData("ndcg@7", SelectionMetric.Kind.Ndcg, 7, "ndcg@7")]
    public void Parses_every_metric_and_writes_it_back(string text, SelectionMetric.Kind kind, int k, string written)
    {
        var metric = SelectionMetric.Parse(text);

        Assert.Equal((kind, k), (metric.Measure, metric.K));
        Assert.Equal(written, metric.ToString());
        Assert.Equal(kind is SelectionMetric.Kind.Recall or SelectionMetric.Kind.Ndcg, metric.IsRanking);
    }

    [Theory]
    [InlineData("precision@5", "is not a selection metric")]
    [InlineData("recall", "is not a selection metric")]
    [InlineData("recall@0", "needs a positive integer K")]
    [InlineData("ndcg@-3", "needs a positive integer K")]
    [InlineData("ndcg@1e3", "needs a positive integer K")]
    [InlineData("recall@000", "needs a positive integer K")]
    [InlineData("ndcg@99999999999", "'ndcg@99999999999': K must be from 1 to 2,147,483,647")] // was told to give a positive integer, which it is
    [InlineData("", "is not a selection metric")]
    public void Refuses_what_is_not_a_metric_naming_the_flag(string text, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => SelectionMetric.Parse(text));

        Assert.StartsWith("--select-by:", error.Message);
        Assert.Contains(problem, error.Message);
    }

    /// <summary>Names are lower case, as method and model names are, which refuse 'NS' with "did you mean ns?": --select-by read any case.</summary>
    [Theory]
    [InlineData("AUC", "auc")]
    [InlineData("Loss", "loss")]
    [InlineData("Recall@20", "recall@20")]
    [InlineData("NDCG@5", "ndcg@5")]
    [InlineData("gacu", "gauc")]
    [InlineData("recal", "recall@50")]
    public void A_name_in_another_case_or_a_slip_away_is_refused_with_the_name_meant(string text, string meant)
    {
        var error = Assert.Throws<ArgumentException>(() => SelectionMetric.Parse(text));

        Assert.Equal($"--select-by: '{text}' is not a selection metric; expected {SelectionMetric.Expected}; did you mean {meant}?", error.Message);
    }

    [Fact]
    public void The_loss_improves_downwards_every_other_metric_upwards_and_nan_never()
    {
        var loss = SelectionMetric.Loss;
        var recall = SelectionMetric.Parse("recall@10");

        Assert.True(loss.Improves(0.5, loss.Worst));
        Assert.True(loss.Improves(0.4, 0.5));
        Assert.False(loss.Improves(0.5, 0.5));
        Assert.False(loss.Improves(0.6, 0.5));
        Assert.True(recall.Improves(0, recall.Worst));
        Assert.True(recall.Improves(0.6, 0.5));
        Assert.False(recall.Improves(0.5, 0.5));
        Assert.False(recall.Improves(0.4, 0.5));
        Assert.False(loss.Improves(double.NaN, loss.Worst));
        Assert.False(recall.Improves(double.NaN, recall.Worst));
    }
}
