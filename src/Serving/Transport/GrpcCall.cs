using Microsoft.AspNetCore.Http;

namespace InverseLearning.Serving.Transport;

/// <summary>Whether a request is a gRPC call at all, as gRPC itself tells: a POST whose content type is `application/grpc`, alone or followed by `+` or `;`.</summary>
internal static class GrpcCall
{
    private const string ContentType = "application/grpc";

    public static bool Is(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.ContentType is { } type && type.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase)
        && (type.Length == ContentType.Length || type[ContentType.Length] is '+' or ';');
}
