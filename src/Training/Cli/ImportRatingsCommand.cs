using System.CommandLine;
using System.Globalization;
using InverseLearning.Data;
using InverseLearning.Data.Import;

namespace InverseLearning.Training.Cli;

/// <summary>`import-ratings --input [SPLIT=]FILE ... --out DIR`: rating files (MovieLens and friends) to DIR/interactions.parquet.</summary>
public static class ImportRatingsCommand
{
    public static Command Create()
    {
        var command = new Command("import-ratings",
            "Convert rating files (MovieLens user::item::rating::ts, or tab/space/comma separated user item rating [ts]) into DIR/interactions.parquet.");
        var inputs = new Option<string[]>("--input")
        {
            Description = "a ratings file, optionally tagged with its split: train=FILE, valid=FILE, test=FILE (repeat for several; tag all or none)",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var outDir = new Option<string>("--out") { Description = "folder to write interactions.parquet into", Required = true };
        var unit = new Option<string>("--timestamp-unit") { Description = "unit of the timestamp field: s (MovieLens) or ms", DefaultValueFactory = _ => "s" };
        unit.AcceptOnlyFromAmong("s", "ms");
        var ratingMin = DataOptions.RatingMinOption("a lower rating stops the import (the log records the range, and later commands read it with that range unless given --rating-min or --rating-max)");
        var ratingMax = DataOptions.RatingMaxOption("a higher rating stops the import");
        foreach (var option in new Option[] { inputs, outDir, unit, ratingMin, ratingMax })
            command.Options.Add(option);

        command.SetAction((parsed, cancel) => Task.FromResult(CliErrors.Run(() =>
        {
            var progress = new ConsoleProgress("importing");
            try
            {
                var specs = parsed.GetValue(inputs)!.Select(RatingsInput.Parse).ToList();
                var (min, max) = DataOptions.RatingRange(parsed, ratingMin, ratingMax);
                var options = new ImportOptions(parsed.GetValue(unit) == "ms" ? TimestampUnit.Milliseconds : TimestampUnit.Seconds, progress, min, max, cancel, Console.Error.WriteLine);
                var dir = parsed.GetValue(outDir)!;
                // train reads a simulation's truth beside the log as that log's: beside imported ratings it would describe another log.
                DatasetFolder.RequireOutside(dir, "--out", "the log", "which train would read as the imported log's; import into another folder, or remove those files",
                    writesLog: true);
                using var folder = OutputFolder.Lock(dir, "--out");
                var log = RatingsImporter.Import(specs, dir, options);
                progress.Complete();
                Print(Path.Combine(dir, "interactions.parquet"), log);
                return 0;
            }
            finally
            {
                progress.Complete();
            }
        }, cancel)));
        return command;
    }

    private static void Print(string path, InteractionLog log)
    {
        string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
        var users = new HashSet<long>(log.UserId).Count;
        var items = new HashSet<long>(log.ItemId).Count;
        var splits = log.Split is null
            ? "no split column (a random 60/20/20 split is drawn later)"
            : string.Join(", ", log.Split.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key.ToString().ToLowerInvariant()} {N(g.Count())}"));
        var pairs = ImportedPairCounts.Of(log);
        Console.WriteLine($"wrote {path}: {Counted.Of(log.Count, "rating")} by {Counted.Of(users, "user")} on {Counted.Of(items, "item")} ({Counted.Of(pairs.Distinct, "distinct (user, item) pair")}); " +
                          $"{(log.TimestampMs is null ? "no timestamps" : "with timestamps")}; {splits}.");
        foreach (var warning in pairs.Warnings()) Console.Error.WriteLine(warning);
    }
}
