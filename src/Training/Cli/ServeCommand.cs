using System.CommandLine;
using InverseLearning.Serving;

namespace InverseLearning.Training.Cli;

/// <summary>`serve --model PATH | --model-dir REPO`: the gRPC ranking service over an exported model.onnx or a model repository, until Ctrl+C or SIGTERM.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new RankingOptions();
        var command = new Command("serve", "Serve an exported model.onnx over gRPC (Ranker: Score, Rank, Recommend, GetModelInfo, RankStream, RankBatch) with health, reflection and Prometheus metrics.");
        var model = new Option<string>("--model") { Description = "the exported model.onnx (seen.parquet beside it enables Recommend exclude_seen)" };
        var modelDir = new Option<string>("--model-dir") { Description = "a model repository (numbered versions written by export --repository): serve the newest complete one, swap when a newer appears" };
        var keepVersions = new Option<int>("--keep-versions") { Description = "with --model-dir, delete all but the N newest versions after each swap (0 keeps all)", DefaultValueFactory = _ => defaults.KeepVersions };
        var port = new Option<int>("--port") { Description = "gRPC port (HTTP/2 cleartext); 0 picks a free one", DefaultValueFactory = _ => defaults.Port };
        var host = new Option<string>("--host") { Description = "address to bind (loopback unless you mean to expose it)", DefaultValueFactory = _ => defaults.Host };
        var adminHost = new Option<string>("--admin-host") { Description = "address the metrics/admin port binds, whatever --host says", DefaultValueFactory = _ => defaults.AdminHost };
        var adminTokenFile = new Option<string>("--admin-token-file") { Description = "file holding the bearer token POST /admin/reload requires (mandatory when --admin-host is not loopback)", DefaultValueFactory = _ => "" };
        var reloadInterval = new Option<int>("--reload-interval-ms") { Description = "least time between two admin reloads; sooner ones get 429", DefaultValueFactory = _ => (int)defaults.ReloadMinInterval.TotalMilliseconds };
        var maxTopK = new Option<int>("--max-top-k") { Description = "largest top_k Recommend accepts", DefaultValueFactory = _ => defaults.MaxTopK };
        var maxConnections = new Option<int>("--max-connections") { Description = "most open client connections", DefaultValueFactory = _ => defaults.MaxConnections };
        var maxStreams = new Option<int>("--max-streams-per-connection") { Description = "most concurrent HTTP/2 streams per connection", DefaultValueFactory = _ => defaults.MaxStreamsPerConnection };
        var maxCalls = new Option<int>("--max-concurrent-calls") { Description = "most Ranker calls in progress; more get RESOURCE_EXHAUSTED with retry-after-ms", DefaultValueFactory = _ => defaults.MaxConcurrentCalls };
        var maxStreamInFlight = new Option<int>("--max-stream-in-flight") { Description = "most RankStream requests read and not yet answered per stream (a client that stops reading stalls only its own stream)", DefaultValueFactory = _ => defaults.MaxStreamInFlight };
        var maxQueued = new Option<int>("--max-queued-requests") { Description = "most requests waiting to be scored; more get RESOURCE_EXHAUSTED with retry-after-ms", DefaultValueFactory = _ => defaults.MaxQueuedRequests };
        var metricsPort = new Option<int>("--metrics-port") { Description = "HTTP/1 port for /metrics (Prometheus text) and POST /admin/reload; -1 turns it off", DefaultValueFactory = _ => defaults.MetricsPort ?? -1 };
        var maxBatchRows = new Option<int>("--max-batch-rows") { Description = "most rows coalesced into one ONNX Runtime run", DefaultValueFactory = _ => defaults.MaxBatchRows };
        var maxWait = new Option<int>("--max-wait-us") { Description = "µs a batch may wait for more requests before it runs (0: run with what is queued)", DefaultValueFactory = _ => defaults.MaxWaitMicroseconds };
        var maxCandidates = new Option<int>("--max-candidates") { Description = "most items per Score/Rank request", DefaultValueFactory = _ => defaults.MaxCandidates };
        var maxRequestBytes = new Option<int>("--max-request-bytes") { Description = "largest request message accepted", DefaultValueFactory = _ => defaults.MaxRequestBytes };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads per run", DefaultValueFactory = _ => defaults.IntraOpThreads };
        var noWatch = new Option<bool>("--no-watch") { Description = "do not reload the model when its file changes (POST /admin/reload still does)" };
        foreach (var option in new Option[] { model, modelDir, keepVersions, port, host, metricsPort, adminHost, adminTokenFile, reloadInterval, maxBatchRows, maxWait, maxCandidates, maxRequestBytes,
                     maxTopK, maxConnections, maxStreams, maxCalls, maxQueued, maxStreamInFlight, threads, noWatch })
            command.Options.Add(option);

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var options = new RankingOptions
            {
                ModelPath = parsed.GetValue(model) ?? "",
                ModelDirectory = parsed.GetValue(modelDir) ?? "",
                KeepVersions = parsed.GetValue(keepVersions),
                AdminHost = parsed.GetValue(adminHost)!,
                AdminTokenFile = parsed.GetValue(adminTokenFile)!,
                ReloadMinInterval = TimeSpan.FromMilliseconds(parsed.GetValue(reloadInterval)),
                MaxTopK = parsed.GetValue(maxTopK),
                MaxConnections = parsed.GetValue(maxConnections),
                MaxStreamsPerConnection = parsed.GetValue(maxStreams),
                MaxConcurrentCalls = parsed.GetValue(maxCalls),
                MaxQueuedRequests = parsed.GetValue(maxQueued),
                MaxStreamInFlight = parsed.GetValue(maxStreamInFlight),
                Port = parsed.GetValue(port),
                Host = parsed.GetValue(host)!,
                MetricsPort = parsed.GetValue(metricsPort) is var m && m >= 0 ? m : null,
                MaxBatchRows = parsed.GetValue(maxBatchRows),
                MaxWaitMicroseconds = parsed.GetValue(maxWait),
                MaxCandidates = parsed.GetValue(maxCandidates),
                MaxRequestBytes = parsed.GetValue(maxRequestBytes),
                IntraOpThreads = parsed.GetValue(threads),
                WatchModel = !parsed.GetValue(noWatch),
            };
            try
            {
                await RankingServer.RunAsync(options, cancellationToken);
                return 0;
            }
            catch (Exception e) when (e is ModelLoadException or ArgumentException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"error: cannot listen on {options.Host}:{options.Port} (metrics/admin {options.AdminHost}:{options.MetricsPort?.ToString() ?? "off"}): {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
