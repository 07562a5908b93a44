using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace InverseLearning.Serving;

/// <summary>Counts every Ranker call and its outcome, and times it.</summary>
public sealed class MetricsInterceptor(ServingMetrics metrics) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.Unknown;
        metrics.RequestStarted(method);
        try
        {
            var response = await continuation(request, context);
            code = StatusCode.OK;
            return response;
        }
        catch (RpcException e)
        {
            code = e.StatusCode;
            throw;
        }
        finally
        {
            metrics.RequestFinished(method, code, Stopwatch.GetElapsedTime(started));
        }
    }
}
