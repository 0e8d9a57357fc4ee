using System.Text.Json;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Gateway.Security;

/// <summary>
/// The API's authentication for HTTP pages that show the whole platform (the cluster view): the caller is resolved by the
/// gateway's own <see cref="CallerResolver"/> (bearer token, client certificate, development identity) and must hold
/// <see cref="Permission.ReadInfrastructure"/> on the platform, as <c>Diagnostics.ListClusterMembers</c> asks.
/// No credentials: 401; a principal without that right (a tenant admin) or not registered: 403; JSON body with the reason.
/// </summary>
public static class InfrastructureReaderGate
{
    /// <summary>Endpoint metadata: only readers of the infrastructure reach this endpoint.</summary>
    private sealed class Marker;

    private static readonly Marker Required = new();

    /// <summary>Marks the endpoints (a mapped group: every route of it); <see cref="UseInfrastructureReaderGate"/> enforces the mark.</summary>
    public static TBuilder RequireInfrastructureReader<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(Required);

    /// <summary>Place after routing (the endpoint carries the mark) and before the endpoints run.</summary>
    public static IApplicationBuilder UseInfrastructureReaderGate(this IApplicationBuilder app)
    {
        var resolver = app.ApplicationServices.GetRequiredService<CallerResolver>();
        return app.Use(async (http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<Marker>() is null)
            {
                await next(http);
                return;
            }
            DomainError? refusal;
            try
            {
                refusal = Check(await resolver.ResolveAsync(http));
            }
            catch (ControlPlaneException e)
            {
                refusal = e.Error;
            }
            if (refusal is null) await next(http);
            else await RefuseAsync(http.Response, refusal);
        });
    }

    /// <summary>Null when <paramref name="caller"/> may read the infrastructure; else why not.</summary>
    public static DomainError? Check(Caller caller)
    {
        try
        {
            AccessPolicy.Require(caller, Permission.ReadInfrastructure, Scopes.Platform);
            return null;
        }
        catch (ControlPlaneException e)
        {
            return e.Error;
        }
    }

    private static Task RefuseAsync(HttpResponse response, DomainError error)
    {
        response.StatusCode = error.Code switch
        {
            ErrorStatus.Unauthenticated => StatusCodes.Status401Unauthorized,
            ErrorStatus.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status403Forbidden,
        };
        if (error.Code == ErrorStatus.Unauthenticated) response.Headers.WWWAuthenticate = "Bearer";
        response.ContentType = "application/json";
        return response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["reason"] = error.Reason, ["message"] = error.Message, ["metadata"] = error.Metadata,
        }));
    }
}
