using System.CommandLine;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cli.Commands;

/// <summary>'cpctl access': who the caller is, principals and roles, who-can / what-can, seal.</summary>
public static class AccessCommands
{
    private static readonly string[] RoleWords = [.. Enum.GetValues<Role>().Skip(1).Select(r => Formats.Word(r))];

    public static Command Create(CommandRunner run) => new("access",
        "Principals, roles and seal: whoami, principals, register, assign, revoke, who-can, what-can, seal, unseal")
    {
        WhoAmI(run), Principals(run), Register(run), Assign(run, "assign"), Assign(run, "revoke"), WhoCan(run), WhatCan(run), Seal(run), Unseal(run),
    };

    private static Command WhoAmI(CommandRunner run)
    {
        var command = new Command("whoami", "Who the control plane sees: principal, roles, location, MFA, seal");
        run.Set(command, async (p, ctx, ct) =>
        {
            var me = await ctx.Access.WhoAmIAsync(new WhoAmIRequest(), cancellationToken: ct);
            ctx.Out.Object(me,
            [
                ("principal", me.Principal.Id), ("kind", Formats.Word(me.Principal.Kind)), ("employer", Formats.Or(me.Principal.Employer)),
                ("ops-centre", Formats.Or(me.Principal.OpsCentre)), ("location", Formats.Or(me.Location)), ("mfa", me.Mfa ? "yes" : "no"),
                ("roles", Formats.Or(string.Join(", ", me.Roles.Select(r => $"{Formats.Word(r.Role)}@{r.Scope}")))),
                ("platform", me.PlatformSealed ? "sealed" : "unsealed"),
            ]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Principals(CommandRunner run)
    {
        var command = new Command("principals", "List registered principals and their roles");
        run.Set(command, async (p, ctx, ct) =>
        {
            var r = await ctx.Access.ListPrincipalsAsync(new ListPrincipalsRequest(), cancellationToken: ct);
            var roles = r.Assignments.GroupBy(a => a.Principal).ToDictionary(g => g.Key, g => string.Join(",", g.Select(a => $"{Formats.Word(a.Role)}@{a.Scope}")));
            ctx.Out.Table(r.Principals, ["ID", "KIND", "EMPLOYER", "OPS-CENTRE", "ROLES"], x =>
                [x.Id, Formats.Word(x.Kind), x.Employer, Formats.Or(x.OpsCentre), roles.GetValueOrDefault(x.Id, "-")]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Register(CommandRunner run)
    {
        var id = new Argument<string>("id") { Description = "The principal: a token's subject, or svc:<CN> for a client certificate" };
        var kind = new Option<string>("--kind") { Description = "person or service", Required = true };
        kind.AcceptOnlyFromAmong("person", "service");
        var employer = new Option<string>("--employer") { Description = "operator (the local operator) or vendor", DefaultValueFactory = _ => "operator" };
        employer.AcceptOnlyFromAmong("operator", "vendor");
        var centre = new Option<string>("--ops-centre") { Description = "The operations centre a person works for (idf, rennes)", DefaultValueFactory = _ => "" };
        var name = new Option<string>("--name") { Description = "Display name", DefaultValueFactory = _ => "" };
        var dryRun = DryRun.Option();
        var command = new Command("register", "Register a principal (security officers)") { id, kind, employer, centre, name, dryRun };
        run.Set(command, async (p, ctx, ct) =>
        {
            var principal = await ctx.Access.RegisterPrincipalAsync(new RegisterPrincipalRequest
            {
                Principal = new Principal
                {
                    Id = p.GetValue(id)!, Kind = Formats.ParseWord<PrincipalKind>(p.GetValue(kind)!)!.Value, Employer = p.GetValue(employer)!,
                    OpsCentre = p.GetValue(centre)!, DisplayName = p.GetValue(name)!,
                },
                ValidateOnly = p.GetValue(dryRun),
            }, cancellationToken: ct);
            if (p.GetValue(dryRun) && !ctx.Out.IsStructured) return DryRun.Say(ctx, $"principal {principal.Id} would be registered");
            ctx.Out.Object(principal, [("principal", principal.Id), ("kind", Formats.Word(principal.Kind)), ("employer", principal.Employer),
                ("ops-centre", Formats.Or(principal.OpsCentre)), ("registered", $"{Formats.Time(principal.RegisteredAt)} by {principal.RegisteredBy}")]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Assign(CommandRunner run, string name)
    {
        var principal = new Argument<string>("principal") { Description = "A registered principal" };
        var role = new Argument<string>("role") { Description = string.Join(", ", RoleWords) };
        role.AcceptOnlyFromAmong(RoleWords);
        var scope = new Argument<string>("scope") { Description = "platform, region:<id> or tenant:<id>" };
        var dryRun = DryRun.Option();
        var command = new Command(name, name == "assign" ? "Assign a role on a scope (refused if incompatible with the principal's other roles)" : "Revoke a role on a scope")
        {
            principal, role, scope, dryRun,
        };
        run.Set(command, async (p, ctx, ct) =>
        {
            var parsed = Formats.ParseWord<Role>(p.GetValue(role)!)!.Value;
            var dry = p.GetValue(dryRun);
            var what = $"{Formats.Word(parsed)}@{p.GetValue(scope)} of {p.GetValue(principal)}";
            if (name == "assign")
            {
                var a = await ctx.Access.AssignRoleAsync(new AssignRoleRequest
                {
                    Principal = p.GetValue(principal)!, Role = parsed, Scope = p.GetValue(scope)!, ValidateOnly = dry,
                }, cancellationToken: ct);
                if (dry && !ctx.Out.IsStructured) return DryRun.Say(ctx, $"role {what} would be assigned");
                ctx.Out.Object(a, [("principal", a.Principal), ("role", Formats.Word(a.Role)), ("scope", a.Scope), ("assigned", $"{Formats.Time(a.AssignedAt)} by {a.AssignedBy}")]);
            }
            else
            {
                var r = await ctx.Access.RevokeRoleAsync(new RevokeRoleRequest
                {
                    Principal = p.GetValue(principal)!, Role = parsed, Scope = p.GetValue(scope)!, ValidateOnly = dry,
                }, cancellationToken: ct);
                if (dry && !ctx.Out.IsStructured) return DryRun.Say(ctx, $"role {what} would be revoked");
                ctx.Out.Object(r, [("revoked", what)]);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command WhoCan(CommandRunner run)
    {
        var scope = new Argument<string>("scope") { Description = "platform, region:<id> or tenant:<id>" };
        var command = new Command("who-can", "Who can act on a resource scope, with which role, under which condition") { scope };
        run.Set(command, async (p, ctx, ct) =>
        {
            Show(ctx, await ctx.Access.WhoCanAsync(new WhoCanRequest { Scope = p.GetValue(scope)! }, cancellationToken: ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command WhatCan(CommandRunner run)
    {
        var principal = new Argument<string>("principal") { Description = "A registered principal" };
        var command = new Command("what-can", "What a principal can act on, with which role, under which condition") { principal };
        run.Set(command, async (p, ctx, ct) =>
        {
            Show(ctx, await ctx.Access.WhatCanAsync(new WhatCanRequest { Principal = p.GetValue(principal)! }, cancellationToken: ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Show(CliContext ctx, AccessEntries entries) =>
        ctx.Out.Table(entries.Entries, ["PRINCIPAL", "ROLE", "SCOPE", "CONDITION", "ALLOWS"], e =>
            [e.Principal, Formats.Word(e.Role), e.Scope, Formats.Or(e.Condition), string.Join(",", e.Allows)]);

    private static Command Seal(CommandRunner run)
    {
        var dryRun = DryRun.Option();
        var command = new Command("seal", "Seal the platform: vendor personnel get no access at all") { dryRun };
        run.Set(command, async (p, ctx, ct) =>
        {
            var seal = await ctx.Access.SealPlatformAsync(new SealPlatformRequest { ValidateOnly = p.GetValue(dryRun) }, cancellationToken: ct);
            return ShowSeal(ctx, seal, p.GetValue(dryRun));
        });
        return command;
    }

    private static Command Unseal(CommandRunner run)
    {
        var approval = ApprovalCommands.ApprovalIdOption(required: true);
        var dryRun = DryRun.Option();
        var command = new Command("unseal", "Unseal the platform: four-eyes, with an approved unseal-platform request of yours") { approval, dryRun };
        run.Set(command, async (p, ctx, ct) =>
        {
            var seal = await ctx.Access.UnsealPlatformAsync(new UnsealPlatformRequest
            {
                ApprovalId = p.GetValue(approval) ?? "", ValidateOnly = p.GetValue(dryRun),
            }, cancellationToken: ct);
            return ShowSeal(ctx, seal, p.GetValue(dryRun));
        });
        return command;
    }

    private static int ShowSeal(CliContext ctx, PlatformSeal seal, bool dry)
    {
        var state = seal.Sealed ? "sealed" : "unsealed";
        if (dry && !ctx.Out.IsStructured) return DryRun.Say(ctx, $"the platform would be {state}");
        ctx.Out.Object(seal, [("platform", state)]);
        return ExitCodes.Ok;
    }
}
