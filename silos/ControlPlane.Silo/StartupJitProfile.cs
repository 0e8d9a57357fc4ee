using System.Runtime;

namespace ControlPlane.Silo;

/// <summary>
/// The runtime's multicore JIT (<see cref="ProfileOptimization"/>): a silo records which methods its start
/// compiled until its gateway opened, and the next start of the same build compiles them ahead on a spare core
/// while its main path runs, instead of one by one on first call; a silo restarted after a crash serves sooner.
/// Written when the gateway opens, the profile holds only what a start compiles anyway, so its replay moves work
/// to another core without adding any: one that also held the first requests' methods (written 15 s later) made
/// starts slower on a machine with no core to spare (docs/reliability.md). A silo that stops before its gateway
/// opens keeps the previous profile. A profile missing, truncated or of another build only costs its speed-up:
/// the runtime skips what it cannot match. One folder per silo: two silos writing the same file would keep
/// whichever wrote last.
/// </summary>
public static partial class StartupJitProfile
{
    public const string DirectoryVariable = "CP_JIT_PROFILE_DIR";
    public const string FileName = "silo.jitprofile";
    private static string? _path;
    private static long _replayedBytes;
    private static int _written;

    /// <summary>
    /// Replays the profile of the previous start and records this one, when <see cref="DirectoryVariable"/> names
    /// a folder (created, owner only, if missing). First thing in the process: what is compiled before it is not
    /// recorded. A folder that cannot be made is said on stderr and the silo starts without.
    /// </summary>
    public static void Start()
    {
        var directory = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (string.IsNullOrWhiteSpace(directory)) return;
        try
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
            else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var path = Path.Combine(Path.GetFullPath(directory), FileName);
            _replayedBytes = File.Exists(path) ? new FileInfo(path).Length : 0;
            ProfileOptimization.SetProfileRoot(Path.GetDirectoryName(path)!);
            ProfileOptimization.StartProfile(FileName);
            _path = path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"ControlPlane silo: {DirectoryVariable} not usable ({e.GetType().Name}: {e.Message}); starting without a JIT profile");
        }
    }

    /// <summary>Writes the profile once the host has started (its gateway open); logs both ends.</summary>
    public static void UseStartupJitProfile(this WebApplication app)
    {
        if (_path is not { } path) return;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupJitProfile).FullName!);
        var lifetime = app.Lifetime;
        lifetime.ApplicationStarted.Register(() =>
        {
            if (_replayedBytes > 0) LogReplayed(logger, path, _replayedBytes);
            else LogNoProfile(logger, path);
            _ = Task.Run(() => Write(logger, path));
        });
    }

    /// <summary>Once: stopping the recording is what writes the file.</summary>
    private static void Write(ILogger logger, string path)
    {
        if (Interlocked.Exchange(ref _written, 1) != 0) return;
        ProfileOptimization.StartProfile(null);
        if (File.Exists(path)) LogWritten(logger, path, new FileInfo(path).Length);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started with the JIT profile {Path} ({Bytes} bytes): its methods compiled ahead on a spare core")]
    private static partial void LogReplayed(ILogger logger, string path, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "No JIT profile at {Path} yet: this start records one")]
    private static partial void LogNoProfile(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "JIT profile written to {Path} ({Bytes} bytes): the next start compiles these methods ahead")]
    private static partial void LogWritten(ILogger logger, string path, long bytes);
}
