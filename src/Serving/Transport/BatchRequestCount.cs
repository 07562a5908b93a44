using Microsoft.AspNetCore.Http;

namespace InverseLearning.Serving.Transport;

/// <summary>A RankBatch call's requests, counted in its message's bytes before gRPC parses them (<see cref="RequestScan"/>).</summary>
internal static class BatchRequestCount
{
    /// <summary>
    /// The requests in the call's first message (uncompressed, <paramref name="length"/> bytes, at most the
    /// request-size limit: that check came first), counted no further than one past <paramref name="limit"/>
    /// and left unread for gRPC. A compressed message is not counted: gRPC's own size limit covers what it inflates to.
    /// </summary>
    /// <exception cref="MalformedMessageException">The message is not protobuf that <see cref="RequestScan"/> can walk.</exception>
    /// <param name="cancellationToken">Ends the wait for the message's bytes (the client gone, or its deadline come).</param>
    public static async Task<int> PeekAsync(HttpContext context, int length, int limit, CancellationToken cancellationToken)
    {
        var reader = context.Request.BodyReader;
        var result = await reader.ReadAtLeastAsync(GrpcFrames.HeaderLength + length, cancellationToken);
        try
        {
            return result.Buffer.Length >= GrpcFrames.HeaderLength + length ? RequestScan.CountRequests(result.Buffer.Slice(GrpcFrames.HeaderLength, length), limit) : 0;
        }
        finally
        {
            reader.AdvanceTo(result.Buffer.Start);
        }
    }
}
