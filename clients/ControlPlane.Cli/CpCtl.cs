using System.CommandLine;
using ControlPlane.Cli.Commands;

namespace ControlPlane.Cli;

/// <summary>cpctl: the command line of ControlPlane. Built around writers so tests run it in process.</summary>
public static class CpCtl
{
    public static RootCommand BuildRoot(CommandRunner run)
    {
        var root = new RootCommand("cpctl — provision tenants, instances and services on ControlPlane, and inspect its topology");
        root.Options.Add(GlobalOptions.Endpoint);
        root.Options.Add(GlobalOptions.Context);
        root.Options.Add(GlobalOptions.TraceUrl);
        root.Options.Add(GlobalOptions.OutputFormat);
        root.Options.Add(GlobalOptions.Query);
        root.Options.Add(GlobalOptions.Token);
        root.Options.Add(GlobalOptions.TokenFile);
        root.Options.Add(GlobalOptions.CaCert);
        root.Options.Add(GlobalOptions.ClientCert);
        root.Options.Add(GlobalOptions.ClientKey);
        foreach (var command in TopologyCommands.Create(run)) root.Subcommands.Add(command);
        root.Subcommands.Add(TopologyChangeCommands.Create(run));
        root.Subcommands.Add(TenantCommands.Create(run));
        root.Subcommands.Add(InstanceCommands.Create(run));
        root.Subcommands.Add(OperationCommands.Create(run));
        root.Subcommands.Add(CatalogCommands.Create(run));
        root.Subcommands.Add(ServiceCommands.Create(run));
        root.Subcommands.Add(RecoveryCommands.Create(run));
        root.Subcommands.Add(AuditCommands.Create(run));
        root.Subcommands.Add(InvoiceCommands.Create(run));
        root.Subcommands.Add(EventCommands.Create(run));
        root.Subcommands.Add(ClusterCommands.Create(run));
        root.Subcommands.Add(AccessCommands.Create(run));
        root.Subcommands.Add(ApprovalCommands.Create(run));
        root.Subcommands.Add(LockboxCommands.Create(run));
        root.Subcommands.Add(TokenCommands.Create());
        root.Subcommands.Add(ConfigCommands.Create(run.Environment));
        foreach (var command in CompletionCommands.Create(run.Environment)) root.Subcommands.Add(command);
        return root;
    }

    /// <param name="stderrIsTerminal">Progress may be drawn on stderr (a terminal, not redirected).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment,
        CancellationToken ct = default, bool stderrIsTerminal = false)
    {
        var root = BuildRoot(new CommandRunner(stdout, stderr, environment, stderrIsTerminal));
        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr };
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            var known = parse.CommandResult.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)
                .Concat(parse.CommandResult.Command.Options.Select(o => o.Name));
            var hints = parse.UnmatchedTokens.Select(typed => Errors.Suggestions.DidYouMean(typed, known) is { } hint ? $"'{typed}': {hint}" : null).OfType<string>();
            var error = Errors.CliError.Usage(Errors.CliError.CommandLineInvalid, string.Join('\n', parse.Errors.Select(e => e.Message)),
                string.Join('\n', [.. hints, "Run 'cpctl --help' (or '<command> --help') for usage."]));
            return CommandRunner.WriteUsage(GlobalOptions.FormatOfAnyLine(parse), stderr, error);
        }
        return await parse.InvokeAsync(configuration, ct);
    }
}
