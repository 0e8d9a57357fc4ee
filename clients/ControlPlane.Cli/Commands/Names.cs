using System.CommandLine;
using ControlPlane.Cli.Errors;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cli.Commands;

/// <summary>Names where ids are accepted: with --tenant, 'instances get web-2' finds the tenant's instance named web-2.</summary>
public static class Names
{
    public static Option<string?> TenantOption(string what) => new("--tenant")
    {
        Description = $"The owning tenant: then the argument may be the {what}'s name instead of its id",
    };

    public static async Task<string> InstanceIdAsync(CliContext ctx, string idOrName, string? tenant, CancellationToken ct)
    {
        if (tenant is null) return idOrName;
        var (all, _) = await Paging.CollectAsync<Instance>(null, null, async (size, token) =>
        {
            var r = await ctx.Provisioning.ListInstancesAsync(new ListInstancesRequest { TenantId = tenant, PageSize = size, PageToken = token }, cancellationToken: ct);
            return (r.Instances, r.NextPageToken);
        });
        // A deleted instance's name may be taken again: the live one wins.
        return all.OrderBy(i => i.State == InstanceState.Deleted).FirstOrDefault(i => i.Name == idOrName || i.Id == idOrName)?.Id
            ?? throw CliFailure.NotFound("INSTANCE_NOT_FOUND", $"tenant '{tenant}' has no instance named '{idOrName}'",
                Suggestions.DidYouMean(idOrName, all.Select(i => i.Name)) ?? $"see 'cpctl instances list --tenant {tenant}'");
    }

    public static async Task<string> ServiceIdAsync(CliContext ctx, string idOrName, string? tenant, CancellationToken ct)
    {
        if (tenant is null) return idOrName;
        var (all, _) = await Paging.CollectAsync<Service>(null, null, async (size, token) =>
        {
            var r = await ctx.Services.ListServicesAsync(new ListServicesRequest { TenantId = tenant, PageSize = size, PageToken = token }, cancellationToken: ct);
            return (r.Services, r.NextPageToken);
        });
        return all.FirstOrDefault(s => s.Name == idOrName || s.Id == idOrName)?.Id
            ?? throw CliFailure.NotFound("SERVICE_NOT_FOUND", $"tenant '{tenant}' has no service named '{idOrName}'",
                Suggestions.DidYouMean(idOrName, all.Select(s => s.Name)) ?? $"see 'cpctl services list --tenant {tenant}'");
    }
}
