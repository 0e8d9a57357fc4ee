using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Grains.Access;

/// <summary>
/// Refuses, on the silo that receives it, any call to a ControlPlane grain that carries no caller in its
/// request context (UNAUTHENTICATED / CALLER_REQUIRED, before the grain runs): the gateway attaches the
/// authenticated caller, the platform's own work a system caller (<see cref="CallerContext.AsSystem"/>).
/// Every method is covered, reads included: what the grains hold (principals, tenants, the audit log) is
/// not for an anonymous peer. Orleans' own interfaces (management, reminders' delivery) are not ours to judge.
/// This is defence in depth behind the silo profile on the Orleans ports: a peer holding a silo
/// certificate could still put a forged caller in the request context.
/// </summary>
public sealed class CallerRequiredFilter : IIncomingGrainCallFilter
{
    private static readonly System.Reflection.Assembly Interfaces = typeof(IAccessControlGrain).Assembly;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (CallerContext.Current is null && context.InterfaceMethod?.DeclaringType?.Assembly == Interfaces)
        {
            throw CallerContext.Required($"{context.InterfaceName}/{context.MethodName}");
        }
        return context.Invoke();
    }
}
