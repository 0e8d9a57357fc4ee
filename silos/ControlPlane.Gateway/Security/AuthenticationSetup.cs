using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace ControlPlane.Gateway.Security;

public static class AuthenticationSetup
{
    /// <summary>
    /// Bearer tokens validated by ASP.NET Core's JwtBearer handler: the identity provider's metadata
    /// (Authority) or a configured signing key, with issuer, audience and lifetime checked. The claims
    /// keep their JWT names (sub, loc, amr).
    /// </summary>
    public static Microsoft.AspNetCore.Authentication.AuthenticationBuilder AddControlPlaneAuthentication(this IServiceCollection services, SecurityOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<AccessSnapshotCache>();
        services.AddSingleton<CallerResolver>();
        services.AddHostedService<AccessBootstrap>();
        return services.AddAuthentication().AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            if (options.Jwt.Authority.Length > 0) jwt.Authority = options.Jwt.Authority;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Jwt.Issuer,
                ValidAudience = options.Jwt.Audience,
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = options.Jwt.ClockSkew,
                NameClaimType = "sub",
                IssuerSigningKey = options.Jwt.SigningKeyFile.Length > 0 ? SigningKeys.Load(options.Jwt.SigningKeyFile) : null,
            };
        });
    }
}
