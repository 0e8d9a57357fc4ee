namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>
/// Access to a tenant's resources, decided the same way by the gateway (before the call) and the
/// grains (on the resource they hold): the caller's roles on the tenant's scope (<see cref="AccessPolicy.Require"/>),
/// then, for an operator reaching them through the lockbox, an active grant of that tenant.
/// </summary>
public static class TenantAccess
{
    /// <exception cref="Errors.ControlPlaneException">PermissionDenied with the reason (ROLE_REQUIRED, LOCKBOX_GRANT_REQUIRED, ...).</exception>
    public static async Task RequireAsync(IGrainFactory grains, Caller? caller, Permission permission, string tenantId)
    {
        if (AccessPolicy.Require(caller, permission, Scopes.Tenant(tenantId)) == AccessVerdict.NeedsLockbox
            && !await grains.GetGrain<ILockboxGrain>(tenantId).HasActiveGrantAsync(caller!.Principal))
        {
            throw AccessPolicy.LockboxGrantRequired(caller, tenantId);
        }
    }

    /// <summary>The same decision, as a yes or no: what a listing shows and what an operation's reader sees.</summary>
    public static async Task<bool> AllowsAsync(IGrainFactory grains, Caller? caller, Permission permission, string tenantId)
    {
        try
        {
            await RequireAsync(grains, caller, permission, tenantId);
            return true;
        }
        catch (Errors.ControlPlaneException e) when (e.Error.Code == Errors.ErrorStatus.PermissionDenied)
        {
            return false;
        }
    }
}
