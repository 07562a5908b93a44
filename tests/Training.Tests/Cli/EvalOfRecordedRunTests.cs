namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// eval repeats what the checkpoint's run did where its flags are left out: the run's label flags (an implicit-labels run was
/// read with auto's finish-rate and refused as another log), and its --protocol's report (denoisingrec's full ranking at 50 and 100,
/// which eval did not print, or printed at 20, 50 and 100).
/// </summary>
[Collection("Console")]
public class EvalOfRecordedRunTests(CliFixture files)
{
    private string Trained(string name, params string[] flags)
    {
        var run = files.Scratch(name);
        var (code, _, error) = CliRunner.Run(TimeSpan.FromMinutes(5), ["train", "--data", files.Log, "--out", run, "--epochs", "1", "--batch-size", "256", .. flags]);
        Assert.True(code == 0, error);
        return Path.Combine(run, "checkpoint");
    }

    [Fact]
    public void An_implicit_labels_run_is_evaluated_with_its_labels_when_none_are_given_and_another_rule_is_refused_naming_both()
    {
        var checkpoint = Trained("implicit-labels", "--labels", "implicit");

        var (code, _, error) = CliRunner.Run(TimeSpan.FromMinutes(5), "eval", "--checkpoint", checkpoint, "--data", files.Log);
        Assert.True(code == 0, error);
        Assert.Contains("labels: implicit;", error);

        CliRunner.AssertOneLineFailure(CliRunner.Run(TimeSpan.FromMinutes(5), "eval", "--checkpoint", checkpoint, "--data", files.Log, "--labels", "finish-rate"),
            "--labels finish-rate contradicts the checkpoint, which was trained with --labels implicit");
    }

    [Fact]
    public void A_denoisingrec_run_is_evaluated_with_its_full_ranking_at_its_cutoffs_in_order()
    {
        // The log has no ground truth beside it: the test's positives are its likes, in train and eval alike.
        var checkpoint = Trained("denoisingrec-protocol", "--protocol", "denoisingrec", "--test-positives", "like");

        var (code, output, error) = CliRunner.Run(TimeSpan.FromMinutes(5), "eval", "--checkpoint", checkpoint, "--data", files.Log, "--test-positives", "like");
        Assert.True(code == 0, error);
        Assert.Matches(@"full ranking .*: Recall@50 [\d.]+, Recall@100 [\d.]+; NDCG@50 [\d.]+, NDCG@100 [\d.]+", output);
        Assert.DoesNotContain("Recall@20", output);

        var reordered = CliRunner.Run(TimeSpan.FromMinutes(5), "eval", "--checkpoint", checkpoint, "--data", files.Log, "--test-positives", "like",
            "--eval", "full-ranking", "--topk", "100,10");
        Assert.True(reordered.Code == 0, reordered.Error);
        Assert.Matches(@"Recall@10 [\d.]+, Recall@100 [\d.]+;", reordered.Output);
    }
}
