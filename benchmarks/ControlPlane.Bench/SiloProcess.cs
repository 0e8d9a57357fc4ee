using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ControlPlane.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace ControlPlane.Bench;

/// <summary>
/// The real silo (Orleans + gRPC gateway, embedded mode) as a child process on free loopback ports,
/// with a given topology file, so that its memory and CPU are its own. Its output goes to a log file.
/// </summary>
public sealed class SiloProcess
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private readonly Process _process;
    private readonly string _logFile;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private int _stopped;

    private SiloProcess(Process process, string logFile, StreamWriter log, Uri endpoint)
    {
        _process = process;
        _logFile = logFile;
        _log = log;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }
    public int Pid => _process.Id;

    /// <summary>From the start of the process to the first answered Ping (the topology loaded, every zone activated).</summary>
    public TimeSpan StartupTime { get; private set; }

    public static async Task<SiloProcess> StartAsync(string siloAssembly, string topologyFile, string logFile, Teardown teardown,
        CancellationToken cancellationToken)
    {
        var grpcPort = FreePort();
        var start = new ProcessStartInfo("dotnet", [siloAssembly])
        {
            WorkingDirectory = Path.GetDirectoryName(siloAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["ControlPlane__Silo__Mode"] = "embedded",
                ["ControlPlane__Silo__GrpcListen"] = $"127.0.0.1:{grpcPort}",
                ["ControlPlane__Silo__HealthListen"] = $"127.0.0.1:{FreePort()}",
                ["ControlPlane__Silo__SiloPort"] = FreePort().ToString(),
                ["ControlPlane__Silo__OrleansGatewayPort"] = FreePort().ToString(),
                ["ControlPlane__Topology__File"] = topologyFile,
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__ControlPlane.Silo.TopologyWarmUp"] = "Information",
            },
        };
        // Nothing exported: telemetry export would cost the silo CPU that the figures do not expect.
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        var watch = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new BenchException($"could not start dotnet {siloAssembly}");
        var silo = new SiloProcess(process, logFile, new StreamWriter(logFile) { AutoFlush = true }, new Uri($"http://127.0.0.1:{grpcPort}"));
        teardown.Register($"silo process {process.Id}", silo.Stop);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var channel = GrpcChannel.ForAddress(silo.Endpoint);
        var diagnostics = new Diagnostics.DiagnosticsClient(channel);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            silo.EnsureRunning();
            if (watch.Elapsed > StartTimeout)
            {
                throw new BenchException($"the silo did not answer within {StartTimeout.TotalMinutes} minutes; its log ({logFile}) ends:\n{Tail(logFile)}");
            }
            try
            {
                await diagnostics.PingAsync(new PingRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
                silo.StartupTime = watch.Elapsed;
                return silo;
            }
            catch (RpcException) when (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>Kills the silo (its state is in memory: nothing to save) and closes its log. Idempotent.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
        lock (_logLock) _log.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_logLock)
        {
            if (_stopped == 0) _log.WriteLine(line);
        }
    }

    /// <summary>VmRSS of the silo now, in bytes.</summary>
    public long? ResidentBytes() => ProcStats.ResidentBytes(Pid);

    /// <summary>VmHWM of the silo, in bytes: the most it has been resident.</summary>
    public long? PeakResidentBytes() => ProcStats.PeakResidentBytes(Pid);

    /// <summary>Throws when the silo died during a phase (its calls would all fail).</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            throw new BenchException($"the silo exited with code {_process.ExitCode}; its log ({_logFile}) ends:\n{Tail(_logFile)}");
        }
    }

    private static string Tail(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(30));
        }
        catch (IOException e)
        {
            return $"(cannot read it: {e.Message})";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
