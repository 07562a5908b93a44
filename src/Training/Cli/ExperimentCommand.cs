using System.CommandLine;
using System.Globalization;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Models;
using InverseLearning.Training.Reports.Statistics;

namespace InverseLearning.Training.Cli;

/// <summary>`experiment`: methods × models on one log, repeated over seeds; the paper's Table 1 and plots.</summary>
public static class ExperimentCommand
{
    private const string DefaultBaseline = "none";
    private const int MaxRepeats = 1_000;

    public static Command Create()
    {
        var command = new Command("experiment", "Train every method × model on one log (same split), repeated over seeds: table.md, results.json, plots.");
        var data = new DataOptions();
        data.AddTo(command);
        var methods = new Option<string>("--methods") { Description = "Comma-separated methods.", DefaultValueFactory = _ => string.Join(",", MethodRegistry.Names) };
        var models = new Option<string>("--models") { Description = "Comma-separated models.", DefaultValueFactory = _ => "gmf,neumf" };
        var repeats = new Option<int>("--repeats") { Description = $"Runs per method and model (seeds seed, seed+1, …), from 1 to {MaxRepeats:N0}; tables show mean ± std.", DefaultValueFactory = _ => 1 }.Within(1, MaxRepeats);
        var ratios = new Option<string>("--lr-ratio") { Description = "Also run IG's η_s/η study at these ratios, e.g. 1,10,50,100 (RQ4); needs ig among --methods, whose runs are the ratio at their own η_s." };
        var output = new Option<string>("--out") { Description = "Output directory.", DefaultValueFactory = _ => "models/experiment" };
        var baseline = new Option<string?>("--baseline") { Description = "Reference method of the paired statistics (needs --repeats ≥ 2); default none when it is among --methods and there are 2+ repeats." };
        var jobs = new Option<int>("--jobs") { Description = "Runs trained at once; without --threads each gets cores / N ORT threads. The results are the same as one after another.", DefaultValueFactory = _ => 1 }.Within(1, Experiment.Plan.MaxJobs);
        foreach (var o in new Option[] { methods, models, repeats, ratios, output, baseline, jobs }) command.Options.Add(o);
        var train = TrainOptions.Create(command, withModelAndMethod: false);
        var split = new TimeSplitOptions();
        split.AddTo(command);
        var stream = new StreamOptions();
        stream.AddTo(command);
        command.SetAction((parse, cancel) => Task.FromResult(CliErrors.Run(() =>
        {
            var methodList = List(parse.GetValue(methods)!, MethodRegistry.Names, "--methods");
            // Checked with the first method: each run's own is checked again with its settings (--ng 0 is fine for none, not for ns).
            var settings = stream.Apply(parse, split.Apply(parse, train.Read(parse, method: methodList[0])), split);
            data.RequireTestPositivesRead(parse, settings.FullRankingTopK is not null);
            // Recorded with each run, so that train --resume on a run's folder ranks against the same positives.
            settings = settings with { TestPositives = data.TestPositivesToRecord(parse, settings) };
            var repeatCount = Repeats(parse.GetValue(repeats));
            var plan = new Experiment.Plan(settings, methodList,
                List(parse.GetValue(models)!, ModelRegistry.Names, "--models"),
                repeatCount,
                Ratios(parse.GetValue(ratios)),
                parse.GetValue(baseline) ?? (methodList.Contains(DefaultBaseline) && methodList.Count > 1 && repeatCount >= 2 ? DefaultBaseline : null),
                parse.GetValue(jobs), Source(parse, data));
            plan.Validate();
            // N runs at once share the cores: each gets its share unless --threads says otherwise, not every core N times over.
            if (!train.ThreadsGiven(parse) && plan.RunsAtOnce > 1)
            {
                plan = plan with { Base = settings = settings with { Threads = Math.Max(1, Environment.ProcessorCount / plan.RunsAtOnce) } };
                Console.Error.WriteLine($"{plan.RunsAtOnce} runs at once, {Data.Counted.Of(settings.Threads, "ORT thread")} each (--threads sets it)");
            }
            var sampleStep = Methods.InverseGradient.InverseGradientMethod.SampleLearningRate;
            foreach (var ratio in plan.LearningRateRatios)
                if (sampleStep.Check(settings.LearningRate * ratio) is not null)
                    throw new ArgumentException(FormattableString.Invariant(
                        $"--lr-ratio {ratio:G6}: IG's η_s would be {ratio:G6} × {train.Named(parse, "--lr")} {settings.LearningRate:G6} = {settings.LearningRate * ratio:G6}, outside the [{sampleStep.Min:G6}, {sampleStep.Max:G6}] IG takes"));
            var path = parse.GetValue(data.Data)!;
            var outDir = parse.GetValue(output)!;
            OutputFolder.RequireOutsideData(outDir, "--out", path);
            OutputFolder.RequireNotHoldingData(outDir, "--out", path);
            DatasetFolder.RequireNotInside(outDir, "--out", $"its runs' {Artifacts.InferenceModel.SeenFileName}", datagens: false);
            using var folder = OutputFolder.Lock(outDir, "--out");
            var truth = DatasetLoader.TruthBeside(path); // checked against the log's size before the log is read
            Selection.ValidationPositives.RequireTruth(settings, truth is not null);
            var budget = train.ReadMemoryBudget(parse).SharedBy(plan.RunsAtOnce);
            var runs = plan.Models.SelectMany(model => plan.Methods.Select(method => settings with { Model = model, Method = method })
                .Concat(plan.LearningRateRatios.Select(ratio => (settings with { Model = model, Method = Methods.InverseGradient.InverseGradientMethod.MethodName }).WithOption(Methods.InverseGradient.InverseGradientMethod.SampleLearningRate, settings.LearningRate * ratio))))
                .ToList();
            foreach (var run in runs) run.Validate();    // per method: --batch-rows divides by each method's own 1 + ng
            // Runs at once are budgeted as the largest of them, each: checked one by one, a refusal named a smaller run's need, and a
            // budget raised to it was refused again for the next run's.
            Largest(runs.Select(RunMemoryEstimate.BeforeData)).EnsureFits(budget);
            var prepared = DatasetLoader.Prepare(parse, data, settings, needsTrainingTest: runs.Any(run => MethodRegistry.Get(run.Method).NeedsTrainingTest),
                validPositives: Selection.ValidationPositives.MarkedRule(settings.ValidPositives));
            Largest(runs.Select(run => DatasetLoader.Estimate(run, prepared))).EnsureFits(budget);
            LabelWarnings.Print(runs.Select(run => run.Method), prepared, Console.Error);
            foreach (var warning in CandidateCountWarnings.For(runs, prepared.Items.Count - 1)) Console.Error.WriteLine(warning);
            foreach (var warning in train.IgnoredFlagWarnings(parse, settings, runs)) Console.Error.WriteLine(warning);
            Experiment.Outcome outcome;
            // Runs reused or resumed: their files are older than this start, yet this experiment's, not told as an earlier run's.
            var kept = new System.Collections.Concurrent.ConcurrentBag<string>();
            try
            {
                outcome = train.NamingThePreset(parse, settings, () => Experiment.Run(plan, prepared, truth, outDir, new ConsoleTrainingObserver(), Console.Error.WriteLine, cancel,
                    claimRunFolder: run => UnfinishedRun.Claim(OutputFolder.Lock(run, "--out", within: folder)), keptRun: kept.Add));
            }
            catch (OperationCanceledException)
            {
                // Its runs' checkpoints now sit beside an earlier experiment's table and plots: said now, as at an experiment's end.
                EarlierOutputs.Note(outDir, folder.TakenUtc, Console.Error, kept);
                throw;
            }
            Console.WriteLine(File.ReadAllText(Path.Combine(outDir, Reports.ResultsTable.FileName)));
            var ranking = Path.Combine(outDir, Reports.FullRankingTable.FileName);
            if (settings.FullRankingTopK is not null && File.Exists(ranking)) Console.WriteLine(File.ReadAllText(ranking));
            if (plan.Baseline is { } reference) Console.WriteLine(Verdict.Sentence(reference, outcome.Runs, outcome.Comparisons, outcome.CleanComparisons, outcome.ObservedUndefined));
            // The default baseline is `none` only when it ran: without it the tables ended with no comparison and no word of why.
            else if (plan.Methods.Count > 1 && plan.Repeats >= 2)
                Console.WriteLine($"No paired statistics: they compare each method with a baseline, `{DefaultBaseline}` by default, which is not among --methods; name one with --baseline METHOD.");
            // Plots with nothing to plot are not written (one line said so): named only when this run drew one.
            var plotted = Directory.EnumerateFiles(outDir, "*.png").Any(plot => File.GetLastWriteTimeUtc(plot) >= folder.TakenUtc);
            Console.WriteLine($"written to {outDir}/ (table.md, results.json{(plan.LearningRateRatios.Count > 0 ? $", {Reports.RatioStudyJson.FileName}" : "")}{(plotted ? ", plots" : "")})");
            AddedLakeParts.Warn(prepared, Console.Error, ofExperiment: true);
            EarlierOutputs.Note(outDir, folder.TakenUtc, Console.Error, kept);
            return 0;
        }, cancel)));
        return command;
    }

    /// <summary>The flags that read and labeled the log, as given, for the results' record of what they were run on.</summary>
    private static Reports.DataSource Source(ParseResult parse, DataOptions data) => new(
        parse.GetValue(data.Data)!, parse.GetValue(data.Where), parse.GetValue(data.Labels)!,
        parse.GetValue(data.FinishPositiveAbove), parse.GetValue(data.FinishNegativeBelow), parse.GetValue(data.RatingPositiveAtLeast), parse.GetValue(data.RatingNegativeAtMost),
        parse.GetValue(data.RatingMin), parse.GetValue(data.RatingMax), parse.GetValue(data.OnBadRow)!, parse.GetValue(data.ExtraFeedback)!, parse.GetValue(data.TestPositives)!);

    private static RunMemoryEstimate Largest(IEnumerable<RunMemoryEstimate> estimates) => estimates.MaxBy(estimate => estimate.TotalBytes)!;

    private static IReadOnlyList<string> List(string value, IReadOnlyList<string> known, string option)
    {
        var items = CommaList.Parse(value, option, string.Join(",", known), i => i);
        var unknown = items.Where(i => !known.Contains(i)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"{option}: unknown {string.Join(", ", unknown)}; expected a comma-separated list of {string.Join(", ", known)}" +
                (unknown.Count == 1 ? Serving.Spelling.DidYouMean(unknown[0], known) : DidYouMean(unknown, known)));
        return items;
    }

    /// <summary>"; did you mean ns for nss, ig for igg?": each of several wrong names' nearest known one, or nothing when none is near.</summary>
    private static string DidYouMean(IEnumerable<string> unknown, IReadOnlyList<string> known)
    {
        var meant = unknown.Select(name => (Name: name, Meant: Serving.Spelling.Nearest(name, known))).Where(n => n.Meant is not null).ToList();
        return meant.Count == 0 ? "" : $"; did you mean {string.Join(", ", meant.Select(n => $"{n.Meant} for {n.Name}"))}?";
    }

    private static int Repeats(int value) =>
        value is >= 1 and <= MaxRepeats ? value : throw new ArgumentException($"--repeats must be from 1 to {MaxRepeats:N0}, got {value:N0}");

    private static IReadOnlyList<double> Ratios(string? value) =>
        value is null ? [] : CommaList.Parse(value, "--lr-ratio", "1,10,50,100",
            v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x > 0 && double.IsFinite(x) ? x
                : throw new ArgumentException($"--lr-ratio: '{v}' is not a positive number"));
}
