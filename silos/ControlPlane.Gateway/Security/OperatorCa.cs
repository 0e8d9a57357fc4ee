using System.Security.Cryptography.X509Certificates;

namespace ControlPlane.Gateway.Security;

/// <summary>Whether a certificate was issued by the operator's CA: the chain is built to that root only, never the machine's store.</summary>
public sealed class OperatorCa(X509Certificate2 root, bool checkRevocation)
{
    public X509Certificate2 Root { get; } = root;

    public bool Issued(X509Certificate2 certificate) => Issued(certificate, DateTime.UtcNow);

    /// <summary>Whether the chain holds at <paramref name="at"/> (validity periods are judged then).</summary>
    public bool Issued(X509Certificate2 certificate, DateTime at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Root);
        chain.ChainPolicy.RevocationMode = checkRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at;
        return chain.Build(certificate);
    }
}
