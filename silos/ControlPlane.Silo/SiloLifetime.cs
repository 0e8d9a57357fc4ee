using System.Diagnostics;

namespace ControlPlane.Silo;

/// <summary>
/// The process's own lifetime. A stop (SIGTERM) ends within <see cref="SiloHostOptions.ShutdownTimeout"/>,
/// after which Orleans gives up waiting and stops at once; and it stays quiet: while stopping, what
/// the runtime, the gateway and the grains say about calls refused by a silo that is going away is
/// only the echo of the stop, so those categories keep their errors (Orleans: its critical entries)
/// and drop the rest. An exception that would end the process is named in the log (and on stderr,
/// which is not buffered) before it does.
/// </summary>
public static partial class SiloLifetime
{
    /// <summary>Categories (prefixes) quietened while stopping, with the least level they keep then.</summary>
    private static readonly (string Category, LogLevel KeptWhileStopping)[] Quietened =
    [
        ("Orleans", LogLevel.Critical),
        ("Microsoft.AspNetCore", LogLevel.Error),
        ("Grpc", LogLevel.Error),
        ("Polly", LogLevel.Error),
        ("ControlPlane.Grains", LogLevel.Error),
        ("ControlPlane.Gateway", LogLevel.Error),
    ];

    public static void AddSiloLifetime(this WebApplicationBuilder builder, SiloHostOptions options)
    {
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        var stopping = new Stopping();
        builder.Services.AddSingleton(stopping);
        foreach (var (category, kept) in Quietened)
        {
            var configured = ConfiguredLevel(builder.Configuration, category);
            builder.Logging.AddFilter(category, level => level >= configured && (stopping.Since is null || level >= kept));
        }
        QuietenWatchdogStart(builder, stopping);
    }

    private const string WatchdogCategory = "Orleans.Runtime.Watchdog";
    private static readonly TimeSpan WatchdogSettle = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Orleans' watchdog starts its platform thread before it sets the component check's first timestamp, so its first
    /// pass may read that timestamp as zero and warn that the check "has not completed" for as long as the machine has
    /// been up (hours). Its warnings until a few seconds after the host has started are that race or the start's own
    /// load, not a stall: dropped. A stall that goes on past them is warned about on the next pass (every second);
    /// errors always pass.
    /// </summary>
    private static void QuietenWatchdogStart(WebApplicationBuilder builder, Stopping stopping)
    {
        var configured = ConfiguredLevel(builder.Configuration, WatchdogCategory);
        var started = new Started();
        builder.Services.AddSingleton(started);
        builder.Logging.AddFilter(WatchdogCategory, level => level >= configured
            && (stopping.Since is null || level >= LogLevel.Critical)
            && (level >= LogLevel.Error || started.Since?.Elapsed >= WatchdogSettle));
    }

    /// <summary>Marks the stop as it starts, logs its start and its end, and names any exception that would end the process.</summary>
    public static void UseSiloLifetime(this WebApplication app)
    {
        var stopping = app.Services.GetRequiredService<Stopping>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SiloLifetime).FullName!);
        var timeout = app.Services.GetRequiredService<SiloHostOptions>().ShutdownTimeout;
        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<Started>().Since = Stopwatch.StartNew());
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            LogStopping(logger, timeout);
            stopping.Since = Stopwatch.StartNew();
        });
        app.Lifetime.ApplicationStopped.Register(() => LogStopped(logger, stopping.Since?.Elapsed.TotalMilliseconds ?? 0));
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            var exception = e.ExceptionObject as Exception;
            Console.Error.WriteLine($"ControlPlane silo: unhandled exception (terminating: {e.IsTerminating}): {e.ExceptionObject}");
            LogUnhandled(logger, exception, e.IsTerminating, exception?.GetType().FullName ?? "?");
        };
        TaskScheduler.UnobservedTaskException += (_, e) =>
        {
            LogUnobserved(logger, e.Exception, e.Exception.InnerException?.GetType().FullName ?? e.Exception.GetType().FullName ?? "?");
            e.SetObserved();
        };
    }

    /// <summary>The level configuration gives a category: its own key, else its nearest prefix, else Default.</summary>
    private static LogLevel ConfiguredLevel(IConfiguration configuration, string category)
    {
        for (var name = category; name.Length > 0; name = name.Contains('.') ? name[..name.LastIndexOf('.')] : "")
        {
            if (Enum.TryParse<LogLevel>(configuration[$"Logging:LogLevel:{name}"], true, out var level)) return level;
        }
        return Enum.TryParse<LogLevel>(configuration["Logging:LogLevel:Default"], true, out var fallback) ? fallback : LogLevel.Information;
    }

    /// <summary>When the host had started (null while starting).</summary>
    internal sealed class Started
    {
        public Stopwatch? Since { get; set; }
    }

    /// <summary>When the stop began (null while running).</summary>
    internal sealed class Stopping
    {
        public Stopwatch? Since { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: the silo leaves the cluster within {Timeout}; until it exits, only errors are logged")]
    private static partial void LogStopping(ILogger logger, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped in {ElapsedMs:0} ms")]
    private static partial void LogStopped(ILogger logger, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Unhandled {ExceptionType} (terminating: {Terminating}): the process ends")]
    private static partial void LogUnhandled(ILogger logger, Exception? exception, bool terminating, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A background task failed and nobody awaited it: {ExceptionType}")]
    private static partial void LogUnobserved(ILogger logger, Exception exception, string exceptionType);
}
