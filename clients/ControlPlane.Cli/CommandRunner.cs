using System.CommandLine;
using ControlPlane.Cli.Commands;
using ControlPlane.Cli.Config;
using ControlPlane.Cli.Errors;
using ControlPlane.Cli.Rendering;
using Grpc.Core;

namespace ControlPlane.Cli;

/// <summary>Runs a command's action with a connected context, and turns gRPC errors into messages and exit codes.</summary>
public sealed class CommandRunner(TextWriter stdout, TextWriter stderr, Func<string, string?> environment, bool stderrIsTerminal = false)
{
    public Func<string, string?> Environment => environment;

    public void Set(Command command, Func<ParseResult, CliContext, CancellationToken, Task<int>> action) =>
        command.SetAction((parse, ct) => RunAsync(parse, action, ct));

    private async Task<int> RunAsync(ParseResult parse, Func<ParseResult, CliContext, CancellationToken, Task<int>> action, CancellationToken ct)
    {
        Target target;
        try
        {
            target = Target.Resolve(parse, environment);
        }
        catch (ConfigException e)
        {
            return WriteUsage(parse, CliError.Usage(CliError.ConfigInvalid, e.Message));
        }
        var endpoint = target.Endpoint;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            return WriteUsage(parse, CliError.Usage(CliError.EndpointInvalid, $"endpoint '{endpoint}' is not an http:// or https:// address"));
        }
        if (ChangesState(parse.CommandResult.Command))
        {
            await stderr.WriteLineAsync($"{(DryRun.IsSet(parse) ? "dry run: " : "")}{Describe(parse.CommandResult)} on {target.Describe()}");
        }
        var output = new Output(stdout, stderr, GlobalOptions.FormatOf(parse), parse.GetValue(GlobalOptions.Query), stderrIsTerminal)
        {
            ResumeCommand = token => ResumeCommand(parse, token),
        };
        using var context = new CliContext(target, output, environment);
        try
        {
            return await action(parse, context, ct);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            await stderr.WriteLineAsync("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (RpcException e)
        {
            var error = CliError.From(e, endpoint);
            if (error.FieldViolations.Count > 0) error = await DidYouMean.AddAsync(error, parse, context, CancellationToken.None);
            WriteError(output, error);
            return error.ExitCode;
        }
        catch (CliFailure e) when (e.Error.ExitCode == ExitCodes.Usage)
        {
            return WriteUsage(parse, e.Error);
        }
        catch (CliFailure e)
        {
            WriteError(output, e.Error);
            return e.Error.ExitCode;
        }
        catch (QueryException e)
        {
            return WriteUsage(parse, CliError.Usage(CliError.QueryInvalid, e.Message));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            return WriteUsage(parse, CliError.Usage(CliError.TlsFilesUnreadable, $"cannot load the TLS files (--ca-cert, --client-cert, --client-key): {e.Message}"));
        }
    }

    private int WriteUsage(ParseResult parse, CliError error) => WriteUsage(GlobalOptions.FormatOfAnyLine(parse), stderr, error);

    /// <summary>A usage error (exit 2): 'error: ' and each line of its message, then its hint, for people; the error object under -o json or yaml.</summary>
    public static int WriteUsage(OutputFormat format, TextWriter stderr, CliError error)
    {
        if (format is OutputFormat.Json or OutputFormat.Yaml) WriteError(format, stderr, error);
        else
        {
            foreach (var line in error.Message.Split('\n')) stderr.WriteLine($"error: {line}");
            if (error.Hint is not null) stderr.WriteLine(error.Hint);
        }
        return error.ExitCode;
    }

    /// <summary>An error on stderr: prose for people, the error object under -o json or yaml.</summary>
    public static void WriteError(Output output, CliError error) => WriteError(output.Format, output.Error, error);

    private static void WriteError(OutputFormat format, TextWriter stderr, CliError error)
    {
        switch (format)
        {
            case OutputFormat.Json:
                stderr.WriteLine(error.ToNode().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                break;
            case OutputFormat.Yaml:
                stderr.WriteLine(Rendering.Yaml.Write(error.ToNode()));
                break;
            default:
                error.WriteText(stderr);
                break;
        }
    }

    /// <summary>The command line as typed, with --page-token set to <paramref name="token"/>: how to resume a list.</summary>
    private static string ResumeCommand(ParseResult parse, string token)
    {
        var words = new List<string> { "cpctl" };
        var tokens = parse.Tokens.Select(t => t.Value).ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == "--page-token") i++;
            else if (!tokens[i].StartsWith("--page-token=", StringComparison.Ordinal)) words.Add(Quote(tokens[i]));
        }
        return string.Join(' ', [.. words, "--page-token", Quote(token)]);
    }

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsLetterOrDigit(c) || "-_./:=@,".Contains(c)) ? word : "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>The verbs that change the control plane's state: each says first which control plane it acts on.</summary>
    private static readonly HashSet<string> StateChangingVerbs =
    [
        "create", "create-zone-redundant", "delete", "order", "cancel", "set-seats", "cordon", "uncordon", "drain", "fail",
        "decommission", "commission", "add-zone", "set-region-role", "retire-zone", "protect", "failover", "failback", "set-state",
        "register", "assign", "revoke", "seal", "unseal", "request", "approve", "reject", "review", "break-glass",
    ];

    public static bool ChangesState(Command command) => StateChangingVerbs.Contains(command.Name);

    /// <summary>The command as typed, without its arguments: "instances delete".</summary>
    public static string Describe(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var r = result; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult) names.Insert(0, r.Command.Name);
        return string.Join(' ', names);
    }
}
