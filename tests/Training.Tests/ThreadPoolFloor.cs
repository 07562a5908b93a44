using System.Runtime.CompilerServices;

namespace InverseLearning.Training.Tests;

/// <summary>
/// This test process hosts Orleans silos and their clients while test classes run in parallel, and the cluster store's
/// calls block their thread until the shards answer (the trainer is synchronous). On two cores the thread pool starts with
/// two threads and adds more about twice a second, so blocked callers could starve the silos that must answer them: a
/// shard's one-line Create timed out for 60 s in a full run and took 5 s alone. A floor of threads keeps the silos served.
/// A CLI process hosts one trainer and no silo, and needs none.
/// </summary>
internal static class ThreadPoolFloor
{
    private const int Threads = 64;

    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, Threads), Math.Max(completionPorts, Threads));
    }
}
