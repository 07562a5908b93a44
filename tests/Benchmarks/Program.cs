using System.Diagnostics;
using InverseLearning.Benchmarks;

// Usage: dotnet run --project tests/Benchmarks -c Release -- [NAME ...]
// With no names, every benchmark runs. Scratch data lives in models/bench/.
var all = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args is ["--help"] or ["-h"] or ["-?"])
{
    Console.WriteLine($"usage: make bench ARGS=\"NAME ...\" (or dotnet run --project tests/Benchmarks -c Release -- NAME ...); with no name, every benchmark runs, "
        + $"which takes long. Scratch data in $BENCH_DIR (default models/bench). Benchmarks: {string.Join(", ", all.Select(b => b.Name))}");
    return 0;
}

var unknown = args.Where(a => all.All(b => b.Name != a)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown benchmark(s): {string.Join(", ", unknown)}; known: {string.Join(", ", all.Select(b => b.Name))}");
    return 2;
}

var selected = args.Length == 0 ? all : all.Where(b => args.Contains(b.Name)).ToList();
var workDir = Path.GetFullPath(Environment.GetEnvironmentVariable("BENCH_DIR") ?? "models/bench");
Directory.CreateDirectory(workDir);
Console.WriteLine($"# make bench — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
foreach (var bench in selected)
{
    Console.WriteLine();
    Console.WriteLine($"## {bench.Name}");
    var clock = Stopwatch.StartNew();
    bench.Run(workDir, Console.Out);
    Console.WriteLine($"({bench.Name}: {clock.Elapsed.TotalSeconds:F1} s)");
}
return 0;
