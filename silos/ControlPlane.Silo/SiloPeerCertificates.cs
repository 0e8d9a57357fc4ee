using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ControlPlane.Gateway.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Silo;

/// <summary>
/// Judges the certificate of every peer on the Orleans ports — other silos, inbound and outbound, and Orleans clients on the
/// gateway port — by <see cref="SiloIdentity.Check"/>, and says once per certificate why one was refused.
/// </summary>
public sealed partial class SiloPeerCertificates(OperatorCa ca, TimeProvider clock)
{
    /// <summary>How many refused certificates are remembered; past it the memory starts again (a line per peer, never unbounded).</summary>
    private const int RememberedRefusals = 1024;

    private readonly ConcurrentDictionary<string, byte> _refused = new(StringComparer.Ordinal);
    private ILogger _logger = NullLogger.Instance;

    /// <summary>The logger exists only once the host is built, after the TLS options that call <see cref="Accept"/>.</summary>
    public void UseLogger(ILogger<SiloPeerCertificates> logger) => _logger = logger;

    public bool Accept(X509Certificate2 certificate)
    {
        var check = SiloIdentity.Check(certificate, ca, clock.GetUtcNow());
        if (check.IsAccepted) return true;
        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        if (_refused.Count >= RememberedRefusals) _refused.Clear();
        if (_refused.TryAdd(thumbprint, 0)) LogRefused(_logger, certificate.Subject, certificate.Issuer, thumbprint, check.Reason);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Orleans port refused the certificate {Subject} (issuer {Issuer}, SHA-256 {Thumbprint}): {Reason}. Only silo certificates of the " +
        "operator's CA are accepted there (subjectAltName URI " + SiloIdentity.ProfileUri + ", serverAuth and clientAuth; docs/security.md). " +
        "Logged once per certificate: its next connections are refused silently.")]
    private static partial void LogRefused(ILogger logger, string subject, string issuer, string thumbprint, string reason);
}
