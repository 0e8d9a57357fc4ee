using System.CommandLine;
using Google.Rpc;
using Grpc.Core;

namespace ControlPlane.Cli;

/// <summary>Runs a command's action with a connected context, and turns gRPC errors into messages and exit codes.</summary>
public sealed class CommandRunner(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
{
    public void Set(Command command, Func<ParseResult, CliContext, CancellationToken, Task<int>> action) =>
        command.SetAction((parse, ct) => RunAsync(parse, action, ct));

    private async Task<int> RunAsync(ParseResult parse, Func<ParseResult, CliContext, CancellationToken, Task<int>> action, CancellationToken ct)
    {
        var endpoint = parse.GetValue(GlobalOptions.Endpoint) ?? environment(GlobalOptions.EndpointVariable) ?? GlobalOptions.DefaultEndpoint;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            await stderr.WriteLineAsync($"error: endpoint '{endpoint}' is not an http:// or https:// address");
            return ExitCodes.Usage;
        }
        string? token;
        try
        {
            token = parse.GetValue(GlobalOptions.Token) ?? environment(GlobalOptions.TokenVariable)
                ?? ((parse.GetValue(GlobalOptions.TokenFile) ?? environment(GlobalOptions.TokenFileVariable)) is { Length: > 0 } file ? File.ReadAllText(file).Trim() : null);
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"error: cannot read the token file: {e.Message}");
            return ExitCodes.Usage;
        }
        var credentials = new Credentials(
            parse.GetValue(GlobalOptions.CaCert) ?? environment(GlobalOptions.CaCertVariable),
            parse.GetValue(GlobalOptions.ClientCert) ?? environment(GlobalOptions.ClientCertVariable),
            parse.GetValue(GlobalOptions.ClientKey) ?? environment(GlobalOptions.ClientKeyVariable),
            token);
        using var context = new CliContext(endpoint, new Output(stdout, stderr, parse.GetValue(GlobalOptions.OutputFormat) == "json"), environment, credentials);
        try
        {
            return await action(parse, context, ct);
        }
        catch (RpcException e)
        {
            await WriteErrorAsync(e, endpoint);
            return e.StatusCode switch
            {
                StatusCode.NotFound => ExitCodes.NotFound,
                StatusCode.DeadlineExceeded => ExitCodes.Timeout,
                StatusCode.Unauthenticated or StatusCode.PermissionDenied => ExitCodes.Denied,
                _ => ExitCodes.Error,
            };
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"error: cannot load the TLS files (--ca-cert, --client-cert, --client-key): {e.Message}");
            return ExitCodes.Usage;
        }
    }

    private async Task WriteErrorAsync(RpcException e, string endpoint)
    {
        if (e.GetRpcStatus() is null && e.Status.Detail.Contains("SSL connection could not be established", StringComparison.Ordinal))
        {
            await stderr.WriteLineAsync($"error: cannot reach the control plane at {endpoint}: the TLS handshake failed " +
                $"(is --ca-cert / {GlobalOptions.CaCertVariable} the CA of its certificate?): {e.Status.DebugException?.InnerException?.Message ?? e.Status.Detail}");
            return;
        }
        if (e.StatusCode == StatusCode.Unavailable && e.GetRpcStatus() is null)
        {
            await stderr.WriteLineAsync($"error: cannot reach the control plane at {endpoint}: {e.Status.Detail}");
            return;
        }
        await stderr.WriteLineAsync($"error: {e.Status.Detail}");
        if (e.GetRpcStatus() is { } status) await WriteStatusAsync(stderr, status);
        else await stderr.WriteLineAsync($"  code: {e.StatusCode}");
    }

    /// <summary>Writes a google.rpc.Status's code, reason, metadata and field violations.</summary>
    public static async Task WriteStatusAsync(TextWriter writer, Google.Rpc.Status status)
    {
        await writer.WriteLineAsync($"  code: {(StatusCode)status.Code}");
        if (status.GetDetail<ErrorInfo>() is { } info)
        {
            await writer.WriteLineAsync($"  reason: {info.Reason}");
            foreach (var (key, value) in info.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
                await writer.WriteLineAsync($"  {key}: {value}");
        }
        if (status.GetDetail<BadRequest>() is { } badRequest)
        {
            foreach (var v in badRequest.FieldViolations) await writer.WriteLineAsync($"  field {v.Field}: {v.Description}");
        }
    }
}
