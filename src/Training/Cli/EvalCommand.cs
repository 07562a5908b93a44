using System.CommandLine;

namespace InverseLearning.Training.Cli;

/// <summary>`eval`: the paper's metrics of a checkpoint on the validation and test rows of a log; with --eval full-ranking also Recall@K and NDCG@K.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var command = new Command("eval", "Evaluate a checkpoint on the log it was trained on (same labels and split).");
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint written by train (e.g. models/run/checkpoint).", Required = true };
        command.Options.Add(checkpoint);
        var data = new DataOptions();
        data.AddTo(command);
        var ranking = new RankingEvalOptions();
        foreach (var option in ranking.All) command.Options.Add(option);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var ks = ranking.Read(parse);
            using var trainer = CheckpointLoader.Load(parse, parse.GetValue(checkpoint)!, data);
            var truth = DatasetLoader.TruthBeside(parse.GetValue(data.Data)!);
            var fullRanking = ks is null ? null : TrainingRun.FullRankingSetup(trainer.Data, truth, ks);
            Console.WriteLine($"  {"split",-12} {"AUC",7} {"GAUC",7} {"NDCG@10",8} {"NDCG@20",8} {"MRR",7} {"logloss",8}");
            ResultPrinter.Row("valid", trainer.Evaluate(trainer.Data.Valid));
            ResultPrinter.Row("test", trainer.Evaluate(trainer.Data.Test));
            if (truth is not null)
                ResultPrinter.Row("clean test", trainer.Evaluate(trainer.Data.Test, TrainingRun.TrueLabels(trainer.Data, trainer.Data.Test, truth)));
            if (fullRanking is not null)
                ResultPrinter.FullRanking(fullRanking.Evaluate(trainer.Store, new Runtime.ExecutionDevice(trainer.Settings.Device, trainer.Settings.Threads)));
            return 0;
        }));
        return command;
    }
}
