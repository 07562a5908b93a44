using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// The connections the admin listener accepted, marked as it accepts them: the admin endpoints answer those alone. Known by the
/// listener, not by a port number, the admin port can be one the system chooses as it binds (for 0): a port chosen before the
/// bind, to be compared later, could be taken in between by any socket of the machine (a client's own port included). Each is
/// closed once it carries no request for <see cref="IdleTimeout"/> (<see cref="IdleAdminConnection"/>).
/// </summary>
public static class AdminConnections
{
    /// <summary>How long an admin connection may carry no request before it is closed: a few seconds, where a probe's request comes at once.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(5);

    private static readonly object Mark = new();

    /// <summary>Marks every connection <paramref name="listen"/> accepts as the admin port's, and closes it once idle.</summary>
    public static void MarkAsAdmin(this ListenOptions listen) => listen.Use(next => async connection =>
    {
        using var idle = new IdleAdminConnection(connection, IdleTimeout);
        connection.Items[Mark] = idle;
        await next(connection);
    });

    /// <summary>Whether <paramref name="context"/> came on a connection the admin listener accepted.</summary>
    public static bool IsAdmin(HttpContext context) => AdminConnectionOf(context) is not null;

    /// <summary>Keeps each admin connection from being closed as idle while one of its requests runs.</summary>
    public static void UseAdminIdleClosing(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (AdminConnectionOf(context) is not { } idle)
        {
            await next(context);
            return;
        }
        idle.RequestStarted();
        try
        {
            await next(context);
        }
        finally
        {
            idle.RequestEnded();
        }
    });

    private static IdleAdminConnection? AdminConnectionOf(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(Mark, out var idle) == true ? idle as IdleAdminConnection : null;
}
