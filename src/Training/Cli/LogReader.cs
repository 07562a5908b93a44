using System.CommandLine;
using InverseLearning.Data;

namespace InverseLearning.Training.Cli;

/// <summary>
/// Reads the log a command's <see cref="DataOptions"/> name (--data, --where), labeled and marked by the rules they
/// parse: with a progress line on stderr while it reads, and then what --on-bad-row skip left out.
/// </summary>
public sealed class LogReader(ParseResult parsed, DataOptions data)
{
    /// <summary>
    /// The extra-feedback and test-positive rules, with the column a column:NAME rule reads.
    /// An --extra-feedback given explicitly must find its column; the default (like) may be
    /// absent until a strategy needs it. --test-positives truth is left to the caller (ground truth).
    /// </summary>
    public FeedbackOptions ReadFeedbackOptions(InteractionLog log)
    {
        var (extra, testRule) = data.FeedbackRules(parsed);
        var named = new Dictionary<string, NullableColumn<bool>>();
        // The same parts ReadDataset read (a file, a directory or a glob, after --where), in the same order.
        if (extra.ColumnName is { } name) named[name] = FlagColumnReader.Read(data.Open(parsed), name, log);
        var options = new FeedbackOptions(extra, testRule, named);
        data.RequireExtraColumn(parsed, options, log);
        return options;
    }

    /// <summary>
    /// Reads the log named by --data into a compact log (see <see cref="LogDataset.ReadCompact"/>),
    /// labeled and marked by this command's rules, resolved against the columns the dataset has;
    /// with a progress line, printing what --on-bad-row skip left out.
    /// </summary>
    /// <param name="validPositives">The --valid-positives rule to mark among the rows (like, rating:N), if any.</param>
    public CompactLog ReadCompactLog(out LabelingOptions labels, FeedbackRule? validPositives = null)
    {
        var (path, dataset, rules, feedback) = Rules(validPositives);
        labels = rules;
        var extra = feedback.Extra;
        var progress = new ConsoleProgress($"reading {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}", dataset.CountRows());
        var options = data.ToReadOptions(parsed, progress);
        var log = dataset.ReadCompact(options, labels, feedback);
        progress.Complete();
        ReportRead(path, dataset, log.SkippedRows, options);
        // The same parts, in the same order.
        if (extra.ColumnName is { } name) log.MarkExtra(FlagColumnReader.ReadMarks(dataset, name, log));
        return log;
    }

    /// <summary>
    /// Streams the log named by --data (see <see cref="PreparedDataset.Stream"/>): its first pass
    /// now, with a progress line; its training rows at every epoch. Labeled and marked by this
    /// command's rules; split by hash with <paramref name="seed"/>, or by day when <paramref name="byTime"/> is given (training-test still by the hash).
    /// </summary>
    public PreparedDataset StreamLog(int seed, TimeSplit? byTime, int shuffleBuffer, bool middleBand, out LabelingOptions labels, FeedbackRule? validPositives = null)
    {
        var (path, dataset, rules, feedback) = Rules(validPositives);
        labels = rules;
        return ReadTwice(path, dataset, "first pass over", (options, progress) =>
        {
            var prepared = PreparedDataset.Stream(new LakeSource(dataset, options, rules, new SplitOptions(Seed: seed, ByHash: byTime is null), byTime), feedback, middleBand, shuffleBuffer, progress);
            return (prepared, prepared.Streamed!.SkippedRows);
        });
    }

    /// <summary>
    /// Reads the log named by --data into a held dataset by two passes (see <see cref="PreparedDataset.Hold"/>),
    /// labeled and marked by this command's rules and split by <paramref name="split"/> (or by day when
    /// <paramref name="byTime"/> is given), with a progress line; null when its rules need the whole log read
    /// (<see cref="PreparedDataset.CanHoldByScan"/>).
    /// </summary>
    public PreparedDataset? HoldLog(SplitOptions split, TimeSplit? byTime, out LabelingOptions labels, FeedbackRule? validPositives = null)
    {
        (var path, var dataset, labels, var feedback) = Rules(validPositives);
        if (!PreparedDataset.CanHoldByScan(dataset, labels, feedback, split, byTime)) return null;
        var rules = labels;
        return ReadTwice(path, dataset, "reading", (options, progress) =>
            (PreparedDataset.Hold(new LakeSource(dataset, options, rules, split, byTime), feedback, out var skipped, progress), skipped));
    }

    /// <summary>One of the reads by two passes (held or streamed), under a progress line; then what --on-bad-row skip left out.</summary>
    private PreparedDataset ReadTwice(string path, LogDataset dataset, string what,
        Func<ReadOptions, IProgress<double>, (PreparedDataset Prepared, BadRowReport Skipped)> read)
    {
        var progress = new ConsoleProgress($"{what} {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))} (twice)", 2 * dataset.CountRows());
        var options = data.ToReadOptions(parsed);
        var (prepared, skipped) = read(options, progress);
        progress.Complete();
        ReportRead(path, dataset, skipped, options);
        return prepared;
    }

    /// <summary>Refuses, from the log's schema alone (no row read), label and feedback rules its columns cannot feed.</summary>
    public void RequireRuleColumns() => Rules(validPositives: null);

    /// <summary>The dataset --data and --where name, and the label and feedback rules resolved against its columns.</summary>
    private (string Path, LogDataset Dataset, LabelingOptions Labels, FeedbackOptions Feedback) Rules(FeedbackRule? validPositives)
    {
        var path = parsed.GetValue(data.Data)!;
        var dataset = data.Open(parsed);
        var shape = dataset.Shape();
        var labels = data.ToLabelingOptions(parsed, shape);
        var (extra, testRule) = data.FeedbackRules(parsed);
        var feedback = new FeedbackOptions(extra, testRule, ValidPositives: validPositives);
        if (extra.Source != FeedbackSource.Column) data.RequireExtraColumn(parsed, feedback, shape);
        return (path, dataset, labels, feedback);
    }

    /// <summary>
    /// Reads the whole log named by --data, with the partition values of its rows (a split by
    /// time reads its days from day=), a progress line, and what --on-bad-row skip left out.
    /// </summary>
    public DatasetLog ReadDataset()
    {
        var path = parsed.GetValue(data.Data)!;
        var dataset = data.Open(parsed);
        var progress = new ConsoleProgress($"reading {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}", dataset.CountRows());
        var options = data.ToReadOptions(parsed, progress);
        var read = dataset.Read(options);
        var log = read.Log;
        progress.Complete();
        ReportRead(path, dataset, log.SkippedRows, options);
        return read;
    }

    private static void ReportRead(string path, LogDataset dataset, BadRowReport skipped, ReadOptions options)
    {
        if (dataset.LocatedParts > 1 || dataset.PartitionKeys.Count > 0)
            Console.Error.WriteLine($"{path}: read {dataset.Parts.Count} of {Counted.Of(dataset.LocatedParts, "part file")}{(dataset.PartitionKeys.Count > 0 ? $", partition columns: {string.Join(", ", dataset.PartitionKeys)}" : "")}");
        if (skipped.Total > 0)
        {
            Console.Error.WriteLine(skipped.Headline(path));
            foreach (var line in skipped.Describe(options))
                Console.Error.WriteLine("  " + line);
        }
    }
}
