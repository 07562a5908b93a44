using InverseLearning.Serving.Operations;
using Microsoft.AspNetCore.Connections;

namespace InverseLearning.Serving.Tests;

/// <summary>
/// An admin connection is closed once it carries no request for the idle timeout, counted from its last request's end: never
/// while one runs, however long (a reload of a large model).
/// </summary>
public sealed class IdleAdminConnectionTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(300);

    private static async Task<bool> ClosedWithin(ConnectionContext connection, TimeSpan time)
    {
        var closed = new TaskCompletionSource();
        using var registration = connection.ConnectionClosed.Register(() => closed.TrySetResult());
        return await Task.WhenAny(closed.Task, Task.Delay(time)) == closed.Task;
    }

    [Fact]
    public async Task A_request_running_past_the_idle_timeout_keeps_its_connection_which_is_closed_once_idle_after_it()
    {
        var connection = new DefaultConnectionContext();
        using var idle = new IdleAdminConnection(connection, Idle);

        idle.RequestStarted();
        Assert.False(await ClosedWithin(connection, Idle * 4));
        idle.RequestEnded();

        Assert.True(await ClosedWithin(connection, TimeSpan.FromSeconds(10)));
    }
}
