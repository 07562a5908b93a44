using InverseLearning.Training.Graph;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.Runtime;

/// <summary>
/// The labeled-rows view of a working set (IG's candidate losses run on it): it holds the
/// batch's leading labeled rows rounded up to whole 4-row blocks, scores them bit for bit as the
/// whole batch does, and its labeled BCE is the whole batch's to the last bit.
/// </summary>
public class LabeledRowsViewTests
{
    private const int Dim = 32, Users = 9, Items = 11;

    // Row counts that end mid-block (L mod 4 ≠ 0) are the ones a view of exactly L rows scored
    // differently in its last rows (seen at 1003 of 2048, 255, 1023 of 1500, 513, 7, 300/157);
    // 999/998 rounds up past the batch and is capped at it.
    [Theory]
    [InlineData(37, 21)]
    [InlineData(16, 16)]
    [InlineData(5, 1)]
    [InlineData(300, 157)]
    [InlineData(2048, 1003)]
    [InlineData(2048, 1024)]
    [InlineData(2048, 255)]
    [InlineData(1500, 1023)]
    [InlineData(1500, 513)]
    [InlineData(999, 7)]
    [InlineData(999, 998)]
    public void The_view_scores_the_leading_block_rows_as_the_batch_does_and_its_labeled_bce_is_the_batchs(int rows, int labeled)
    {
        var g = new GraphBuilder("view");
        var model = new Gmf(Dim);
        var all = new WorkingSetInputs(g, model);
        var view = all.LabeledRows;
        var allLogits = all.Logits();
        var viewLogits = view.Logits();
        var outputs = new[]
        {
            g.Named(allLogits, "all_logits"), g.Named(g.Identity(viewLogits), "view_logits"),
            g.Named(Objectives.LabeledBce(all, allLogits), "all_loss"), g.Named(Objectives.LabeledBce(view, viewLogits), "view_loss"),
        };
        using var session = new InferenceSession(g.ToBytes(outputs));

        var rng = new Random(rows * 100 + labeled);
        float[] Floats(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        long[] Slots(int n, int max) => Enumerable.Range(0, n).Select(_ => (long)rng.Next(max)).ToArray();
        var unlabeled = Enumerable.Range(0, rows).Select(r => r < labeled ? 0f : 1f).ToArray();
        // Unlabeled rows carry labels here on purpose: the loss must ignore them however they are set.
        var labels = Enumerable.Range(0, rows).Select(_ => (float)rng.Next(2)).ToArray();
        var feeds = new Dictionary<string, OrtValue>
        {
            ["user_gmf"] = OrtValue.CreateTensorValueFromMemory(Floats(Users * Dim), [Users, Dim]),
            ["item_gmf"] = OrtValue.CreateTensorValueFromMemory(Floats(Items * Dim), [Items, Dim]),
            [model.Dense[0].Name] = OrtValue.CreateTensorValueFromMemory(Floats(Dim), model.Dense[0].Shape),
            [model.Dense[1].Name] = OrtValue.CreateTensorValueFromMemory(Floats(1), model.Dense[1].Shape),
            [WorkingSetInputs.UserSlot] = OrtValue.CreateTensorValueFromMemory(Slots(rows, Users), [rows]),
            [WorkingSetInputs.ItemSlot] = OrtValue.CreateTensorValueFromMemory(Slots(rows, Items), [rows]),
            [WorkingSetInputs.Label] = OrtValue.CreateTensorValueFromMemory(labels, [rows]),
            [WorkingSetInputs.Unlabeled] = OrtValue.CreateTensorValueFromMemory(unlabeled, [rows]),
        };
        using var results = session.Run(new RunOptions(), feeds, outputs.Select(o => o.Name).ToArray());
        foreach (var feed in feeds.Values) feed.Dispose();

        var allScores = results[0].GetTensorDataAsSpan<float>().ToArray();
        var viewScores = results[1].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(Math.Min(rows, (labeled + 3) / 4 * 4), viewScores.Length);
        Assert.Equal(allScores[..viewScores.Length], viewScores);
        var allLoss = results[2].GetTensorDataAsSpan<float>()[0];
        var viewLoss = results[3].GetTensorDataAsSpan<float>()[0];
        Assert.Equal(BitConverter.SingleToInt32Bits(allLoss), BitConverter.SingleToInt32Bits(viewLoss));
        // And both are the labeled rows' mean BCE, computed here in double.
        var expected = Enumerable.Range(0, labeled).Average(r => Bce(allScores[r], labels[r]));
        Assert.Equal(expected, viewLoss, 5);
    }

    private static double Bce(double s, double y) => Math.Max(s, 0) - s * y + Math.Log(1 + Math.Exp(-Math.Abs(s)));
}
