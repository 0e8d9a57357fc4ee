namespace ControlPlane.Grains.Tests.Counting;

/// <summary>
/// Counts the grain calls of a counted request (<see cref="CallCounts"/>) as each begins; marks the request answered when
/// the first of its calls that came from outside the silo (the client's, as a gateway's) returns.
/// </summary>
public sealed class CountingCallFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (CallCounts.Current is not { } tally)
        {
            await context.Invoke();
            return;
        }
        var first = tally.Calls.Length == 0;
        tally.Call($"{context.InterfaceMethod?.DeclaringType?.Name ?? context.InterfaceType.ToString()}/{context.MethodName}");
        try
        {
            await context.Invoke();
        }
        finally
        {
            if (first) tally.Answered();
        }
    }
}
