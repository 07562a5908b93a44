using Google.Protobuf;
using Grpc.Core;
using InverseLearning.V1;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// Binds the Ranker's generated methods with request parsers that turn a malformed protobuf
/// body into INVALID_ARGUMENT (the client sent bad bytes) rather than the framework's UNKNOWN
/// and a logged stack trace. Grpc.AspNetCore finds this through the service's
/// [BindServiceMethod]; everything else (routes, reflection, handlers) is the generated binding.
/// </summary>
public static class StrictRankerBinding
{
    public static void BindService(ServiceBinderBase binder, Ranker.RankerBase? service) => Ranker.BindService(new Binder(binder), service!);

    private sealed class Binder(ServiceBinderBase inner) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);
    }

    private static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method) =>
        new(method.Type, method.ServiceName, method.Name, Strict(method.RequestMarshaller), method.ResponseMarshaller);

    private static Marshaller<T> Strict<T>(Marshaller<T> marshaller) => new(marshaller.ContextualSerializer, context =>
    {
        try
        {
            return marshaller.ContextualDeserializer(context);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"the request body is not a valid {typeof(T).Name} message ({e.Message})"));
        }
    });
}
