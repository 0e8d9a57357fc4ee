namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>
/// The caller of the current request, as the gateway put it in Orleans' request context: it flows
/// with every grain call the request makes. Null for the platform's own work (reminders, timers,
/// reconciliation), which no outside caller started.
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
}
