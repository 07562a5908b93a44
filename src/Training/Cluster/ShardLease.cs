namespace InverseLearning.Training.Cluster;

/// <summary>
/// An activation's hold on its shard: a lease file beside the shard's snapshot, open with no sharing for as long as the
/// activation lives. A silo stopped gracefully (SIGTERM, a rolling update) is left by the cluster before its shards have written
/// their last snapshots, and a call in that moment activates a shard on another silo (dotnet/orleans#5687): without the lease,
/// that activation loaded the snapshot before the last and lost the pushes between. With it, the new activation waits until the
/// old one has written its snapshot and let go. A killed silo's leases end with its process.
/// </summary>
public sealed class ShardLease : IDisposable
{
    /// <summary>How often a waiting activation tries the lease again.</summary>
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(50);

    private readonly FileStream _file;

    private ShardLease(FileStream file) => _file = file;

    /// <summary>
    /// The lease at <paramref name="path"/>, once no other activation holds it, or null when one still does after
    /// <paramref name="patience"/> (a silo cut off but running keeps it: its shard is then the cluster's to go on without).
    /// </summary>
    public static async Task<ShardLease?> TakeAsync(string path, TimeSpan patience, CancellationToken cancel)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new ShardLease(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            // A sharing violation is a plain IOException; its subclasses (a folder gone, a path too long) are other failures.
            catch (IOException e) when (e.GetType() == typeof(IOException) && waited.Elapsed < patience)
            {
                await Task.Delay(Retry, cancel);
            }
            catch (IOException e) when (e.GetType() == typeof(IOException))
            {
                return null;
            }
        }
    }

    /// <summary>Removes the lease file while still holding it (a dropped shard leaves nothing in the state folder), then lets go.</summary>
    public void Delete()
    {
        File.Delete(_file.Name);
        Dispose();
    }

    public void Dispose() => _file.Dispose();
}
