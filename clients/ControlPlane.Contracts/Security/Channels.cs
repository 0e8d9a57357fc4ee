using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace ControlPlane.Contracts.Security;

/// <summary>
/// Channels to a control plane gateway: https trusting the operator's CA only (when given), with the
/// tooling's client certificate (when given); and call invokers presenting a bearer token.
/// </summary>
public static class Channels
{
    /// <param name="caFile">PEM of the CA the gateway's certificate must chain to; null: the machine's trusted roots.</param>
    /// <param name="clientCertificateFile">PEM client certificate (with <paramref name="clientKeyFile"/>) for mutual TLS.</param>
    public static GrpcChannel Create(string endpoint, string? caFile = null, string? clientCertificateFile = null, string? clientKeyFile = null) =>
        GrpcChannel.ForAddress(endpoint, Options(Handler(new SocketsHttpHandler(), caFile, clientCertificateFile, clientKeyFile)));

    /// <summary>
    /// Channel options for a control plane gateway or agent: reconnect attempts every 0.25 s growing to
    /// at most 2 s. gRPC's defaults (1 s growing by 1.6× up to 120 s) fail every call fast while they
    /// back off, so a gateway restarted after 10 s would be tried again only 15.8 s after it went away.
    /// </summary>
    public static GrpcChannelOptions Options(HttpMessageHandler handler) => new()
    {
        HttpHandler = handler,
        DisposeHttpClient = true,
        InitialReconnectBackoff = InitialReconnectBackoff,
        MaxReconnectBackoff = MaxReconnectBackoff,
    };

    public static readonly TimeSpan InitialReconnectBackoff = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxReconnectBackoff = TimeSpan.FromSeconds(2);

    /// <summary>Sets <paramref name="handler"/>'s TLS: trust <paramref name="caFile"/> only, present the client certificate (when given).</summary>
    public static SocketsHttpHandler Handler(SocketsHttpHandler handler, string? caFile, string? clientCertificateFile = null, string? clientKeyFile = null)
    {
        if (caFile is { Length: > 0 })
        {
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is X509Certificate2 server && ChainsTo(server, ca) && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
        }
        if (clientCertificateFile is { Length: > 0 })
        {
            using var pem = X509Certificate2.CreateFromPemFile(clientCertificateFile, clientKeyFile is { Length: > 0 } ? clientKeyFile : null);
            // Re-imported: on Linux, TLS needs the key attached the way PKCS#12 attaches it.
            handler.SslOptions.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
        }
        return handler;
    }

    /// <summary>Every call through the result carries "authorization: Bearer <paramref name="token"/>" (no token: as is).</summary>
    public static CallInvoker WithToken(this GrpcChannel channel, string? token) =>
        token is not { Length: > 0 } ? channel.CreateCallInvoker() : channel.Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        });

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
