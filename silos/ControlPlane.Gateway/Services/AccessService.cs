using ControlPlane.Gateway.Mapping;
using ControlPlane.Gateway.Security;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Abstractions.Topology;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

/// <summary>Principals, roles and seal: the grain checks the caller; this gateway's cache is refreshed after each change.</summary>
public sealed class AccessService(IGrainFactory grains, AccessSnapshotCache cache) : V1.Access.AccessBase
{
    private IAccessControlGrain Access => grains.GetGrain<IAccessControlGrain>(IAccessControlGrain.Key);

    public override async Task<V1.WhoAmIResponse> WhoAmI(V1.WhoAmIRequest request, ServerCallContext context)
    {
        var caller = context.GetHttpContext().Items[AuthorizationInterceptor.CallerItem] as Caller ?? CallerResolver.DevelopmentIdentity;
        var snapshot = await cache.GetAsync();
        var response = new V1.WhoAmIResponse
        {
            Principal = snapshot.Principals.TryGetValue(caller.Principal, out var record) ? record.ToProto()
                : new V1.Principal { Id = caller.Principal, Kind = (V1.PrincipalKind)(int)caller.Kind, Employer = caller.Employer, OpsCentre = caller.OpsCentre },
            Location = caller.Location, Mfa = caller.Mfa, PlatformSealed = snapshot.Sealed,
        };
        response.Roles.AddRange(caller.Roles.Select(r => new V1.RoleAssignment { Principal = caller.Principal, Role = (V1.Role)(int)r.Role, Scope = r.Scope }));
        return response;
    }

    public override async Task<V1.Principal> RegisterPrincipal(V1.RegisterPrincipalRequest request, ServerCallContext context)
    {
        var p = request.Principal ?? new V1.Principal();
        Validate.ThrowIfAny(("principal.kind", p.Kind is V1.PrincipalKind.Person or V1.PrincipalKind.Service ? null : "principal.kind must be PERSON or SERVICE"));
        var principal = new PrincipalRecord(p.Id, (PrincipalKind)(int)p.Kind, p.DisplayName.Length > 0 ? p.DisplayName : p.Id, p.Employer, p.OpsCentre, default, "");
        if (request.ValidateOnly) return (await Access.CheckRegisterPrincipalAsync(principal)).ToProto();
        var record = await Access.RegisterPrincipalAsync(principal);
        cache.Invalidate();
        return record.ToProto();
    }

    public override async Task<V1.ListPrincipalsResponse> ListPrincipals(V1.ListPrincipalsRequest request, ServerCallContext context)
    {
        var snapshot = await Access.GetSnapshotAsync();
        var response = new V1.ListPrincipalsResponse();
        response.Principals.AddRange(snapshot.Principals.Values.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => p.ToProto()));
        response.Assignments.AddRange(snapshot.Assignments.Select(a => a.ToProto()));
        return response;
    }

    public override async Task<V1.RoleAssignment> AssignRole(V1.AssignRoleRequest request, ServerCallContext context)
    {
        var role = Check(request.Principal, request.Role, request.Scope);
        if (request.ValidateOnly) return (await Access.CheckAssignRoleAsync(request.Principal, role, request.Scope)).ToProto();
        var assignment = await Access.AssignRoleAsync(request.Principal, role, request.Scope);
        cache.Invalidate();
        return assignment.ToProto();
    }

    public override async Task<V1.RevokeRoleResponse> RevokeRole(V1.RevokeRoleRequest request, ServerCallContext context)
    {
        var role = Check(request.Principal, request.Role, request.Scope);
        if (request.ValidateOnly)
        {
            await Access.CheckRevokeRoleAsync(request.Principal, role, request.Scope);
            return new V1.RevokeRoleResponse();
        }
        await Access.RevokeRoleAsync(request.Principal, role, request.Scope);
        cache.Invalidate();
        return new V1.RevokeRoleResponse();
    }

    public override async Task<V1.AccessEntries> WhoCan(V1.WhoCanRequest request, ServerCallContext context)
    {
        var response = new V1.AccessEntries();
        response.Entries.AddRange((await Access.WhoCanAsync(await ScopeOfAsync(request.Scope))).Select(e => e.ToProto()));
        return response;
    }

    /// <summary>The scope a resource belongs to: a server or zone's region, an instance or service's tenant; a scope as is.</summary>
    private async Task<string> ScopeOfAsync(string resource)
    {
        var colon = resource.IndexOf(':');
        if (colon < 0) return resource;
        var (kind, id) = (resource[..colon], resource[(colon + 1)..]);
        if (kind is not ("server" or "zone" or "instance" or "service")) return resource;
        Validate.ThrowIfAny(("scope", Validate.Id("scope", id)));
        string? scope = kind switch
        {
            "server" => (await grains.GetGrain<IServerGrain>(id).GetAsync()).Region is { Length: > 0 } r ? Scopes.Region(r) : null,
            "zone" => (await grains.GetGrain<ITopologyGrain>(ITopologyGrain.Key).ListZonesAsync("")).FirstOrDefault(z => z.Id == id) is { } z ? Scopes.Region(z.Region) : null,
            "instance" => await grains.TenantOfInstanceAsync(id) is { } t ? Scopes.Tenant(t) : null,
            _ => await grains.TenantOfServiceAsync(id) is { } s ? Scopes.Tenant(s) : null,
        };
        return scope ?? throw Failures.ScopeNotFound(kind, id, resource);
    }

    public override async Task<V1.AccessEntries> WhatCan(V1.WhatCanRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("principal", Validate.Principal("principal", request.Principal)));
        var response = new V1.AccessEntries();
        response.Entries.AddRange((await Access.WhatCanAsync(request.Principal)).Select(e => e.ToProto()));
        return response;
    }

    public override async Task<V1.PlatformSeal> SealPlatform(V1.SealPlatformRequest request, ServerCallContext context)
    {
        if (request.ValidateOnly) return new V1.PlatformSeal { Sealed = await Access.CheckSealAsync() };
        var sealedNow = await Access.SealAsync();
        cache.Invalidate();
        return new V1.PlatformSeal { Sealed = sealedNow };
    }

    public override async Task<V1.PlatformSeal> UnsealPlatform(V1.UnsealPlatformRequest request, ServerCallContext context)
    {
        if (request.ValidateOnly) return new V1.PlatformSeal { Sealed = await Access.CheckUnsealAsync() };
        var sealedNow = await Access.UnsealAsync();
        cache.Invalidate();
        return new V1.PlatformSeal { Sealed = sealedNow };
    }

    private static Role Check(string principal, V1.Role role, string scope)
    {
        Validate.ThrowIfAny(
            ("principal", Validate.Principal("principal", principal)),
            ("role", role.ToModel() is null ? "role must be OPERATOR, TOOLING, TENANT_ADMIN, AUDITOR or SECURITY_OFFICER" : null),
            ("scope", Scopes.IsValid(scope) ? null : "scope must be 'platform', 'region:<id>' or 'tenant:<id>'"));
        return role.ToModel()!.Value;
    }
}
