using System.CommandLine;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cli.Commands;

public static class TenantCommands
{
    public static Command Create(CommandRunner run)
    {
        var id = new Argument<string>("id") { Description = "Tenant id: lower-case letters, digits and '-'" };
        var displayName = new Option<string?>("--display-name") { Description = "Human name (default: the id)" };
        var regions = new Option<string[]>("--regions")
        {
            Description = "Regions the tenant may use, comma-separated (e.g. france-centre,france-sud)",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
            CustomParser = r => [.. r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        };
        var cores = new Option<long>("--cores") { Description = "Quota: vCPU cores", Required = true };
        var memory = new Option<long>("--memory-gib") { Description = "Quota: memory in GiB", Required = true };
        var gpus = new Option<long>("--gpus") { Description = "Quota: GPUs (default 0)" };

        var country = new Option<string?>("--country") { Description = "Residency: every resource in this country (ISO code, e.g. FR); default: anywhere in the EU" };
        var inCountryDr = new Option<bool>("--in-country-dr") { Description = "Residency: disaster-recovery copies in the country of the instance" };
        var dryRun = DryRun.Option();
        var create = new Command("create", "Create a tenant with its allowed regions, quota and residency policy")
        {
            id, displayName, regions, cores, memory, gpus, country, inCountryDr, dryRun,
        };
        run.Set(create, async (p, ctx, ct) =>
        {
            var request = new CreateTenantRequest
            {
                Id = p.GetValue(id)!,
                DisplayName = p.GetValue(displayName) ?? "",
                Quota = new Resources { Cores = p.GetValue(cores), MemoryMib = p.GetValue(memory) * 1024, Gpus = p.GetValue(gpus) },
                Residency = new Residency { Country = p.GetValue(country) ?? "", InCountryDr = p.GetValue(inCountryDr) },
            };
            request.AllowedRegions.AddRange(p.GetValue(regions) ?? []);
            request.ValidateOnly = p.GetValue(dryRun);
            var tenant = await ctx.Tenants.CreateTenantAsync(request, cancellationToken: ct);
            if (!request.ValidateOnly || ctx.Out.IsStructured) Show(ctx, tenant);
            else ctx.Out.Line($"dry run: tenant {tenant.Id} would be created (nothing was changed)");
            return ExitCodes.Ok;
        });

        var getId = new Argument<string>("id") { Description = "Tenant id" };
        var get = new Command("get", "Show a tenant with its usage against quota") { getId };
        run.Set(get, async (p, ctx, ct) =>
        {
            Show(ctx, await ctx.Tenants.GetTenantAsync(new GetTenantRequest { Id = p.GetValue(getId)! }, cancellationToken: ct));
            return ExitCodes.Ok;
        });

        var limit = Paging.Limit();
        var pageToken = Paging.PageToken();
        var list = new Command("list", "List tenants") { limit, pageToken };
        run.Set(list, async (p, ctx, ct) =>
        {
            var (tenants, next) = await Paging.CollectAsync(p.GetValue(limit), p.GetValue(pageToken), async (size, token) =>
            {
                var r = await ctx.Tenants.ListTenantsAsync(new ListTenantsRequest { PageSize = size, PageToken = token }, cancellationToken: ct);
                return (r.Tenants, r.NextPageToken);
            });
            ctx.Out.Table(tenants, ["ID", "NAME", "REGIONS", "INSTANCES", "USAGE", "QUOTA"], t =>
                [t.Id, t.DisplayName, string.Join(",", t.AllowedRegions), t.InstanceCount.ToString(), Formats.Res(t.Usage), Formats.Res(t.Quota)], next,
                new WideColumns<Tenant>(["RESIDENCY", "CREATED"], t => [Formats.Or(t.Residency?.Country ?? "", "EU"), Formats.Time(t.CreateTime)]));
            return ExitCodes.Ok;
        });

        return new Command("tenants", "Tenants: create, get, list, export") { create, get, list, Export(run) };
    }

    /// <summary>The tenant's data (tenant, instances, services, audit records) as JSON: four-eyes.</summary>
    private static Command Export(CommandRunner run)
    {
        var id = new Argument<string>("id") { Description = "The tenant" };
        var approval = ApprovalCommands.ApprovalIdOption(required: true);
        var file = new Option<string?>("--out") { Description = "Write the export to this file (default: standard output)" };
        var command = new Command("export", "Export a tenant's data as JSON: four-eyes, with an approved export-tenant request of yours") { id, approval, file };
        run.Set(command, async (p, ctx, ct) =>
        {
            var export = await ctx.Export.ExportTenantAsync(new ExportTenantRequest { TenantId = p.GetValue(id)!, ApprovalId = p.GetValue(approval)! }, cancellationToken: ct);
            var json = Google.Protobuf.JsonFormatter.Default.Format(export);
            if (p.GetValue(file) is { } path)
            {
                await File.WriteAllTextAsync(path, json, ct);
                await ctx.Out.Error.WriteLineAsync($"{export.Instances.Count} instance(s), {export.Services.Count} service(s), {export.AuditRecords.Count} audit record(s) written to {path}");
            }
            else
            {
                ctx.Out.Line(json);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Show(CliContext ctx, Tenant t) => ctx.Out.Object(t,
    [
        ("id", t.Id), ("display name", t.DisplayName), ("allowed regions", string.Join(", ", t.AllowedRegions)),
        ("quota", Formats.Res(t.Quota)), ("usage", Formats.Res(t.Usage)), ("instances", t.InstanceCount.ToString()),
        ("created", Formats.Time(t.CreateTime)),
        ("residency", (t.Residency is { Country.Length: > 0 } r ? $"{r.Country} only" : "EU") + (t.Residency?.InCountryDr == true ? ", in-country DR" : "")),
        ("locations", t.Locations.Count == 0 ? "-" : string.Join("; ", t.Locations.Select(l =>
            $"{l.Region} ({l.Country}): {l.Instances} instance(s), {l.Services} service(s), {l.DrCopies} DR cop{(l.DrCopies == 1 ? "y" : "ies")}"))),
    ]);
}
