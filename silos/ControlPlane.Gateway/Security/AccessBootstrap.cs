using System.Collections.Immutable;
using System.Net;
using ControlPlane.Grains.Abstractions.Access;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Gateway.Security;

/// <summary>Registers the configured first principals and roles, once the cluster is up (idempotent on every silo's start).</summary>
public sealed partial class AccessBootstrap(SecurityOptions options, IGrainFactory grains, TimeProvider clock, IHostApplicationLifetime lifetime,
    IServer server, ILogger<AccessBootstrap> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.IsDevelopment) lifetime.ApplicationStarted.Register(ReportDevelopmentIdentity);
        if (options.AllBootstrap().Count == 0) return Task.CompletedTask;
        // After start: the silo must be running to call a grain.
        lifetime.ApplicationStarted.Register(() => _ = RunAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RunAsync()
    {
        using var system = CallerContext.AsSystem("access-bootstrap");
        var now = clock.GetUtcNow();
        var bootstrap = options.AllBootstrap();
        var principals = bootstrap.Select(p => new PrincipalRecord(p.Id, p.Kind == "service" ? PrincipalKind.Service : PrincipalKind.Person,
            p.DisplayName.Length > 0 ? p.DisplayName : p.Id, p.Employer, p.OpsCentre, now, "bootstrap")).ToImmutableArray();
        var assignments = bootstrap.SelectMany(p => p.Roles.Select(r => r.Split('@', 2))
            .Select(r => new RoleAssignment(p.Id, Caller.ParseRole(r[0])!.Value, r[1], now, "bootstrap"))).ToImmutableArray();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grains.GetGrain<IAccessControlGrain>(IAccessControlGrain.Key).BootstrapAsync(principals, assignments);
                LogBootstrapped(logger, principals.Length, assignments.Length);
                return;
            }
            catch (Exception e) when (attempt < 30 && !lifetime.ApplicationStopping.IsCancellationRequested)
            {
                LogRetry(logger, e, attempt);
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>
    /// A notice on a normal start (every port on loopback: only local accounts reach it, as intended for a try-out);
    /// a warning when a port listens beyond loopback, where anyone on the network would act as 'development'.
    /// </summary>
    private void ReportDevelopmentIdentity()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var exposed = addresses.Where(a => !IsLoopback(a)).ToList();
        if (exposed.Count == 0) LogDevelopmentIdentity(logger);
        else LogDevelopmentIdentityExposed(logger, string.Join(", ", exposed));
    }

    private static bool IsLoopback(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private const string DevelopmentIdentity =
        "Development identity: calls without credentials act as 'development', which holds every role and needs no second approver";

    [LoggerMessage(Level = LogLevel.Information, Message = DevelopmentIdentity +
        "; every port listens on loopback only. Use ControlPlane:Security:Mode=enforced with an identity provider beyond a try-out (docs/security.md).")]
    private static partial void LogDevelopmentIdentity(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEVELOPMENT IDENTITY EXPOSED: " + DevelopmentIdentity +
        ", and this silo listens beyond loopback ({Addresses}): anyone who reaches it holds every role. " +
        "Listen on 127.0.0.1 or set ControlPlane:Security:Mode=enforced with an identity provider (docs/security.md).")]
    private static partial void LogDevelopmentIdentityExposed(ILogger logger, string addresses);

    [LoggerMessage(Level = LogLevel.Information, Message = "Access bootstrap: {Principals} principal(s), {Assignments} role assignment(s) registered if missing")]
    private static partial void LogBootstrapped(ILogger logger, int principals, int assignments);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access bootstrap attempt {Attempt} failed; retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, int attempt);
}
