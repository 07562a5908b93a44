namespace InverseLearning.Benchmarks;

/// <summary>
/// `make bench ARGS=ranking-unary`: only what issue 22's open goal compares (unary Rank ÷ GetModelInfo at 64
/// streams, pinned), with each call's allocations, short enough to alternate base and new builds several times.
/// </summary>
public sealed class RankingUnaryBenchmark : IBenchmark
{
    public string Name => "ranking-unary";

    public void Run(string workDir, TextWriter report) => RankingLoadBenchmark.RunUnaryAsync(workDir, report).GetAwaiter().GetResult();
}
