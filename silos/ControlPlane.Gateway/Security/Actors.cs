using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using Grpc.Core;

namespace ControlPlane.Gateway.Security;

/// <summary>
/// Who a recorded change names: the authenticated principal. Only the development identity, which
/// stands for whoever runs the embedded silo, records the actor the request states (then required).
/// </summary>
public static class Actors
{
    public static (string Actor, string? Problem) Of(ServerCallContext context, string stated)
    {
        var caller = context.GetHttpContext().Items[AuthorizationInterceptor.CallerItem] as Caller;
        return caller is { IsDevelopment: false } ? (caller.Principal, null) : (stated, Validate.Id("actor", stated));
    }
}
