using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace ControlPlane.Gateway.Security;

/// <summary>
/// The silo profile: what a certificate must carry, besides being of the operator's CA, to be accepted on an
/// Orleans port (silo-to-silo and the Orleans client gateway, inbound and outbound). The tooling's and people's
/// certificates come from the same CA but without it, so they authenticate to the gRPC gateway and nowhere else.
/// </summary>
public static class SiloIdentity
{
    /// <summary>The subjectAltName URI only silo certificates carry; the CA sets it, never copied from a request.</summary>
    public const string ProfileUri = "urn:controlplane:silo";

    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    private const string SubjectAltNameOid = "2.5.29.17";
    private static readonly Asn1Tag UriName = new(TagClass.ContextSpecific, 6);

    /// <summary>
    /// Whether <paramref name="certificate"/> is a silo's at <paramref name="now"/>: valid then, chained to the operator's CA,
    /// not a CA itself, with both serverAuth and clientAuth (a silo is both ends of a connection) and the URI <see cref="ProfileUri"/>.
    /// </summary>
    public static SiloCertificateCheck Check(X509Certificate2 certificate, OperatorCa ca, DateTimeOffset now)
    {
        var at = now.UtcDateTime;
        if (at < certificate.NotBefore.ToUniversalTime()) return SiloCertificateCheck.Refused($"not valid before {certificate.NotBefore.ToUniversalTime():u}");
        if (at > certificate.NotAfter.ToUniversalTime()) return SiloCertificateCheck.Refused($"expired on {certificate.NotAfter.ToUniversalTime():u}");
        if (!ca.Issued(certificate, at)) return SiloCertificateCheck.Refused("not issued by the operator's CA");
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
            return SiloCertificateCheck.Refused("a CA certificate, not a silo's");
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>())
            .Select(o => o.Value).ToHashSet();
        if (!usages.Contains(ServerAuthOid) || !usages.Contains(ClientAuthOid))
            return SiloCertificateCheck.Refused("no silo profile: extended key usage lacks serverAuth or clientAuth");
        if (!UriNames(certificate).Contains(ProfileUri))
            return SiloCertificateCheck.Refused($"no silo profile: no subjectAltName URI {ProfileUri}");
        return SiloCertificateCheck.Accepted;
    }

    /// <summary>The URIs of the subjectAltName extension; none when it is absent or malformed.</summary>
    private static List<string> UriNames(X509Certificate2 certificate)
    {
        var uris = new List<string>();
        try
        {
            foreach (var extension in certificate.Extensions.Where(e => e.Oid?.Value == SubjectAltNameOid))
            {
                var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
                while (names.HasData)
                {
                    var tag = names.PeekTag();
                    if (tag.HasSameClassAndValue(UriName)) uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                    else names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            return [];
        }
        return uris;
    }
}
