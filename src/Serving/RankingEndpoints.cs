using InverseLearning.Serving.Operations;
using InverseLearning.Serving.Transport;
using Microsoft.AspNetCore.Builder;

namespace InverseLearning.Serving;

/// <summary>The ranking server's request pipeline: admission in front of the Ranker, health, reflection and the admin endpoints.</summary>
public static class RankingEndpoints
{
    /// <param name="withAdmin">Whether the admin port is on: `/metrics` and `POST /admin/reload` are mapped only then.</param>
    public static void MapRankingEndpoints(this WebApplication app, bool withAdmin)
    {
        // Routing first, as the host would place it by itself: the admission knows a Ranker call by the endpoint routing chose.
        app.UseRouting();
        if (withAdmin) app.UseAdminIdleClosing();
        app.UseMiddleware<GrpcAdmission>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<RankerService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        if (withAdmin) app.MapAdminEndpoints();
    }
}
