using System.CommandLine;
using InverseLearning.Data;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Cli;

/// <summary>`eval`: the paper's metrics of a checkpoint on the validation and test rows of a log; with --eval full-ranking also Recall@K and NDCG@K.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var command = new Command("eval", "Evaluate a checkpoint on the log it was trained on (same labels and split).");
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint written by train (e.g. models/run/checkpoint).", Required = true };
        var maxMemory = MaxMemoryOption.Create();
        command.Options.Add(checkpoint);
        var data = new DataOptions();
        data.AddTo(command);
        var ranking = new RankingEvalOptions();
        foreach (var option in ranking.All) command.Options.Add(option);
        command.Options.Add(maxMemory);
        command.SetAction((parse, cancel) => Task.FromResult(CliErrors.Run(() =>
        {
            // The run's --protocol sets eval's defaults as it set train's: a denoisingrec run's full ranking at 50 and 100 is reported again.
            // A missing checkpoint is the loader's to name, after the flags' own refusals.
            var path = parse.GetValue(checkpoint)!;
            var run = File.Exists(path) ? Artifacts.Checkpoint.ReadHeader(path).Run : null;
            var ks = ranking.Read(parse, ProtocolPreset.All.FirstOrDefault(preset => preset.Name == run?.Settings.Protocol) ?? ProtocolPreset.None);
            data.RequireTestPositivesRead(parse, ks is not null);
            // The parts the run read, before the truth is checked against the lake: one added since is no part of the simulation's log.
            if (run is not null) data.ReadAsRunRead(run, path);
            var truth = DatasetLoader.TruthBeside(parse.GetValue(data.Data)!, data.RunLake(parse));
            using var trainer = CheckpointLoader.Load(parse, path, data, MaxMemoryOption.Read(parse, maxMemory));
            var fullRanking = ks is null ? null : Stages.EvaluateStage.FullRankingSetup(trainer.Data, truth, ks);
            // Stopped between evaluations (and between full ranking's blocks of users): a signal ends eval in moments, printing nothing.
            cancel.ThrowIfCancellationRequested();
            var prepared = trainer.Data;
            var rows = new List<(string Split, RankingMetrics Metrics, string? Undefined)> { Evaluated("valid", trainer.Scorer.Evaluate(trainer.Validation), trainer.Validation, trainer.Validation.Labels, "validation", observed: true) };
            cancel.ThrowIfCancellationRequested();
            rows.Add(Evaluated("test", trainer.Scorer.Evaluate(prepared.Test), prepared.Test, prepared.Test.Labels, "observed test", observed: true));
            cancel.ThrowIfCancellationRequested();
            if (truth is not null)
            {
                var trueLabels = TrueLabels.Of(prepared, prepared.Test, truth);
                rows.Add(Evaluated("clean test", trainer.Scorer.Evaluate(prepared.Test, trueLabels), prepared.Test, trueLabels, "true (clean) test", observed: false));
            }
            var ranked = fullRanking is null ? null : Stages.EvaluateStage.FullRanking(trainer, fullRanking, cancel);
            // As train prints them: an undefined metric (implicit feedback: test rows all positive) is n/a, with a line saying why; never NaN.
            Console.WriteLine($"  {"split",-12} {"AUC",7} {"GAUC",7} {"NDCG@10",8} {"NDCG@20",8} {"MRR",7} {"logloss",8}");
            foreach (var (split, metrics, undefined) in rows)
            {
                ResultPrinter.Row(split, metrics);
                if (undefined is not null) Console.WriteLine(ResultPrinter.Undefined(split, undefined, truth is not null, ranked is not null));
            }
            if (ranked is not null) ResultPrinter.FullRanking(ranked);
            return 0;
        }, cancel)));
        return command;
    }

    private static (string, RankingMetrics, string?) Evaluated(string split, RankingMetrics metrics, LabeledSet set, PackedLabels labels, string what, bool observed) =>
        (split, metrics, UndefinedMetrics.Why(metrics, set, labels, what, observed));
}
