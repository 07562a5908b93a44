namespace InverseLearning.Benchmarks;

/// <summary>
/// One benchmark of `make bench`. Implementations are found by reflection, so adding a
/// benchmark is adding one file. Each prints its figures as Markdown lines ready for
/// BENCHMARKS.md; speed is compared as ratios measured within one run.
/// </summary>
public interface IBenchmark
{
    /// <summary>Short name used to select it: `make bench ARGS=name`.</summary>
    string Name { get; }

    /// <summary>Runs the benchmark; <paramref name="workDir"/> is a scratch folder kept between runs (generated data is cached there).</summary>
    void Run(string workDir, TextWriter report);
}
