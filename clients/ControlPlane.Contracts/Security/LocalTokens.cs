using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ControlPlane.Contracts.Security;

/// <summary>
/// Mints bearer tokens with a local signing key (EC P-256, ES256), standing in for the operator's
/// identity provider on a local cluster and in tests. The claims are those the control plane reads:
/// sub (the principal), loc (work location, ISO 3166-1 alpha-2) and amr (["pwd","mfa"] with multi-factor).
/// </summary>
public static class LocalTokens
{
    public const string DefaultIssuer = "controlplane-local";
    public const string DefaultAudience = "controlplane";

    public static string Mint(ECDsa signingKey, TokenClaims claims, DateTimeOffset now)
    {
        var payload = new Dictionary<string, object>
        {
            ["sub"] = claims.Subject,
            ["amr"] = claims.Mfa ? new[] { "pwd", "mfa" } : new[] { "pwd" },
        };
        if (claims.Location.Length > 0) payload["loc"] = claims.Location;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = claims.Issuer,
            Audience = claims.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime.AddSeconds(-5),
            Expires = (now + claims.Lifetime).UtcDateTime,
            Claims = payload,
            // Not cached: the cache keys on the public key, and would keep using a disposed key object of an earlier mint.
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(signingKey), SecurityAlgorithms.EcdsaSha256)
            {
                CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false },
            },
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>Reads a PEM private key (PKCS#8 or SEC1) written by deploy/local/pki or <see cref="CreateKeyPem"/>.</summary>
    public static ECDsa LoadKey(string path)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }

    /// <summary>A new P-256 key: (private PKCS#8 PEM, public SubjectPublicKeyInfo PEM).</summary>
    public static (string PrivatePem, string PublicPem) CreateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (key.ExportPkcs8PrivateKeyPem(), key.ExportSubjectPublicKeyInfoPem());
    }
}

/// <param name="Lifetime">How long the token is valid.</param>
public sealed record TokenClaims(string Subject, string Location, bool Mfa, TimeSpan Lifetime,
    string Issuer = LocalTokens.DefaultIssuer, string Audience = LocalTokens.DefaultAudience);
