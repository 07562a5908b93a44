using InverseLearning.Serving.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Tests;

/// <summary>The host's lifetime, as far as the drain and the stop signals use it: StopApplication fires ApplicationStopping, as the host's does.</summary>
internal sealed class StoppableLifetime : IHostApplicationLifetime
{
    private readonly CancellationTokenSource _stopping = new();
    public CancellationToken ApplicationStarted => CancellationToken.None;
    public CancellationToken ApplicationStopping => _stopping.Token;
    public CancellationToken ApplicationStopped => CancellationToken.None;
    public void StopApplication() => _stopping.Cancel();

    /// <summary>A drain of this lifetime's streams, with <paramref name="drainTimeout"/> (the default's when null), logging to <paramref name="logs"/> (nowhere when null).</summary>
    public RankStreamDrain Drain(TimeSpan? drainTimeout = null, CapturedLogs? logs = null) =>
        new(this, Options.Create(new RankingOptions { DrainTimeout = drainTimeout ?? new RankingOptions().DrainTimeout }),
            logs is null ? NullLogger<RankStreamDrain>.Instance : new TypedLogger<RankStreamDrain>(logs.CreateLogger(nameof(RankStreamDrain))));

    private sealed class TypedLogger<T>(ILogger inner) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
