using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace ControlPlane.Gateway.Security;

/// <summary>Reads the key tokens are signed with from a PEM file: a public key (EC or RSA), a certificate, or a private key whose public half is used.</summary>
public static class SigningKeys
{
    public static SecurityKey Load(string path)
    {
        var pem = File.ReadAllText(path);
        if (pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            return new X509SecurityKey(X509Certificate2.CreateFromPem(pem));
        }
        try
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ECDsa.Create(ec.ExportParameters(includePrivateParameters: false)));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(pem);
            }
            catch (Exception inner) when (inner is ArgumentException or CryptographicException)
            {
                throw new InvalidOperationException($"'{path}' holds no PEM public key, private key or certificate of EC or RSA", inner);
            }
            return new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false));
        }
    }
}
