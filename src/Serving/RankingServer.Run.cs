using System.Text.Json;
using InverseLearning.Data;
using InverseLearning.Serving.Devices;
using InverseLearning.Serving.Models.Loading;
using InverseLearning.Serving.Operations;
using InverseLearning.Serving.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving;

/// <summary>The server run as a process: until it is told to stop, with each failure to start as one error line and an exit code.</summary>
public sealed partial class RankingServer
{
    /// <summary>
    /// Serves until <paramref name="cancellationToken"/> fires or the process is told to stop, then drains
    /// in-flight calls: what `inverselearning-serve` and `inverselearning serve` run, each with its arguments as given. A setting, model,
    /// device or address that stops the start is one error line on stderr and exit code 1; `--help` (`-h`, `-?`) anywhere lists the flags instead.
    /// </summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        // Here, not in either entry point, so that both print the one list: the trainer's verb printed System.CommandLine's help of its own.
        if (args.Any(arg => arg is "--help" or "-h" or "-?"))
        {
            Console.Write(ServeFlags.Usage());
            return Task.FromResult(0);
        }
        return RunAsync(args, configure: null, cancellationToken);
    }

    /// <param name="configure">Last changes to the host before it is built (tests).</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Action<WebApplicationBuilder>? configure, CancellationToken cancellationToken)
    {
        // Taken before the rest of the run is compiled and its assemblies loaded: the process's own default for a signal (its death,
        // exit 143 for SIGTERM) holds until this line.
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var signals = StopSignals.Register(starting);
        return await ServeAsync(args, configure, starting, signals, cancellationToken);
    }

    private static async Task<int> ServeAsync(IReadOnlyList<string> args, Action<WebApplicationBuilder>? configure, CancellationTokenSource starting, StopSignals signals,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var server = await StartAsync(args, configure, starting.Token);
            signals.Listening(server._app.Lifetime, server._app.Services.GetRequiredService<RankStreamDrain>(),
                server._app.Services.GetRequiredService<IOptions<RankingOptions>>().Value.DrainTimeout, server._app.Logger);
            // A signal the start took no notice of (it came after the start's last check of the token) stops it now.
            starting.Token.ThrowIfCancellationRequested();
            // Ends on the caller's token or on a signal, whichever comes first.
            await server._app.WaitForShutdownAsync(cancellationToken);
            return server.Failure() is { } failure ? Failed($"the server stopped: {failure}") : 0;
        }
        catch (OptionsValidationException e)
        {
            return Failed(e.Failures.First());
        }
        // An appsettings.json that is not JSON: the file, then where the parser stopped, counted from 1 as editors count.
        catch (InvalidDataException e) when (e.InnerException is FormatException)
        {
            var cause = e.InnerException;
            while (cause.InnerException is not null) cause = cause.InnerException;
            return Failed($"{e.Message.TrimEnd('.')}: {(cause is JsonException json ? JsonProblem(json) : cause.Message)}");
        }
        // A configuration value the binder cannot convert ("Failed to convert configuration value '1e9' at 'Ranking:MaxTopK' ...").
        catch (InvalidOperationException e) when (e.InnerException is FormatException or OverflowException or ArgumentException)
        {
            return Failed(e.Message);
        }
        // UnauthorizedAccessException: an appsettings.json this user may not read (its message names the file).
        catch (Exception e) when (e is ModelLoadException or DeviceUnavailableException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return Failed(e.Message);
        }
        catch (OperationCanceledException) when (starting.IsCancellationRequested)
        {
            // Stopped before it was serving: a stop as asked, as one once serving is (a rolling update's SIGTERM to a server still
            // loading its model is no failure), with nothing to drain.
            Console.Error.WriteLine("stopped before serving: a stop signal came while the server was starting");
            return 0;
        }
    }

    /// <summary>The parser's complaint without its zero-based "LineNumber: 0 | BytePositionInLine: 5." tail, and where, counted from 1.</summary>
    private static string JsonProblem(JsonException e)
    {
        var said = e.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].TrimEnd('.', ' ');
        return e.LineNumber is { } line && e.BytePositionInLine is { } at ? $"not JSON at line {line + 1}, byte {at + 1}: {said}" : $"not JSON: {said}";
    }

    /// <summary>
    /// Why a background service of the host (the model watcher, the memory trimmer) ended in failure, which stops the host
    /// (.NET's StopHost): a server that stopped so has failed, not drained on request, and the host's own log line of it is
    /// silenced (LogLevelDefaults); null when none failed.
    /// </summary>
    private string? Failure() =>
        _app.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .Select(service => service.ExecuteTask is { IsFaulted: true } task ? $"{service.GetType().Name}: {task.Exception!.GetBaseException().Message}" : null)
            .FirstOrDefault(failure => failure is not null);

    private static int Failed(string message)
    {
        // A path or a value given may hold control characters (the console's writer is not wrapped: the log's colour codes go through it), or a tab, which reads as spaces.
        Console.Error.WriteLine($"error: {TerminalText.ErrorLine(message)}");
        return 1;
    }
}
