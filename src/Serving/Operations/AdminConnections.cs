using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// The connections the admin listener accepted, marked as it accepts them: the admin endpoints answer those alone. Known by the
/// listener, not by a port number, the admin port can be one the system chooses as it binds (for 0): a port chosen before the
/// bind, to be compared later, could be taken in between by any socket of the machine (a client's own port included).
/// </summary>
public static class AdminConnections
{
    private static readonly object Mark = new();

    /// <summary>Marks every connection <paramref name="listen"/> accepts as the admin port's.</summary>
    public static void MarkAsAdmin(this ListenOptions listen) => listen.Use(next => connection =>
    {
        connection.Items[Mark] = Mark;
        return next(connection);
    });

    /// <summary>Whether <paramref name="context"/> came on a connection the admin listener accepted.</summary>
    public static bool IsAdmin(HttpContext context) => context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(Mark) == true;
}
