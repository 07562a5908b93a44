using InverseLearning.Training.Cluster;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>The lease a shard's live activation holds: the next one waits for it, and past its patience goes on without it.</summary>
public sealed class ShardLeaseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("il-lease-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_lease_held_is_waited_for_until_let_go_and_given_up_past_the_patience()
    {
        var path = Path.Combine(_dir, "shard.run.0.lease");
        using var first = await ShardLease.TakeAsync(path, TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.NotNull(first);

        Assert.Null(await ShardLease.TakeAsync(path, TimeSpan.FromMilliseconds(200), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
        var waiting = ShardLease.TakeAsync(path, TimeSpan.FromSeconds(30), CancellationToken.None);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        first!.Dispose();
        using var second = await waiting;
        Assert.NotNull(second);
    }

    [Fact]
    public async Task A_deleted_lease_leaves_no_file()
    {
        var path = Path.Combine(_dir, "shard.run.1.lease");
        var lease = await ShardLease.TakeAsync(path, TimeSpan.FromSeconds(1), CancellationToken.None);
        lease!.Delete();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_lease_in_a_folder_that_is_gone_fails_at_once_not_after_the_patience()
    {
        // Only another activation's hold (a sharing violation) is waited for: a state folder gone is no hold to wait out.
        var path = Path.Combine(_dir, "gone", "shard.run.2.lease");

        await Assert.ThrowsAsync<DirectoryNotFoundException>(() =>
            ShardLease.TakeAsync(path, TimeSpan.FromMinutes(5), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
