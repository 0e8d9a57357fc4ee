using Microsoft.Extensions.Logging;

namespace ControlPlane.Gateway.Tests;

/// <summary>A logger that keeps what it is given, to check what was logged and at which level.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public sealed record Entry(LogLevel Level, string Message, Exception? Exception);

    public List<Entry> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Entries) Entries.Add(new Entry(logLevel, formatter(state, exception), exception));
    }
}
