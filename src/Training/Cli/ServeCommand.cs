using System.CommandLine;
using InverseLearning.Serving;

namespace InverseLearning.Training.Cli;

/// <summary>`serve --model PATH --port N`: the gRPC ranking service over an exported model.onnx, until Ctrl+C or SIGTERM.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new RankingOptions();
        var command = new Command("serve", "Serve an exported model.onnx over gRPC (Ranker: Score, Rank, Recommend, GetModelInfo) with health, reflection and Prometheus metrics.");
        var model = new Option<string>("--model") { Description = "the exported model.onnx (seen.parquet beside it enables Recommend exclude_seen)", Required = true };
        var port = new Option<int>("--port") { Description = "gRPC port (HTTP/2 cleartext); 0 picks a free one", DefaultValueFactory = _ => defaults.Port };
        var host = new Option<string>("--host") { Description = "address to bind (loopback unless you mean to expose it)", DefaultValueFactory = _ => defaults.Host };
        var metricsPort = new Option<int>("--metrics-port") { Description = "HTTP/1 port for /metrics (Prometheus text) and POST /admin/reload; -1 turns it off", DefaultValueFactory = _ => defaults.MetricsPort ?? -1 };
        var maxBatchRows = new Option<int>("--max-batch-rows") { Description = "most rows coalesced into one ONNX Runtime run", DefaultValueFactory = _ => defaults.MaxBatchRows };
        var maxWait = new Option<int>("--max-wait-us") { Description = "µs a batch may wait for more requests before it runs (0: run with what is queued)", DefaultValueFactory = _ => defaults.MaxWaitMicroseconds };
        var maxCandidates = new Option<int>("--max-candidates") { Description = "most items per Score/Rank request", DefaultValueFactory = _ => defaults.MaxCandidates };
        var maxRequestBytes = new Option<int>("--max-request-bytes") { Description = "largest request message accepted", DefaultValueFactory = _ => defaults.MaxRequestBytes };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads per run", DefaultValueFactory = _ => defaults.IntraOpThreads };
        var noWatch = new Option<bool>("--no-watch") { Description = "do not reload the model when its file changes (POST /admin/reload still does)" };
        foreach (var option in new Option[] { model, port, host, metricsPort, maxBatchRows, maxWait, maxCandidates, maxRequestBytes, threads, noWatch })
            command.Options.Add(option);

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var options = new RankingOptions
            {
                ModelPath = parsed.GetValue(model)!,
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
                Console.Error.WriteLine($"error: cannot listen on {options.Host}:{options.Port} (metrics port {options.MetricsPort?.ToString() ?? "off"}): {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
