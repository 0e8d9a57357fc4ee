using ControlPlane.Grains.Abstractions.Errors;

namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>
/// The caller of the current request, as the gateway put it in Orleans' request context: it flows
/// with every grain call the request makes. The platform's own work (reminders, timers,
/// reconciliation, start-up) carries a system caller set by the silo code that starts it
/// (<see cref="AsSystem"/>); a grain call without a caller is refused (<see cref="Required"/>).
/// </summary>
public static class CallerContext
{
    private const string Key = "cp-caller";

    public static Caller? Current => RequestContext.Get(Key) as Caller;

    public static void Set(Caller? caller)
    {
        if (caller is null) RequestContext.Remove(Key);
        else RequestContext.Set(Key, caller);
    }

    /// <summary>
    /// Makes the calls that follow, on this async flow, the platform's own <paramref name="work"/>
    /// (<see cref="Caller.System"/>) until the scope is disposed, which puts back the caller there was.
    /// </summary>
    public static IDisposable AsSystem(string work)
    {
        var previous = Current;
        Set(Caller.System(work));
        return new Restore(previous);
    }

    /// <summary>The refusal of a call that carries no caller: UNAUTHENTICATED / CALLER_REQUIRED.</summary>
    public static ControlPlaneException Required(string call) =>
        DomainError.Of(ErrorStatus.Unauthenticated, ErrorReasons.CallerRequired,
            $"{call} carries no caller: every grain call names its principal (the gateway's caller, or the platform's own work)",
            (ErrorMetadata.Method, call)).ToException();

    private sealed class Restore(Caller? previous) : IDisposable
    {
        public void Dispose() => Set(previous);
    }
}
