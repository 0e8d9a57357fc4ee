using System.Security.Cryptography.X509Certificates;

namespace ControlPlane.Gateway.Security;

/// <summary>
/// TLS (section "ControlPlane:Security:Tls"): when a certificate is set, the gRPC gateway listens with
/// TLS and, in durable mode, silos talk to each other over mutual TLS. The CA is the operator's own:
/// the only root trusted for other silos and for client certificates.
/// </summary>
public sealed class TransportSecurityOptions
{
    public const string Section = "ControlPlane:Security:Tls";

    /// <summary>This silo's certificate (PEM), for the gateway and for the other silos.</summary>
    public string CertificateFile { get; set; } = "";

    /// <summary>Its private key (PEM).</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>The operator's CA certificate (PEM).</summary>
    public string CaFile { get; set; } = "";

    /// <summary>Whether certificates are checked against their CA's revocation list (off for a local CA without one).</summary>
    public bool CheckRevocation { get; set; }

    public bool Enabled => CertificateFile.Length > 0;

    public IEnumerable<string> Problems()
    {
        if (!Enabled)
        {
            if (KeyFile.Length > 0 || CaFile.Length > 0) yield return $"{Section}:CertificateFile is required with KeyFile and CaFile";
            yield break;
        }
        foreach (var (name, path) in new[] { ("CertificateFile", CertificateFile), ("KeyFile", KeyFile), ("CaFile", CaFile) })
        {
            if (path.Length == 0) yield return $"{Section}:{name} is required when TLS is on";
            else if (!File.Exists(path)) yield return $"{Section}:{name} '{path}' does not exist";
        }
    }

    public X509Certificate2 LoadCertificate()
    {
        using var pem = X509Certificate2.CreateFromPemFile(CertificateFile, KeyFile);
        // Exported and imported again: TLS on Linux needs the key attached the way PKCS#12 attaches it.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public X509Certificate2 LoadCa() => X509Certificate2.CreateFromPem(File.ReadAllText(CaFile));
}
