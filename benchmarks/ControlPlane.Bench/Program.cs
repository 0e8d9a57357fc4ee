using System.Runtime.InteropServices;
using ControlPlane.Bench;
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
var (options, error) = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine($"error: {error}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

// However the run ends, the silo child processes are killed and the temporary files deleted.
var teardown = new Teardown();
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
// SIGTERM, and SIGHUP when the terminal closes: stop the same way.
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancellation.Cancel();
}
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
AppDomain.CurrentDomain.ProcessExit += (_, _) => teardown.Run();
try
{
    await new BenchRunner(options, teardown, Console.Out, Console.Error).RunAsync(cancellation.Token);
    return 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("interrupted: stopping the silo and removing the temporary files");
    return 130;
}
catch (BenchException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
catch (Grpc.Core.RpcException e)
{
    // An endpoint that refuses connections or a call refused outright: the run cannot go on, and says why.
    Console.Error.WriteLine($"error: the control plane answered {e.StatusCode}: {e.Status.Detail}");
    return 1;
}
finally
{
    teardown.Run();
}
