using Grpc.Core;

namespace ControlPlane.Faults.Load;

/// <summary>Reads for the checks: tried on each gateway in turn while the cluster does not answer, for up to a minute.</summary>
public static class Patient
{
    public static async Task<T> CallAsync<T>(Func<int, DateTime, Task<T>> call, CancellationToken cancellationToken, int first = 0)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(first + attempt, DateTime.UtcNow.AddSeconds(15));
            }
            catch (RpcException e) when (DateTime.UtcNow < until && !cancellationToken.IsCancellationRequested
                && e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown or StatusCode.ResourceExhausted or StatusCode.Cancelled)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(250 * (attempt + 1), 2000)), cancellationToken);
            }
        }
    }

    /// <summary>As <see cref="CallAsync{T}"/>, null when the answer is NOT_FOUND.</summary>
    public static async Task<T?> FindAsync<T>(Func<int, DateTime, Task<T>> call, CancellationToken cancellationToken, int first = 0) where T : class
    {
        try
        {
            return await CallAsync(call, cancellationToken, first);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }
}
