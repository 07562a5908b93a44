using Grpc.Core;
using InverseLearning.Serving.Models;
using InverseLearning.Serving.Models.Contract;
using InverseLearning.Serving.Operations;
using InverseLearning.Serving.Scoring;
using InverseLearning.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Serving.Transport;

/// <summary>The Ranker gRPC service: validates, scores through the batcher of the model it leases, orders.</summary>
[BindServiceMethod(typeof(StrictRankerBinding), nameof(StrictRankerBinding.BindService))]
public sealed class RankerService(ModelHost host, RequestValidator validator, IOptions<RankingOptions> settings, ServingMetrics metrics,
    IHostApplicationLifetime lifetime, ILogger<RankerService> logger) : Ranker.RankerBase
{
    private readonly RankingOptions _options = settings.Value;

    /// <summary>
    /// What one ranked item of an answer is counted as against a stream's <see cref="RankingOptions.MaxStreamAnswerBytes"/>: its
    /// object and its place in the answer's list (48 bytes), and its encoded form while the answer is written (13 bytes for an id
    /// below 2^35, 18 at most).
    /// </summary>
    public const int RankedItemBytes = 64;

    public override async Task<ScoreResponse> Score(ScoreRequest request, ServerCallContext context)
    {
        validator.CheckItems(request.ItemIds.Count, "item_ids");
        using var lease = host.Acquire();
        ScoreResult result;
        try { result = await lease.Model.ScoreAsync(request.UserId, request.ItemIds, context.CancellationToken); }
        catch (Exception e) when (Refusal(e, lease.Model, request.UserId, request.ItemIds.Count, context) is { } refusal) { throw refusal; }
        var response = new ScoreResponse { KnownUser = result.UserKnown };
        response.Scores.AddRange(result.Scores);
        response.KnownItems.AddRange(result.ItemKnown);
        return response;
    }

    public override Task<RankResponse> Rank(RankRequest request, ServerCallContext context) => StartRank(request, context, context.CancellationToken);

    /// <summary>
    /// Rank's requests on one stream, answered in order through the same checks and batcher, at most <see cref="RankingOptions.MaxStreamInFlight"/>
    /// at a time and at most <see cref="RankingOptions.MaxStreamAnswerBytes"/> of answers held (each request counted at its largest answer,
    /// min(top_k, candidates) × <see cref="RankedItemBytes"/>); a request that finds the scoring queue full waits for room (the stream's reading
    /// stops meanwhile), where a unary call is refused.
    /// </summary>
    public override async Task RankStream(IAsyncStreamReader<RankRequest> requestStream, IServerStreamWriter<RankResponse> responseStream, ServerCallContext context)
    {
        try
        {
            var end = await OrderedStream.RunAsync(requestStream, responseStream, _options.MaxStreamInFlight, _options.MaxStreamAnswerBytes, LargestAnswerBytes,
                context.GetHttpContext().Request.BodyReader, _options.MaxRequestBytes, _options.StreamIdleTimeout, (request, cancellationToken) => StartRank(request, context, cancellationToken, waitForRoom: true), metrics, lifetime.ApplicationStopping,
                context.CancellationToken);
            switch (end)
            {
                // A long-lived stream must not hold shutdown up to the drain timeout: it ends, and the client reconnects elsewhere.
                case StreamEnd.ServerStopping:
                    throw new RpcException(new Status(StatusCode.Unavailable, "the server is shutting down; every request read was answered; reconnect to go on"));
                // An idle stream gives back its stream and call slots; UNAVAILABLE, which a client may retry, opens a new one.
                case StreamEnd.Idle:
                    throw new RpcException(new Status(StatusCode.Unavailable,
                        $"the stream sent no message for {_options.StreamIdleTimeout.TotalMilliseconds:0} ms (--stream-idle-timeout-ms) and was closed; every request read was answered; open a new stream to go on"));
                // Counted as the client's going away, as when the cancellation came first; not an error of the server's.
                case StreamEnd.CallEnded:
                    throw Ended(context, "the stream ended before its requests were answered");
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && context.CancellationToken.IsCancellationRequested)
        {
            throw Ended(context, "the stream ended before its requests were answered");
        }
    }

    /// <summary>The most a request's answer can hold, known before it is scored; nothing for a top_k or candidate list its checks refuse.</summary>
    private static long LargestAnswerBytes(RankRequest request) => Math.Max(0L, Math.Min(request.TopK, request.CandidateItemIds.Count)) * RankedItemBytes;

    /// <summary>Checks the request at once (a bad one throws here, before anything is queued), then ranks it.</summary>
    /// <param name="waitForRoom">A RankStream's request waits for room in a full scoring queue (the stream stops reading meanwhile) instead of being refused.</param>
    private Task<RankResponse> StartRank(RankRequest request, ServerCallContext context, CancellationToken cancellationToken, bool waitForRoom = false)
    {
        validator.CheckItems(request.CandidateItemIds.Count, "candidate_item_ids");
        RequestValidator.CheckTopK(request.TopK);
        return RankAsync(request, context, waitForRoom, cancellationToken);
    }

    private async Task<RankResponse> RankAsync(RankRequest request, ServerCallContext context, bool waitForRoom, CancellationToken cancellationToken)
    {
        var items = request.CandidateItemIds;
        using var lease = host.Acquire();
        ScoreResult result;
        try { result = await lease.Model.ScoreAsync(request.UserId, items, cancellationToken, waitForRoom); }
        catch (Exception e) when (Refusal(e, lease.Model, request.UserId, items.Count, context) is { } refusal) { throw refusal; }
        return Ranked(items, result.Scores, TopK.Select(result.Scores, request.TopK));
    }

    /// <summary>Rank for many users in one call: the requests' rows go to the batcher as one job, and each request gets its own top_k.</summary>
    public override async Task<RankBatchResponse> RankBatch(RankBatchRequest request, ServerCallContext context)
    {
        var rows = validator.CheckBatch(request);
        var (users, items) = (new long[rows], new long[rows]);
        var offset = 0;
        foreach (var part in request.Requests)
        {
            users.AsSpan(offset, part.CandidateItemIds.Count).Fill(part.UserId);
            part.CandidateItemIds.CopyTo(items, offset);
            offset += part.CandidateItemIds.Count;
        }
        using var lease = host.Acquire();
        ScoreResult result;
        try { result = await lease.Model.ScoreRowsAsync(users, items, context.CancellationToken); }
        catch (Exception e) when (Refusal(e, lease.Model, users[0], rows, context) is { } refusal) { throw refusal; }
        var response = new RankBatchResponse();
        response.Responses.Capacity = request.Requests.Count;
        offset = 0;
        foreach (var part in request.Requests)
        {
            var count = part.CandidateItemIds.Count;
            var scores = result.Scores.AsSpan(offset, count);
            response.Responses.Add(Ranked(new ArraySegment<long>(items, offset, count), scores, TopK.Select(scores, part.TopK)));
            offset += count;
        }
        return response;
    }

    public override async Task<RankResponse> Recommend(RecommendRequest request, ServerCallContext context)
    {
        validator.CheckRecommendTopK(request.TopK);
        using var lease = host.Acquire();
        var model = lease.Model;
        Func<int, bool>? unseen = null;
        if (request.ExcludeSeen)
        {
            var seen = model.Seen ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"exclude_seen needs {ModelContract.SeenFileName} beside the model ({model.Path}), and model {model.Version} was loaded without one: the seen list is read " +
                (settings.Value.WatchModel
                    ? "when the model loads, and one copied beside it is loaded within seconds (the model is watched)"
                    : "when the model loads, so after adding it POST /admin/reload (or restart, or publish a version)") + "; or ask with exclude_seen = false"));
            var items = seen.For(request.UserId);
            if (!items.IsEmpty) unseen = i => items.Span.BinarySearch(model.Catalog[i]) < 0;
        }
        ScoreResult result;
        try { result = await model.ScoreAsync(request.UserId, model.Catalog, context.CancellationToken); }
        catch (Exception e) when (Refusal(e, model, request.UserId, model.Catalog.Length, context) is { } refusal) { throw refusal; }
        return Ranked(model.Catalog, result.Scores, TopK.Select(result.Scores, request.TopK, unseen));
    }

    public override Task<ModelInfo> GetModelInfo(GetModelInfoRequest request, ServerCallContext context)
    {
        using var lease = host.Acquire();
        return Task.FromResult(lease.Model.Info.Clone());
    }

    /// <summary>
    /// What a scoring failure tells the caller: a status code that says what happened, or null to let the exception through
    /// as it is. An exception filter, not an async wrapper around the scoring: each call awaits its job once, with no extra
    /// async layer to allocate and resume.
    /// </summary>
    private RpcException? Refusal(Exception e, LoadedModel model, long userId, int items, ServerCallContext context)
    {
        switch (e)
        {
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return Ended(context, "the call ended before its items were scored");
            case ScoringQueueFullException:
                return Backpressure.Refuse(e.Message, _options.RetryAfterMilliseconds);
            case OnnxRuntimeException or InvalidDataException:
                logger.LogError(e, "Scoring failed on model {Version} for user {UserId} and {Items} items", model.Version, userId, items);
                return new RpcException(new Status(StatusCode.Internal, $"scoring failed on model {model.Version}"));
            default:
                return null;
        }
    }

    /// <summary>The call's client went away: at its deadline (<see cref="CallDeadline"/>) or before it.</summary>
    private static RpcException Ended(ServerCallContext context, string what) =>
        new(new Status(CallDeadline.Reached(context.Deadline, CallTimeout.Of(context.GetHttpContext().Request)) ? StatusCode.DeadlineExceeded : StatusCode.Cancelled, what));

    private static RankResponse Ranked(IReadOnlyList<long> items, ReadOnlySpan<float> scores, int[] order)
    {
        var response = new RankResponse();
        response.Items.Capacity = order.Length; // one array, not a regrowth per doubling
        foreach (var position in order)
            response.Items.Add(new RankedItem { ItemId = items[position], Score = scores[position] });
        return response;
    }
}
