using System.CommandLine;
using System.Globalization;
using InverseLearning.Data;

namespace InverseLearning.Training.Cli;

/// <summary>`inspect --data FILE`: the paper's Table 3 for any log (rows, users, items, labels, density) plus the split sizes.</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var command = new Command("inspect", "Print a log's size, label counts, density and split sizes (the paper's Table 3 for any log).");
        var data = new DataOptions();
        data.AddTo(command);
        var seed = new Option<int>("--seed") { Description = "seed of the random 60/20/20 split shown (when the log has no split column) and of the training-test rows drawn from train", DefaultValueFactory = _ => 42 };
        command.Options.Add(seed);
        var split = new TimeSplitOptions();
        split.AddTo(command);
        command.SetAction(parsed => CliErrors.Run(() =>
        {
            var byTime = split.Read(parsed);
            var reader = new LogReader(parsed, data);
            reader.RequireRuleColumns(); // before the rows are read, as train checks them
            var dataset = reader.ReadDataset();
            var log = dataset.Log;
            var labels = data.ToLabelingOptions(parsed, log);
            foreach (var warning in data.IgnoredThresholdWarnings(parsed, labels.Rule)) Console.Error.WriteLine(warning);
            var prepared = DatasetLoader.Split(dataset, parsed.GetValue(data.Data)!, labels, new SplitOptions(Seed: parsed.GetValue(seed), ByHash: split.ByHash(parsed)), reader.ReadFeedbackOptions(log), byTime);
            Print(parsed.GetValue(data.Data)!, log, labels, prepared, split.ByHash(parsed));
            ExtraFeedbackReport.Print(prepared);
            return 0;
        }, CancellationToken.None));
        return command;
    }

    private static void Print(string path, InteractionLog log, LabelingOptions labels, PreparedDataset data, bool byHash)
    {
        var positives = data.Train.PositiveCount + data.Valid.PositiveCount + data.Test.PositiveCount;
        var labeled = data.Train.Count + data.Valid.Count + data.Test.Count;
        var users = data.Users.Count - 1;
        var items = data.Items.Count - 1;
        var density = users == 0 || items == 0 ? 0 : (double)data.Seen.PairCount / ((double)users * items);
        string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
        string Share(long part) => log.Count == 0 ? "" : $" ({100.0 * part / log.Count:F1}%)";

        Console.WriteLine($"log:           {path}");
        Console.WriteLine($"rows:          {N(log.Count)}");
        Console.WriteLine($"users:         {N(users)}");
        Console.WriteLine($"items:         {N(items)}");
        Console.WriteLine($"pairs:         {N(data.Seen.PairCount)} distinct (user, item)");
        Console.WriteLine($"density:       {density * 100:F4}%");
        Console.WriteLine($"labels:        {DataOptions.RuleName(labels.Rule)}");
        Console.WriteLine($"  positive:    {N(positives)}{Share(positives)}");
        Console.WriteLine($"  negative:    {N(labeled - positives)}{Share(labeled - positives)}");
        Console.WriteLine($"  unlabeled:   {N(data.UnlabeledRowCount)}{Share(data.UnlabeledRowCount)}");
        if (log.Like is { } like) Console.WriteLine($"likes:         {N(like.Values.Where((v, i) => v && like.HasValue[i]).LongCount())}");
        if (log.Hate is { } hate) Console.WriteLine($"hates:         {N(hate.Values.Where((v, i) => v && hate.HasValue[i]).LongCount())}");
        // A split by hash ignores a split column, as a random split does not.
        var drawn = byHash ? $"by hash of (user, item, seed) 60/20/20{(log.Split is null ? "" : DatasetLoader.IgnoredSplitColumn)}"
            : log.Split is null ? "random 60/20/20 (seeded)" : "from the log's split column";
        Console.WriteLine($"split:         {data.TimeSplitReport?.DaysLine ?? drawn}");
        Console.WriteLine($"  train:       {N(data.Train.Count)} (training-train {N(data.TrainTrainCount)}, training-test {N(data.TrainTestCount)})");
        Console.WriteLine($"  valid:       {N(data.Valid.Count)}");
        Console.WriteLine($"  test:        {N(data.Test.Count)}");
        if (data.TimeSplitReport is { } byTime)
        {
            Console.WriteLine($"cold in valid: {byTime.Valid}");
            Console.WriteLine($"cold in test:  {byTime.Test}");
        }
        if (log.SkippedRows.Total > 0) Console.WriteLine($"skipped:       {N(log.SkippedRows.Total)} bad rows");
    }
}
