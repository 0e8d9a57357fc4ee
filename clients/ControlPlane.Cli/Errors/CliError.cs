using System.Net.Sockets;
using System.Text.Json.Nodes;
using Google.Rpc;
using Grpc.Core;

namespace ControlPlane.Cli.Errors;

/// <summary>
/// An error as cpctl reports it: the gRPC code, the machine-readable reason, the message, the metadata and
/// field violations, the exit code, and a hint for the user. From the control plane's google.rpc.Status,
/// or from cpctl itself when the control plane could not be reached (then the reason is cpctl's).
/// </summary>
public sealed record CliError(string Code, string? Reason, string Message, IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<(string Field, string Description)> FieldViolations, int ExitCode, string? Hint = null)
{
    public const string ConnectionRefused = "CONNECTION_REFUSED";
    public const string TlsHandshakeFailed = "TLS_HANDSHAKE_FAILED";
    public const string PlaintextPort = "PLAINTEXT_PORT";
    public const string Unreachable = "UNREACHABLE";

    public static CliError From(RpcException e, string endpoint)
    {
        if (e.GetRpcStatus() is { } status) return From(status);
        if (Transport(e, endpoint) is { } transport) return transport;
        return new CliError(CodeName(e.StatusCode), null, e.Status.Detail, Empty, [], ExitCodeOf(e.StatusCode));
    }

    /// <summary>A google.rpc.Status: a call's, or an operation's error.</summary>
    public static CliError From(Google.Rpc.Status status)
    {
        var info = status.GetDetail<ErrorInfo>();
        var violations = status.GetDetail<BadRequest>()?.FieldViolations.Select(v => (v.Field, v.Description)).ToList() ?? [];
        var code = (StatusCode)status.Code;
        return new CliError(CodeName(code), info?.Reason, status.Message,
            info?.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal).ToDictionary(m => m.Key, m => m.Value) ?? Empty, violations, ExitCodeOf(code));
    }

    /// <summary>UNAVAILABLE with no status from a server: cpctl never reached one. Says why, in the words a user looks for.</summary>
    private static CliError? Transport(RpcException e, string endpoint)
    {
        var uri = new Uri(endpoint);
        var where = $"{uri.Host}:{uri.Port}";
        var chain = Chain(e.Status.DebugException).ToList();
        if (e.Status.Detail.Contains("SSL connection could not be established", StringComparison.Ordinal)
            || chain.Any(x => x is System.Security.Authentication.AuthenticationException))
        {
            var inner = chain.LastOrDefault()?.Message ?? e.Status.Detail;
            // A plaintext HTTP/2 server answers a TLS ClientHello with a frame TLS cannot read, or closes at once.
            if (chain.Any(x => x.Message.Contains("frame", StringComparison.OrdinalIgnoreCase) || x.Message.Contains("unexpected EOF", StringComparison.OrdinalIgnoreCase)))
            {
                return NotReached(PlaintextPort, $"cannot reach the control plane at {endpoint}: {where} does not speak TLS ({inner})",
                    $"the endpoint is https:// but the port answers in plaintext: try http://{where}, or the gateway's TLS port");
            }
            return NotReached(TlsHandshakeFailed, $"cannot reach the control plane at {endpoint}: the TLS handshake failed: {inner}",
                $"is --ca-cert / ${GlobalOptions.CaCertVariable} (or the context's CA) the CA of the gateway's certificate?");
        }
        if (e.StatusCode != StatusCode.Unavailable) return null;
        if (chain.OfType<SocketException>().FirstOrDefault() is { } socket)
        {
            return socket.SocketErrorCode == SocketError.ConnectionRefused
                ? NotReached(ConnectionRefused, $"cannot reach the control plane at {endpoint}: connection refused (nothing listens on {where})",
                    "is the control plane running, and is the endpoint (--endpoint, $CONTROLPLANE_ENDPOINT, the context) right?")
                : NotReached(Unreachable, $"cannot reach the control plane at {endpoint}: {socket.Message}", null);
        }
        var http = uri.Scheme == "http" && chain.Any(x => x is HttpRequestException or IOException);
        return NotReached(Unreachable, $"cannot reach the control plane at {endpoint}: {chain.LastOrDefault()?.Message ?? e.Status.Detail}",
            http ? $"if {where} is a TLS port, use https://{where} (with --ca-cert)" : null);
    }

    public const string CommandLineInvalid = "COMMAND_LINE_INVALID";
    public const string ConfigInvalid = "CONFIG_INVALID";
    public const string EndpointInvalid = "ENDPOINT_INVALID";
    public const string QueryInvalid = "QUERY_INVALID";
    public const string TlsFilesUnreadable = "TLS_FILES_UNREADABLE";

    /// <summary>A usage error cpctl finds before or without the control plane (exit 2): the command line, a context, the endpoint, --query, TLS files.</summary>
    public static CliError Usage(string reason, string message, string? hint = null) =>
        new(CodeName(StatusCode.InvalidArgument), reason, message, Empty, [], ExitCodes.Usage, hint);

    private static CliError NotReached(string reason, string message, string? hint) =>
        new("UNAVAILABLE", reason, message, Empty, [], ExitCodes.Unreachable, hint);

    /// <summary>For people: the message, then code, reason, metadata, field violations and hint, one per line.</summary>
    public void WriteText(TextWriter writer, string prefix = "error: ")
    {
        writer.WriteLine($"{prefix}{Message}");
        writer.WriteLine($"  code: {Code}");
        if (Reason is not null) writer.WriteLine($"  reason: {Reason}");
        foreach (var (key, value) in Metadata) writer.WriteLine($"  {key}: {value}");
        foreach (var (field, description) in FieldViolations) writer.WriteLine($"  field {field}: {description}");
        if (Hint is not null) writer.WriteLine($"  hint: {Hint}");
    }

    /// <summary>For scripts (-o json|yaml): {code, reason, message, metadata, fieldViolations, hint, exitCode}.</summary>
    public JsonObject ToNode()
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in Metadata) metadata[key] = JsonValue.Create(value);
        return new JsonObject
        {
            ["code"] = Code,
            ["reason"] = Reason,
            ["message"] = Message,
            ["metadata"] = metadata,
            ["fieldViolations"] = new JsonArray([.. FieldViolations.Select(v => (JsonNode)new JsonObject { ["field"] = v.Field, ["description"] = v.Description })]),
            ["hint"] = Hint,
            ["exitCode"] = ExitCode,
        };
    }

    public static int ExitCodeOf(StatusCode code) => code switch
    {
        StatusCode.NotFound => ExitCodes.NotFound,
        StatusCode.DeadlineExceeded => ExitCodes.Timeout,
        StatusCode.PermissionDenied => ExitCodes.Denied,
        StatusCode.Unauthenticated => ExitCodes.Unauthenticated,
        _ => ExitCodes.Error,
    };

    /// <summary>NotFound → NOT_FOUND: the code as the gRPC specification names it.</summary>
    public static string CodeName(StatusCode code) => code == StatusCode.OK ? "OK" :
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}
