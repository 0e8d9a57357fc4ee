using System.CommandLine;

namespace ControlPlane.Cli.Config;

/// <summary>The control plane a command acts on: its context (if any), endpoint, credentials and trace viewer.</summary>
public sealed record Target(string? ContextName, string Endpoint, Credentials Credentials, string? TraceUrl)
{
    /// <summary>
    /// Each setting from its flag, else its environment variable, else the context (--context, $CPCTL_CONTEXT,
    /// else the file's current context), else its default.
    /// </summary>
    /// <exception cref="ConfigException">A named context does not exist, or a file cannot be read.</exception>
    public static Target Resolve(ParseResult parse, Func<string, string?> environment)
    {
        var path = ConfigFile.PathFrom(environment);
        var config = ConfigFile.Load(path);
        var name = parse.GetValue(GlobalOptions.Context) ?? environment(ConfigFile.ContextVariable) ?? config.CurrentContext;
        ContextEntry? context = null;
        if (name is { Length: > 0 } && !config.Contexts.TryGetValue(name, out context))
            throw new ConfigException($"context '{name}' is not in {path ?? "the configuration"} (see 'cpctl config get-contexts')");

        string? Pick(Option<string?> option, string variable, string? fromContext) =>
            parse.GetValue(option) ?? NonEmpty(environment(variable)) ?? fromContext;

        var endpoint = Pick(GlobalOptions.Endpoint, GlobalOptions.EndpointVariable, context?.Endpoint) ?? GlobalOptions.DefaultEndpoint;
        var tokenFile = Pick(GlobalOptions.TokenFile, GlobalOptions.TokenFileVariable, context?.TokenFile);
        string? token;
        try
        {
            token = parse.GetValue(GlobalOptions.Token) ?? environment(GlobalOptions.TokenVariable)
                ?? (tokenFile is { Length: > 0 } ? File.ReadAllText(tokenFile).Trim() : null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read the token file: {e.Message}");
        }
        var credentials = new Credentials(
            Pick(GlobalOptions.CaCert, GlobalOptions.CaCertVariable, context?.Ca),
            Pick(GlobalOptions.ClientCert, GlobalOptions.ClientCertVariable, context?.ClientCert),
            Pick(GlobalOptions.ClientKey, GlobalOptions.ClientKeyVariable, context?.ClientKey),
            token);
        return new Target(context is null ? null : name, endpoint, credentials,
            Pick(GlobalOptions.TraceUrl, GlobalOptions.TraceUrlVariable, context?.TraceUrl));
    }

    /// <summary>"context local (https://127.0.0.1:7181)", or the endpoint alone when no context is in use.</summary>
    public string Describe() => ContextName is null ? $"endpoint {Endpoint} (no context)" : $"context {ContextName} ({Endpoint})";

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
