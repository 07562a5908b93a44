using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace InverseLearning.Serving.Operations;

/// <summary>Times every Ranker call by method and outcome (a stream from its start to its end).</summary>
public sealed class MetricsInterceptor(ServingMetrics metrics) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        TResponse response = default!;
        await ObserveAsync(context, async () => response = await continuation(request, context));
        return response;
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(requestStream, responseStream, context));

    private async Task ObserveAsync(ServerCallContext context, Func<Task> call)
    {
        var method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.Unknown;
        try
        {
            await call();
            code = StatusCode.OK;
        }
        catch (RpcException e)
        {
            code = e.StatusCode;
            throw;
        }
        finally
        {
            metrics.CallFinished(method, code, Stopwatch.GetElapsedTime(started));
        }
    }
}
