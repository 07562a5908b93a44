using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// Times every Ranker call by method and outcome (a stream from its start to its end). Each handler is one async
/// method around the call: unary Rank suspends on every call, and each nested async layer (a lambda, a helper) was
/// another state machine allocated and resumed per call.
/// </summary>
public sealed class MetricsInterceptor(ServingMetrics metrics) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.Unknown;
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
            Finished(context, code, started);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.Unknown;
        try
        {
            await continuation(requestStream, responseStream, context);
            code = StatusCode.OK;
        }
        catch (RpcException e)
        {
            code = e.StatusCode;
            throw;
        }
        finally
        {
            Finished(context, code, started);
        }
    }

    private void Finished(ServerCallContext context, StatusCode code, long started) =>
        metrics.CallFinished(context.Method[(context.Method.LastIndexOf('/') + 1)..], code, Stopwatch.GetElapsedTime(started));
}
