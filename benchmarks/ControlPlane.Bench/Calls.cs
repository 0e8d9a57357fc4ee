using Grpc.Core;

namespace ControlPlane.Bench;

/// <summary>Runs one call and tells how it ended; a cancelled run is not a call's error.</summary>
public static class Calls
{
    public static async Task<StatusCode> InvokeAsync(BenchCall call, int slot, CancellationToken cancellationToken)
    {
        try
        {
            await call(slot, cancellationToken);
            return StatusCode.OK;
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return e.StatusCode;
        }
        catch (RpcException)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>A call's options: its deadline and the run's cancellation.</summary>
    public static CallOptions Options(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: cancellationToken);
}
