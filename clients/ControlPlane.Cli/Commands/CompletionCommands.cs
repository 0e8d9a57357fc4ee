using System.CommandLine;
using ControlPlane.Cli.Config;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cli.Commands;

/// <summary>
/// 'cpctl completion bash|zsh|fish' prints a script for the shell; the script asks the hidden 'cpctl __complete'
/// for the words that may come next: commands and options from cpctl itself, and the values of --size, --region,
/// --zone and --tenant (and the keys of 'sizes|regions|zones|tenants get') from the control plane.
/// </summary>
public static class CompletionCommands
{
    private static readonly TimeSpan ServerBudget = TimeSpan.FromSeconds(2);

    public static IEnumerable<Command> Create(Func<string, string?> environment)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or fish" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var completion = new Command("completion", "Print the shell completion script: source <(cpctl completion bash), or see docs/cli.md for zsh and fish") { shell };
        completion.SetAction(p => p.InvocationConfiguration.Output.Write(Script(p.GetValue(shell)!)));

        var words = new Argument<string[]>("words") { Arity = ArgumentArity.ZeroOrMore };
        var complete = new Command("__complete", "Completion candidates for the words typed so far (the last is the one being completed)") { words };
        complete.Hidden = true;
        complete.SetAction(async (p, ct) =>
        {
            foreach (var candidate in await CandidatesAsync(p.RootCommandResult.Command, p.GetValue(words) ?? [], environment, ct))
                await p.InvocationConfiguration.Output.WriteLineAsync(candidate);
            return ExitCodes.Ok;
        });
        return [completion, complete];
    }

    public static async Task<IReadOnlyList<string>> CandidatesAsync(Command root, string[] words, Func<string, string?> environment, CancellationToken ct)
    {
        var current = words.Length > 0 ? words[^1] : "";
        string[] before = words.Length > 0 ? words[..^1] : [];
        var parse = root.Parse(before);
        var command = parse.CommandResult.Command;
        var options = Ancestry(parse).SelectMany(c => c.Options.Where(o => o.Recursive || c == command)).ToList();
        var previous = before.LastOrDefault();
        var option = previous is null ? null : options.FirstOrDefault(o => o.Name == previous || o.Aliases.Contains(previous));

        IEnumerable<string> candidates;
        if (option is not null && option.ValueType != typeof(bool))
        {
            candidates = await ServerValuesAsync(option.Name, parse, environment, ct)
                ?? option.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Select(c => c.Label);
        }
        else if (command.Name == "get" && parse.CommandResult.Parent is System.CommandLine.Parsing.CommandResult { Command.Name: var noun }
                 && parse.CommandResult.Tokens.Count == 0 && await ServerValuesAsync("--" + noun.TrimEnd('s'), parse, environment, ct) is { } keys)
        {
            candidates = keys;
        }
        else
        {
            candidates = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)
                .Concat(current.StartsWith('-') ? options.Where(o => !o.Hidden).Select(o => o.Name) : [])
                .Concat(command.Arguments.SelectMany(a => a.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty)).Select(c => c.Label));
        }
        return [.. candidates.Where(c => c.StartsWith(current, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<Command> Ancestry(ParseResult parse)
    {
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult) yield return r.Command;
    }

    /// <summary>The control plane's values for an option, or null for an option it has none for; nothing when it cannot be asked in time.</summary>
    private static async Task<IEnumerable<string>?> ServerValuesAsync(string option, ParseResult parse, Func<string, string?> environment, CancellationToken ct)
    {
        if (option is not ("--size" or "--region" or "--zone" or "--tenant")) return null;
        try
        {
            using var ctx = new CliContext(Target.Resolve(parse, environment), new Output(TextWriter.Null, TextWriter.Null), environment);
            var deadline = DateTime.UtcNow + ServerBudget;
            return option switch
            {
                "--size" => (await ctx.Topology.ListSizesAsync(new ListSizesRequest(), deadline: deadline, cancellationToken: ct)).Sizes.Select(s => s.Name).ToList(),
                "--region" => (await ctx.Topology.ListRegionsAsync(new ListRegionsRequest(), deadline: deadline, cancellationToken: ct)).Regions.Select(r => r.Id).ToList(),
                "--zone" => (await ctx.Topology.ListZonesAsync(new ListZonesRequest(), deadline: deadline, cancellationToken: ct)).Zones.Select(z => z.Id).ToList(),
                _ => (await ctx.Tenants.ListTenantsAsync(new ListTenantsRequest { PageSize = 500 }, deadline: deadline, cancellationToken: ct)).Tenants.Select(t => t.Id).ToList(),
            };
        }
        catch (Exception e) when (e is Grpc.Core.RpcException or ConfigException or IOException or UriFormatException or System.Security.Cryptography.CryptographicException)
        {
            return [];
        }
    }

    public static string Script(string shell) => shell switch
    {
        "bash" => """
            # cpctl completion for bash: source <(cpctl completion bash)
            _cpctl_complete() {
              local IFS=$'\n'
              COMPREPLY=($(cpctl __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
            }
            complete -o default -F _cpctl_complete cpctl

            """,
        "zsh" => """
            #compdef cpctl
            # cpctl completion for zsh: source <(cpctl completion zsh)
            _cpctl_complete() {
              local -a candidates
              candidates=("${(@f)$(cpctl __complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)}")
              compadd -a candidates
            }
            compdef _cpctl_complete cpctl

            """,
        _ => """
            # cpctl completion for fish: cpctl completion fish | source
            complete -c cpctl -f -a '(cpctl __complete -- (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'

            """,
    };
}
