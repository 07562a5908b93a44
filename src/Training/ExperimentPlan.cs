using InverseLearning.Training.Methods.InverseGradient;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training;

public static partial class Experiment
{
    /// <summary>The grid of runs, and where each run writes: the main runs under MODEL/METHOD/seedN, the --lr-ratio study's under lr-ratio/.</summary>
    /// <param name="Baseline">The reference method of the paired statistics; null for none.</param>
    /// <param name="Jobs">Runs trained at once (each with the settings' own threads); results do not depend on it.</param>
    /// <param name="Source">The log and the flags that read and labeled it, recorded with the results; null where no command line gave them.</param>
    public sealed record Plan(TrainSettings Base, IReadOnlyList<string> Methods, IReadOnlyList<string> Models, int Repeats,
        IReadOnlyList<double> LearningRateRatios, string? Baseline = null, int Jobs = 1, DataSource? Source = null)
    {
        public const int MaxJobs = 64;

        /// <summary>Runs that train at once: <see cref="Jobs"/>, or fewer when there are fewer runs (the --lr-ratio study's run one by one).</summary>
        public int RunsAtOnce => Math.Min(Jobs, Repeats * Methods.Count * Models.Count);

        /// <summary>Throws <see cref="ArgumentException"/> when a repeat's seed would not fit an int, or statistics are asked for but cannot be computed.</summary>
        public void Validate()
        {
            // Seeds seed … seed+repeats−1 would wrap around to negative ones past int.MaxValue.
            var lastSeed = (long)Base.Seed + Repeats - 1;
            if (lastSeed > int.MaxValue)
                throw new ArgumentException($"--seed {Base.Seed} with --repeats {Repeats} needs seeds up to {lastSeed}, past the largest seed {int.MaxValue}; " +
                                            $"give --seed {int.MaxValue - Repeats + 1} or less");
            if (Jobs is < 1 or > MaxJobs) throw new ArgumentException($"--jobs must be from 1 to {MaxJobs}, got {Jobs}");
            // The study is IG's, and its runs at the default η_s are the main ig runs: without them it would train a method --methods left out.
            if (LearningRateRatios.Count > 0 && !Methods.Contains(InverseGradientMethod.MethodName))
                throw new ArgumentException($"--lr-ratio studies IG's η_s / η, and --methods ({string.Join(",", Methods)}) has no {InverseGradientMethod.MethodName}: " +
                                            $"add {InverseGradientMethod.MethodName} to --methods, or leave --lr-ratio out");
            if (Baseline is null) return;
            if (!Methods.Contains(Baseline))
                throw new ArgumentException(Training.Methods.MethodRegistry.Names.Contains(Baseline)
                    ? $"--baseline {Baseline} is not one of --methods ({string.Join(",", Methods)}); the baseline must be trained too"
                    // A misspelling (nss) or another case (NS): told so, with the method it most likely meant, one of the plan's first.
                    : $"--baseline {Baseline} is no method; expected one of --methods ({string.Join(",", Methods)})" +
                      (Serving.Spelling.Nearest(Baseline, Methods) is { } meant ? $"; did you mean {meant}?" : Serving.Spelling.DidYouMean(Baseline, Training.Methods.MethodRegistry.Names)));
            if (Repeats < 2)
                throw new ArgumentException($"--baseline needs --repeats of at least 2 (got {Repeats}): paired statistics over seeds need two pairs or more");
            if (Methods.Count < 2)
                throw new ArgumentException($"--baseline {Baseline} is the only one of --methods: there is no other method to compare with it; add one, or leave --baseline out");
        }

        /// <summary>The main runs' settings, model by model, method by method, seed by seed: every one on the same split.</summary>
        internal IReadOnlyList<TrainSettings> MainRuns() =>
            [.. (from model in Models
                 from method in Methods
                 from repeat in Enumerable.Range(0, Repeats)
                 select Base with { Model = model, Method = method, Seed = Base.Seed + repeat, SplitSeed = Base.EffectiveSplitSeed })];

        /// <summary>Every run's folder: the main runs' and the --lr-ratio study's.</summary>
        internal IEnumerable<string> RunFolders(string outputDirectory) =>
            from model in Models
            from seed in Enumerable.Range(Base.Seed, Repeats)
            from folder in Methods.Select(method => RunFolder(outputDirectory, model, method, seed))
                .Concat(RatioRuns.Select(ratio => RatioRunFolder(outputDirectory, model, ratio, seed)))
            select folder;

        internal static string RunFolder(string outputDirectory, string model, string method, int seed) => Path.Combine(outputDirectory, model, method, $"seed{seed}");

        internal static string RatioRunFolder(string outputDirectory, string model, double ratio, int seed) =>
            Path.Combine(outputDirectory, "lr-ratio", model, $"ratio{ratio}", $"seed{seed}");

        /// <summary>The --lr-ratio study's ratios that train runs of their own: all but the one at the main ig runs' η_s.</summary>
        internal IReadOnlyList<double> RatioRuns =>
            [.. LearningRateRatios.Where(ratio => !SameStep(Base.LearningRate * ratio, Base.Option(InverseGradientMethod.SampleLearningRate)))];

        // Equal but for rounding: 1e-4 × 3 is 3.0000000000000003e-4, not the 3e-4 --sample-lr gave, and trained the main runs again.
        private static bool SameStep(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b));

        /// <summary>Every run the experiment trains or reuses: the main runs and the --lr-ratio study's own.</summary>
        internal int RunCount => Repeats * Models.Count * (Methods.Count + RatioRuns.Count);
    }
}
