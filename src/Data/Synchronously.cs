namespace InverseLearning.Data;

/// <summary>Runs Parquet.Net's async API to completion for this library's synchronous one.</summary>
internal static class Synchronously
{
    // On the thread pool, off the caller's synchronization context: a blocked wait on it would hold the thread that
    // the awaits inside want to continue on (a deadlock). GetResult rethrows the work's own exception, not an AggregateException.
    public static T Run<T>(Func<Task<T>> work) => Task.Run(work).GetAwaiter().GetResult();

    public static void Run(Func<Task> work) => Task.Run(work).GetAwaiter().GetResult();
}
