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
        command.Options.Add(inputs);
        command.Options.Add(outDir);
        command.Options.Add(unit);

        command.SetAction(parsed =>
        {
            var progress = new ConsoleProgress("importing");
            try
            {
                var specs = parsed.GetValue(inputs)!.Select(RatingsInput.Parse).ToList();
                var options = new ImportOptions(parsed.GetValue(unit) == "ms" ? TimestampUnit.Milliseconds : TimestampUnit.Seconds, progress);
                var dir = parsed.GetValue(outDir)!;
                var log = RatingsImporter.Import(specs, dir, options);
                progress.Complete();
                Print(Path.Combine(dir, "interactions.parquet"), log);
                return 0;
            }
            catch (Exception e) when (e is DataException or IOException or UnauthorizedAccessException)
            {
                progress.Complete();
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
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
        Console.WriteLine($"wrote {path}: {N(log.Count)} ratings by {N(users)} users on {N(items)} items; "
                          + $"{(log.TimestampMs is null ? "no timestamps" : "with timestamps")}; {splits}.");
    }
}
