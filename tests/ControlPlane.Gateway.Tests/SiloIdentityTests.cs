using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ControlPlane.Gateway.Security;

namespace ControlPlane.Gateway.Tests;

/// <summary>Only silo certificates of the operator's CA pass the Orleans ports: every other certificate of that CA is refused.</summary>
public sealed class SiloIdentityTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Oid ServerAuth = new(SiloIdentity.ServerAuthOid);
    private static readonly Oid ClientAuth = new(SiloIdentity.ClientAuthOid);

    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;
    private readonly OperatorCa _operatorCa;

    public SiloIdentityTests()
    {
        _ca = NewCa("CN=ControlPlane test CA", _caKey);
        _operatorCa = new OperatorCa(_ca, checkRevocation: false);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
    }

    private static X509Certificate2 NewCa(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(Now.AddDays(-30), Now.AddDays(365));
    }

    /// <summary>A leaf of <paramref name="issuer"/>, shaped as deploy/local/pki shapes its certificates.</summary>
    private static X509Certificate2 Issue(X509Certificate2 issuer, string cn, Oid[] usages, string? uri = null, bool isCa = false,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"O=ControlPlane test, CN={cn}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        if (uri is not null) names.AddUri(new Uri(uri));
        request.CertificateExtensions.Add(names.Build());
        return request.Create(issuer, notBefore ?? Now.AddDays(-1), notAfter ?? Now.AddDays(30), RandomNumberGenerator.GetBytes(8));
    }

    private SiloCertificateCheck Check(X509Certificate2 certificate) => SiloIdentity.Check(certificate, _operatorCa, Now);

    [Fact]
    public void A_silo_certificate_of_the_operators_CA_is_accepted()
    {
        using var silo = Issue(_ca, "silo-1", [ServerAuth, ClientAuth], SiloIdentity.ProfileUri);
        Assert.Equal(SiloCertificateCheck.Accepted, Check(silo));
    }

    [Fact]
    public void The_toolings_client_certificate_is_refused()
    {
        // As deploy/local/pki issues provisioning.pem: clientAuth only, no silo URI.
        using var tooling = Issue(_ca, "provisioning", [ClientAuth]);
        var check = Check(tooling);
        Assert.False(check.IsAccepted);
        Assert.Contains("serverAuth or clientAuth", check.Reason);
    }

    [Fact]
    public void A_persons_certificate_is_refused_even_with_a_silo_uri_requested()
    {
        using var person = Issue(_ca, "alice", [ClientAuth], SiloIdentity.ProfileUri);
        Assert.False(Check(person).IsAccepted);
    }

    [Fact]
    public void Another_server_and_client_certificate_of_the_operators_CA_is_refused_without_the_silo_uri()
    {
        using var webServer = Issue(_ca, "intranet", [ServerAuth, ClientAuth], "urn:controlplane:gateway");
        var check = Check(webServer);
        Assert.False(check.IsAccepted);
        Assert.Equal($"no silo profile: no subjectAltName URI {SiloIdentity.ProfileUri}", check.Reason);
    }

    [Fact]
    public void A_silo_certificate_of_another_CA_is_refused()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherCa = NewCa("CN=ControlPlane test CA", otherKey);
        using var impostor = Issue(otherCa, "silo-1", [ServerAuth, ClientAuth], SiloIdentity.ProfileUri);
        Assert.Equal(SiloCertificateCheck.Refused("not issued by the operator's CA"), Check(impostor));
    }

    [Fact]
    public void An_expired_or_not_yet_valid_silo_certificate_is_refused()
    {
        using var expired = Issue(_ca, "silo-1", [ServerAuth, ClientAuth], SiloIdentity.ProfileUri, notBefore: Now.AddDays(-20), notAfter: Now.AddDays(-10));
        Assert.StartsWith("expired on ", Check(expired).Reason);
        using var early = Issue(_ca, "silo-1", [ServerAuth, ClientAuth], SiloIdentity.ProfileUri, notBefore: Now.AddDays(1), notAfter: Now.AddDays(30));
        Assert.StartsWith("not valid before ", Check(early).Reason);
        using var silo = Issue(_ca, "silo-1", [ServerAuth, ClientAuth], SiloIdentity.ProfileUri);
        Assert.False(SiloIdentity.Check(silo, _operatorCa, Now.AddDays(31)).IsAccepted);
    }

    [Fact]
    public void A_CA_certificate_with_the_silo_profile_is_refused()
    {
        using var intermediate = Issue(_ca, "sub CA", [ServerAuth, ClientAuth], SiloIdentity.ProfileUri, isCa: true);
        Assert.Equal(SiloCertificateCheck.Refused("a CA certificate, not a silo's"), Check(intermediate));
    }
}
