using System.CommandLine;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;

namespace InverseLearning.Training.Cli;

/// <summary>Turns a command's data options into a prepared dataset (labels, vocabulary, split) and, for simulated logs, the ground truth.</summary>
public static class DatasetLoader
{
    /// <summary>Reads (or streams), labels and splits the log as <paramref name="settings"/> say; refuses one whose splits cannot give a run (see <see cref="TrainableData"/>).</summary>
    /// <param name="needsTrainingTest">True for IG, which also needs rows in both parts of the training split.</param>
    /// <param name="validPositives">The --valid-positives rule to mark among the validation rows (like, rating:N), if any.</param>
    public static PreparedDataset Prepare(ParseResult parse, DataOptions options, TrainSettings settings, bool needsTrainingTest = false, FeedbackRule? validPositives = null)
    {
        // Before the log is read, as --test-positives is: out of range, it failed only once the rows were split, finding no positive.
        options.RequireInRatingRange(parse, validPositives, "--valid-positives");
        var path = parse.GetValue(options.Data)!;
        // Footers only. A log of no rows was told to choose another --labels, or under --split time that it had rows on 0 days.
        if (options.Open(parse).CountRows() == 0)
            throw new DataException($"{path}: the log is empty: 0 rows{(parse.GetValue(options.Where) is { } where ? $" in the partitions --where '{where}' selects" : "")}; " +
                "give a log with rows");
        var reader = new LogReader(parse, options);
        var (seed, byTime) = (settings.EffectiveSplitSeed, settings.TimeSplit);
        LabelingOptions labels;
        PreparedDataset prepared;
        if (settings.Stream)
        {
            prepared = reader.StreamLog(seed, byTime, settings.EffectiveShuffleBuffer, settings.UnlabeledSource != UnlabeledSource.Unseen, out labels, validPositives);
            Console.Error.WriteLine($"labels: {DataOptions.RuleName(labels.Rule)}; extra feedback: {prepared.Extra.Rule}; split by {(byTime is null ? "hash" : "time, training-test by hash")}, seed {seed}; " +
                $"streaming: the first pass holds {ByteSize.Format(prepared.ResidentBytes)}, the {prepared.TrainRows.Count:N0} training rows are read again at every epoch " +
                $"through a shuffle buffer of {settings.EffectiveShuffleBuffer:N0} rows");
            foreach (var line in prepared.TimeSplitReport?.Describe() ?? []) Console.Error.WriteLine(line);
        }
        else
        {
            var split = new SplitOptions(Seed: seed, ByHash: settings.HashSplit);
            // Read by two passes, unless the rules need the whole log read first: then split as read (by time, from each row's day).
            prepared = reader.HoldLog(split, byTime, out labels, validPositives) ?? ReadWhole(parse, options, reader, split, byTime, validPositives, out labels);
            Console.Error.WriteLine($"labels: {DataOptions.RuleName(labels.Rule)}; extra feedback: {prepared.Extra.Rule}; " +
                (byTime is null ? $"split {(settings.HashSplit ? "by hash, " : "")}seed {seed}" : $"split seed {seed} (training-test)"));
            foreach (var line in prepared.TimeSplitReport?.Describe() ?? []) Console.Error.WriteLine(line);
        }
        foreach (var warning in options.IgnoredThresholdWarnings(parse, labels.Rule)) Console.Error.WriteLine(warning);
        // The checkpoint's (eval, export, --resume): before its data's check, which cannot name the flag.
        options.RequireRecordedLabels(parse, settings.LabelFlags, labels.Rule);
        // A split by hash meets its shares in expectation only, and a streamed one is not held: say what it gave, and that it set aside
        // the log's own split (import-ratings' train=/valid=/test=), as the split by time's line does.
        if (settings.HashSplit || settings.Stream)
            Console.Error.WriteLine($"split by {(byTime is null ? "hash" : "time")}: train {prepared.TrainRows.Count:N0} (training-train {prepared.TrainTrainCount:N0}, training-test {prepared.TrainTestCount:N0}), " +
                $"valid {prepared.Valid.Count:N0}, test {prepared.Test.Count:N0} labeled rows" +
                (byTime is null && HasSplitColumn(parse, options) ? IgnoredSplitColumn : ""));
        TrainableData.Require(prepared, path, labels.Rule, needsTrainingTest);
        // The parts read, as listed for the read: a part added since is in no checkpoint's record, and eval and export leave it out.
        var lake = options.Open(parse);
        (prepared.ReadParts, prepared.LakeListing) = (lake.Record(), lake.Listing);
        return prepared;
    }

    /// <summary>What a split line adds when the split set the log's own split column aside.</summary>
    public const string IgnoredSplitColumn = "; the log's split column is not used";

    /// <summary>Whether the log --data and --where name has a split column, or split= partitions that give one (footers read only).</summary>
    private static bool HasSplitColumn(ParseResult parse, DataOptions options) =>
        options.Open(parse).Shape().Split is not null;

    /// <summary>The whole log read, then split: the compact log's columns moved into the splits, or split by time the whole log with its rows' days.</summary>
    private static PreparedDataset ReadWhole(ParseResult parse, DataOptions options, LogReader reader, SplitOptions split, TimeSplit? byTime, FeedbackRule? validPositives, out LabelingOptions labels)
    {
        if (byTime is null)
            return PreparedDataset.Prepare(reader.ReadCompactLog(out labels, validPositives), split);
        // A split by time needs each row's day, which the compact log does not keep.
        var dataset = reader.ReadDataset();
        labels = options.ToLabelingOptions(parse, dataset.Log);
        var feedback = reader.ReadFeedbackOptions(dataset.Log) with { ValidPositives = validPositives };
        return Split(dataset, parse.GetValue(options.Data)!, labels, split with { ByHash = false }, feedback, byTime);
    }

    /// <summary>Labels and splits a read log: by time when <paramref name="byTime"/> says so, else by its split column or randomly.</summary>
    public static PreparedDataset Split(DatasetLog dataset, string path, LabelingOptions labels, SplitOptions split, FeedbackOptions feedback, TimeSplit? byTime) =>
        byTime is null ? PreparedDataset.Prepare(dataset.Log, labels, split, feedback)
            : PreparedDataset.Prepare(dataset.Log, labels, split, feedback, RowDays.Of(dataset, path), byTime, path);

    /// <summary>The memory estimate of <paramref name="settings"/> on <paramref name="data"/>'s vocabularies, before the model is built.</summary>
    public static void EnsureFits(TrainSettings settings, PreparedDataset data, MemoryBudget budget) => Estimate(settings, data).EnsureFits(budget);

    /// <summary>The memory estimate of <paramref name="settings"/> on <paramref name="data"/>'s vocabularies and rows.</summary>
    public static RunMemoryEstimate Estimate(TrainSettings settings, PreparedDataset data) =>
        RunMemoryEstimate.For(settings, data.Users.Count, data.Items.Count, EvaluationRows(data),
            new RunMemoryEstimate.PreparedLogSize(data.ResidentBytes, data.Streamed is null ? data.TrainRows.Count : 0, data.ReadGroupRows), trainingRows: data.TrainRows.Count);

    /// <summary>
    /// The most rows one evaluation scores: the larger held-out split, the validation rows counted twice
    /// for implicit feedback, which validates on its positives and as many sampled negatives (Trainer.ValidationRows).
    /// </summary>
    public static long EvaluationRows(PreparedDataset data) =>
        Math.Max(data.Valid.PositiveCount == data.Valid.Count ? 2L * data.Valid.Count : data.Valid.Count, data.Test.Count);

    /// <summary>
    /// The simulation's truth beside the log, when there is one; refused, before any row is read, when it is not that log's:
    /// it describes another number of impressions than the whole dataset's rows (a log imported or copied over a simulation's,
    /// a lake with partitions added or removed), or a part's footer holds another simulation's stamp, or none while the
    /// truth has one (another simulation of the same size). Its clean-test and annotation figures would be another log's.
    /// A glob selects part of its root folder's dataset, as --where does: its truth is the one `--data ROOT` finds, checked against
    /// that whole dataset (`lake/**/*.parquet` found none beside `lake/**`, and trained without the truth the folder form had).
    /// </summary>
    /// <param name="run">
    /// What the run whose checkpoint is evaluated (or resumed) did not read of the dataset: the parts its --where or glob left out,
    /// which the simulation wrote and its truth counts, and those added since, which it does not. Where the checkpoint records the
    /// lake's listing as the run began, the parts added since are those it did not list, and they alone are not counted; where it
    /// does not, all the parts it did not read are not counted, and only when the whole dataset's rows are not the truth's.
    /// </param>
    public static GroundTruth? TruthBeside(string dataPath, RunLake? run = null)
    {
        dataPath = LogDataset.GlobRoot(dataPath) ?? dataPath;
        if (!HasTruthBeside(dataPath)) return null;
        var directory = TruthDirectory(dataPath);
        var truth = GroundTruth.Load(directory);
        var whole = LogDataset.Open(dataPath);
        List<LogDataset.PartFooter> footers;
        try
        {
            footers = [.. whole.Footers()];
        }
        // A part --where (or a glob) leaves out is read too, for the truth counts the whole lake: say why it was read.
        catch (DataException e)
        {
            throw new DataException($"{e.Message.TrimEnd('.')} (read to check {Path.Combine(directory, GroundTruth.ImpressionsFileName)} beside the lake against every part's rows, " +
                $"whatever --where selects: repair or remove the part, or move {GroundTruth.ImpressionsFileName} and {GroundTruth.ModelFileName} away)", e);
        }
        if (run?.Listed is { } listed)
        {
            var listedSet = listed.ToHashSet(StringComparer.Ordinal);
            footers = [.. footers.Zip(whole.Parts).Where(pair => listedSet.Contains(pair.Second.RelativePath)).Select(pair => pair.First)];
        }
        // A run over a window of the lake (--where, a glob), evaluated on the whole lake, left out parts that were there all along.
        else if (footers.Sum(part => part.Rows) != truth.Impressions && run is { NotRead.Count: > 0 })
            footers = footers.Where(part => !run.NotRead.Contains(part.Path)).ToList();
        var rows = footers.Sum(part => part.Rows);
        var truthFile = Path.Combine(directory, GroundTruth.ImpressionsFileName);
        var advice = $"it is another log's ground truth (datagen writes the two together); give the log it came with, or move {GroundTruth.ImpressionsFileName} and {GroundTruth.ModelFileName} away";
        // Parts the simulation did not stamp were added after it (an import or a copy into a partition): they, not the truth, are the odd ones.
        var added = truth.Stamp is { } own ? footers.Where(part => SimulationStamp.In(part.Metadata) != own).ToList() : [];
        if (rows != truth.Impressions && added.Count > 0 && added.Count < footers.Count)
            throw new DataException($"{truthFile} describes {truth.Impressions:N0} impressions, and {dataPath} holds {rows:N0} rows: {added[0].Path}" +
                $"{(added.Count > 1 ? $" and {Counted.Of(added.Count - 1, "more part file")}" : "")} {(added.Count > 1 ? "were" : "was")} not written by this simulation " +
                $"(added to its log since, by another tool or a copy); move {(added.Count > 1 ? "them" : "it")} out of the dataset");
        if (rows != truth.Impressions && truth.Stamp is not null && added.Count == 0 && footers.Count > 0)
            throw new DataException($"{truthFile} describes {truth.Impressions:N0} impressions, and {dataPath} holds {rows:N0} rows, though every part carries this simulation's stamp: " +
                $"{ChangedSinceDatagen(footers, rows - truth.Impressions)}; restore its parts, or write the simulation again with datagen");
        if (rows != truth.Impressions)
            throw new DataException($"{truthFile} describes {truth.Impressions:N0} impressions, and {dataPath} holds {rows:N0} rows: {advice}");
        if (truth.Stamp is { } stamp && footers.FirstOrDefault(part => SimulationStamp.In(part.Metadata) != stamp) is { } foreign)
            throw new DataException($"{truthFile} was written by another simulation than {foreign.Path} " +
                $"({(SimulationStamp.In(foreign.Metadata) is { } other ? $"stamps {stamp} and {other}" : "which no datagen stamped")}), of as many rows: {advice}");
        return truth;
    }

    /// <summary>
    /// How a simulation's own lake changed since datagen wrote it, <paramref name="extraRows"/> rows more than its truth (fewer when
    /// negative): its parts of 0 rows and those whose stamp (length and footer) repeats another part's, a copy, named.
    /// </summary>
    /// <remarks>A part removed since the lake was listed is a <see cref="DataException"/> that says so.</remarks>
    public static string ChangedSinceDatagen(IReadOnlyList<LogDataset.PartFooter> footers, long extraRows)
    {
        var empty = footers.Where(part => part.Rows == 0).Select(part => $"{part.Path} holds 0 rows");
        var copies = footers.Where(part => part.Rows > 0).GroupBy(part => PartStamp.OfListed(part.Path, "its parts were compared with the simulation's ground truth; run again")).Where(same => same.Count() > 1)
            .SelectMany(same => same.Skip(1).Select(copy => $"{copy.Path} repeats {same.First().Path}"));
        var found = string.Join("; ", empty.Concat(copies));
        return $"the lake changed since datagen wrote it ({(extraRows < 0 ? $"{-extraRows:N0} rows fewer: a part removed or emptied" : $"{extraRows:N0} rows more: a part copied")}" +
            $"{(found.Length > 0 ? $"; {found}" : "")}), it is not another log's truth";
    }

    private static bool HasTruthBeside(string dataPath) => GroundTruth.Exists(TruthDirectory(dataPath));

    // A dataset directory given as "DIR/interactions/" has its truth in DIR, as "DIR/interactions" does.
    private static string TruthDirectory(string dataPath) => Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataPath)))!;
}
