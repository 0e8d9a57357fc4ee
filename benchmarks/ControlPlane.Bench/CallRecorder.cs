using Grpc.Core;

namespace ControlPlane.Bench;

/// <summary>
/// What the calls of one phase gave: latencies of the successful ones, how many of them ended within
/// the measured window, and errors by status code. Thread-safe.
/// </summary>
public sealed class CallRecorder
{
    private readonly Lock _lock = new();
    private readonly List<long> _latencies = [];
    private readonly Dictionary<StatusCode, int> _errors = [];
    private int _succeededInWindow;

    public void Record(StatusCode code, long latencyTicks, bool inWindow)
    {
        lock (_lock)
        {
            if (code != StatusCode.OK)
            {
                _errors[code] = _errors.GetValueOrDefault(code) + 1;
                return;
            }
            _latencies.Add(latencyTicks);
            if (inWindow) _succeededInWindow++;
        }
    }

    /// <summary>The phase's result; call once every call has ended.</summary>
    public LoadResult Result(string method, string load, TimeSpan duration, double? targetRate, long late, ResourceUse use)
    {
        lock (_lock)
        {
            return new LoadResult(method, load, duration, _succeededInWindow, LatencySummary.Of(_latencies),
                new Dictionary<StatusCode, int>(_errors), targetRate, late, use);
        }
    }
}
