using ControlPlane.Domain.Text;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;

namespace ControlPlane.Gateway.Security;

/// <summary>Who calls: a bearer token, else a client certificate, else (development mode only) the development identity.</summary>
public sealed class CallerResolver(SecurityOptions options, AccessSnapshotCache access, IAuthenticationSchemeProvider schemes)
{
    public const string CertificateScheme = "Certificate";

    /// <summary>What the audit log and the grains see for a call without credentials in development mode.</summary>
    public static readonly Caller DevelopmentIdentity = new("development", PrincipalKind.Development, Employers.Operator, "*", "FR", true,
        [.. Enum.GetValues<Role>().Select(r => new ScopedRole(r, Scopes.Platform))], false);

    /// <exception cref="ControlPlaneException">Unauthenticated (no or bad credentials) or PermissionDenied (principal not registered).</exception>
    public async Task<Caller> ResolveAsync(HttpContext http)
    {
        var claims = await AuthenticateAsync(http);
        if (claims is null)
        {
            if (options.IsDevelopment) return DevelopmentIdentity;
            throw Unauthenticated(ErrorReasons.Unauthenticated,
                "this call needs credentials: a bearer token (authorization: Bearer <JWT>) or a client certificate of the operator's CA");
        }
        var subject = claims.FindFirst("sub")?.Value ?? "";
        var snapshot = await access.GetAsync();
        if (!snapshot.Principals.TryGetValue(subject, out var record))
        {
            throw AccessPolicy.Denied(ErrorReasons.PrincipalNotRegistered,
                $"principal '{subject}' is authenticated but not registered: a security officer registers it (RegisterPrincipal) and assigns its roles",
                (ErrorMetadata.Principal, subject));
        }
        var amr = claims.FindAll("amr").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return new Caller(subject, record.Kind, record.Employer, record.OpsCentre, claims.FindFirst("loc")?.Value ?? "",
            amr.Contains("mfa", StringComparer.Ordinal), snapshot.RolesOf(subject), snapshot.Sealed);
    }

    private async Task<System.Security.Claims.ClaimsPrincipal?> AuthenticateAsync(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                throw Unauthenticated(ErrorReasons.TokenInvalid, "the authorization header must be 'Bearer <JWT>'");
            }
            var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
            if (!result.Succeeded) throw Unauthenticated(ErrorReasons.TokenInvalid, $"the bearer token is not valid: {Describe(result.Failure)}");
            if (TokenLifetime(result.Principal) is { } lifetime && lifetime > options.Jwt.MaxLifetime)
            {
                throw Unauthenticated(ErrorReasons.TokenInvalid,
                    $"the bearer token is valid for {lifetime.TotalHours:0.#} h; at most {options.Jwt.MaxLifetime.TotalHours:0.#} h is accepted ({SecurityOptions.Section}:Jwt:MaxLifetime)");
            }
            if (result.Principal.FindFirst("sub")?.Value is { } subject && subject.StartsWith(ClientCertificates.ServicePrefix, StringComparison.Ordinal))
            {
                throw Unauthenticated(ErrorReasons.ServiceAccountToken,
                    $"'{TextBounds.Cut(subject, 200)}' is a service account: service accounts authenticate with a client certificate of the operator's CA, never with a bearer token");
            }
            return result.Principal;
        }
        if (http.Connection.ClientCertificate is not null && await schemes.GetSchemeAsync(CertificateScheme) is not null)
        {
            var result = await http.AuthenticateAsync(CertificateScheme);
            return result.Succeeded ? result.Principal
                : throw Unauthenticated(ErrorReasons.CertificateInvalid, $"the client certificate is not one of the operator's CA: {Describe(result.Failure)}");
        }
        return null;
    }

    /// <summary>Expiry minus issue time (or not-before time): how long the token was made to serve.</summary>
    private static TimeSpan? TokenLifetime(System.Security.Claims.ClaimsPrincipal principal)
    {
        static long? Seconds(System.Security.Claims.ClaimsPrincipal p, string claim) =>
            long.TryParse(p.FindFirst(claim)?.Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
        var expires = Seconds(principal, "exp");
        var issued = Seconds(principal, "iat") ?? Seconds(principal, "nbf");
        return expires is { } e && issued is { } i ? TimeSpan.FromSeconds(e - i) : null;
    }

    /// <summary>The first line of the validation failure: enough to act on (expired, wrong audience…), no stack.</summary>
    private static string Describe(Exception? failure)
    {
        var message = failure?.Message ?? "not authenticated";
        var line = message.Split('\n')[0].Trim();
        return line.Length <= 300 ? line : line[..300] + "…";
    }

    private static ControlPlaneException Unauthenticated(string reason, string message) =>
        DomainError.Of(ErrorStatus.Unauthenticated, reason, message).ToException();
}
