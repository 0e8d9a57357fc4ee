using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Gateway.Security;

public static class ClientCertificates
{
    /// <summary>What a service account's principal starts with: its certificate's CN follows. A bearer token never carries it.</summary>
    public const string ServicePrefix = "svc:";

    /// <summary>
    /// Client certificates of the operator's CA authenticate the tooling's service accounts: ASP.NET
    /// Core's certificate handler validates the chain against that CA only; the principal is "svc:" + the certificate's CN.
    /// </summary>
    public static AuthenticationBuilder AddControlPlaneClientCertificates(this AuthenticationBuilder builder, TransportSecurityOptions tls)
    {
        var ca = tls.LoadCa();
        builder.AddCertificate(CallerResolver.CertificateScheme, o =>
        {
            o.AllowedCertificateTypes = CertificateTypes.Chained;
            o.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
            o.CustomTrustStore = [ca];
            o.RevocationMode = tls.CheckRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
            o.ValidateCertificateUse = true;
            o.Events = new CertificateAuthenticationEvents
            {
                OnCertificateValidated = context =>
                {
                    var principal = ServicePrefix + context.ClientCertificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
                    context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
                        [new Claim("sub", principal), new Claim("cp_kind", "service")], context.Scheme.Name, "sub", null));
                    context.Success();
                    return Task.CompletedTask;
                },
            };
        });
        // Validating a chain costs more than the call it authenticates: remember each certificate's outcome for a while.
        builder.AddCertificateCache(o => (o.CacheSize, o.CacheEntryExpiration) = (1024, TimeSpan.FromMinutes(2)));
        return builder;
    }
}
