using System.CommandLine;
using ControlPlane.Cli.Config;

namespace ControlPlane.Cli.Commands;

/// <summary>
/// 'cpctl config': named contexts (endpoint, CA, token file or client certificate, trace viewer) in the
/// configuration file, and the one in use. Local only: no control plane is called.
/// </summary>
public static class ConfigCommands
{
    public static Command Create(Func<string, string?> environment) => new("config",
        "Contexts: named control planes with their credentials and trace viewer (set-context, use-context, get-contexts, current-context, delete-context)")
    {
        SetContext(environment), UseContext(environment), GetContexts(environment), CurrentContext(environment), DeleteContext(environment),
    };

    private static Command SetContext(Func<string, string?> environment)
    {
        var name = new Argument<string>("name") { Description = "The context's name, e.g. local or prod-idf" };
        var command = new Command("set-context",
            "Create or change a context from --endpoint, --ca, --token-file, --client-cert, --client-key, --trace-url (only the options given change; \"\" clears one)")
        {
            name,
        };
        Set(command, environment, (p, config, _, error) =>
        {
            if (p.GetValue(GlobalOptions.Token) is not null)
            {
                error.WriteLine("error: a context keeps no token: store it in a file and give --token-file");
                return ExitCodes.Usage;
            }
            var context = config.Contexts.GetValueOrDefault(p.GetValue(name)!) ?? new ContextEntry();
            context.Endpoint = Change(context.Endpoint, p.GetValue(GlobalOptions.Endpoint), isPath: false);
            context.Ca = Change(context.Ca, p.GetValue(GlobalOptions.CaCert), isPath: true);
            context.TokenFile = Change(context.TokenFile, p.GetValue(GlobalOptions.TokenFile), isPath: true);
            context.ClientCert = Change(context.ClientCert, p.GetValue(GlobalOptions.ClientCert), isPath: true);
            context.ClientKey = Change(context.ClientKey, p.GetValue(GlobalOptions.ClientKey), isPath: true);
            context.TraceUrl = Change(context.TraceUrl, p.GetValue(GlobalOptions.TraceUrl), isPath: false);
            if (context.Endpoint is { } endpoint && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https")))
            {
                error.WriteLine($"error: endpoint '{endpoint}' is not an http:// or https:// address");
                return ExitCodes.Usage;
            }
            config.Contexts[p.GetValue(name)!] = context;
            config.CurrentContext ??= p.GetValue(name);
            return Saved;
        });
        return command;
    }

    private static Command UseContext(Func<string, string?> environment)
    {
        var name = new Argument<string>("name") { Description = "A context of 'cpctl config get-contexts'" };
        var command = new Command("use-context", "Make a context the current one: commands act on it unless told otherwise") { name };
        Set(command, environment, (p, config, output, error) =>
        {
            if (!Exists(config, p.GetValue(name)!, error)) return ExitCodes.Usage;
            config.CurrentContext = p.GetValue(name);
            output.WriteLine($"current context: {config.CurrentContext}");
            return Saved;
        });
        return command;
    }

    private static Command GetContexts(Func<string, string?> environment)
    {
        var command = new Command("get-contexts", "List the contexts; * marks the current one");
        Set(command, environment, (p, config, output, _) =>
        {
            Output.WriteTable(output, ["CURRENT", "NAME", "ENDPOINT", "CREDENTIALS", "TRACE-URL"], config.Contexts.Select(c => new[]
            {
                c.Key == config.CurrentContext ? "*" : "", c.Key, c.Value.Endpoint ?? GlobalOptions.DefaultEndpoint, Credentials(c.Value), c.Value.TraceUrl ?? "-",
            }).ToList());
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CurrentContext(Func<string, string?> environment)
    {
        var command = new Command("current-context", "Print the current context's name");
        Set(command, environment, (p, config, output, error) =>
        {
            if (config.CurrentContext is null)
            {
                error.WriteLine("error: no current context (cpctl config set-context NAME --endpoint URL …, then cpctl config use-context NAME)");
                return ExitCodes.NotFound;
            }
            output.WriteLine(config.CurrentContext);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command DeleteContext(Func<string, string?> environment)
    {
        var name = new Argument<string>("name") { Description = "The context to forget" };
        var command = new Command("delete-context", "Remove a context from the configuration (the current one too: then there is none)") { name };
        Set(command, environment, (p, config, output, error) =>
        {
            if (!Exists(config, p.GetValue(name)!, error)) return ExitCodes.Usage;
            config.Contexts.Remove(p.GetValue(name)!);
            if (config.CurrentContext == p.GetValue(name)) config.CurrentContext = null;
            output.WriteLine($"deleted context {p.GetValue(name)}");
            return Saved;
        });
        return command;
    }

    /// <summary>What an action returns when the configuration it changed must be written.</summary>
    private const int Saved = -1;

    private static void Set(Command command, Func<string, string?> environment, Func<ParseResult, CliConfig, TextWriter, TextWriter, int> action) =>
        command.SetAction(p =>
        {
            var output = p.InvocationConfiguration.Output;
            var error = p.InvocationConfiguration.Error;
            try
            {
                var path = ConfigFile.PathFrom(environment)
                    ?? throw new ConfigException($"no configuration file: set ${ConfigFile.PathVariable}, $XDG_CONFIG_HOME or $HOME");
                var config = ConfigFile.Load(path);
                var exit = action(p, config, output, error);
                if (exit != Saved) return exit;
                ConfigFile.Save(path, config);
                return ExitCodes.Ok;
            }
            catch (ConfigException e)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
        });

    private static bool Exists(CliConfig config, string name, TextWriter error)
    {
        if (config.Contexts.ContainsKey(name)) return true;
        error.WriteLine($"error: no context '{name}'; known: {(config.Contexts.Count == 0 ? "none" : string.Join(", ", config.Contexts.Keys))}");
        return false;
    }

    /// <summary>The old value when the option is absent, none when it is "", else the new one (a file as a full path: contexts work from any folder).</summary>
    private static string? Change(string? old, string? given, bool isPath) => given switch
    {
        null => old,
        "" => null,
        _ => isPath ? Path.GetFullPath(given) : given,
    };

    private static string Credentials(ContextEntry c) => string.Join(", ", new[]
    {
        c.TokenFile is null ? null : $"token {c.TokenFile}", c.ClientCert is null ? null : $"certificate {c.ClientCert}", c.Ca is null ? null : $"CA {c.Ca}",
    }.OfType<string>().DefaultIfEmpty("-"));
}
