using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Gateway.Security;

/// <summary>Where the resource a call acts on is found, to check the caller's permission on its scope.</summary>
public enum ScopeSource
{
    /// <summary>No resource scope at the gateway: the grain checks the resource it holds.</summary>
    Anywhere,
    Platform,
    /// <summary>A tenant_id (or id) field; empty: the whole platform (a list over every tenant).</summary>
    TenantField,
    InstanceField,
    ServiceField,
    OperationField,
}

/// <summary>
/// What a method needs. <see cref="Permission"/> null: an authenticated, registered caller (the grain
/// decides); <see cref="Anonymous"/>: nothing (the health service).
/// </summary>
public sealed record MethodRule(Permission? Permission, ScopeSource Scope = ScopeSource.Anywhere, string Field = "", bool Anonymous = false);
