using System.CommandLine;
using System.Security.Cryptography;
using ControlPlane.Contracts.Security;

namespace ControlPlane.Cli.Commands;

/// <summary>
/// 'cpctl token': the local stand-in for the identity provider (a local cluster, tests). Production
/// tokens come from the operator's identity provider; these need its signing key.
/// </summary>
public static class TokenCommands
{
    public static Command Create() => new("token", "Bearer tokens signed with a local key (local cluster and tests): mint, keygen")
    {
        Mint(), Keygen(),
    };

    private static Command Mint()
    {
        var key = new Option<string>("--key") { Description = "PEM private key (EC P-256) the silos trust, e.g. .local/cluster/pki/token-signing.key", Required = true };
        var subject = new Option<string>("--sub") { Description = "The principal, as registered (e.g. operator-idf-1); a service account (svc:…) is refused with a token: it presents its client certificate", Required = true };
        var location = new Option<string>("--loc") { Description = "Work location the token asserts (ISO country code, e.g. FR)", DefaultValueFactory = _ => "" };
        var mfa = new Option<bool>("--mfa") { Description = "Assert a multi-factor sign-in (amr: pwd, mfa): needed to administer" };
        var ttl = new Option<TimeSpan>("--ttl")
        {
            Description = $"Lifetime, {Durations.Examples} (default 1h)", DefaultValueFactory = _ => TimeSpan.FromHours(1), CustomParser = Durations.ParseArgument,
        };
        var issuer = new Option<string>("--issuer") { Description = "iss claim", DefaultValueFactory = _ => LocalTokens.DefaultIssuer };
        var audience = new Option<string>("--audience") { Description = "aud claim", DefaultValueFactory = _ => LocalTokens.DefaultAudience };
        var command = new Command("mint", "Print a token for a principal (only the token: export CONTROLPLANE_TOKEN=$(cpctl token mint …))")
        {
            key, subject, location, mfa, ttl, issuer, audience,
        };
        command.SetAction(async (p, ct) =>
        {
            var output = p.InvocationConfiguration.Output;
            var error = p.InvocationConfiguration.Error;
            if (p.GetValue(ttl) <= TimeSpan.Zero)
            {
                await error.WriteLineAsync("error: --ttl must be positive");
                return ExitCodes.Usage;
            }
            try
            {
                using var signing = LocalTokens.LoadKey(p.GetValue(key)!);
                await output.WriteLineAsync(LocalTokens.Mint(signing,
                    new TokenClaims(p.GetValue(subject)!, p.GetValue(location)!, p.GetValue(mfa), p.GetValue(ttl), p.GetValue(issuer)!, p.GetValue(audience)!),
                    DateTimeOffset.UtcNow));
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                await error.WriteLineAsync($"error: cannot sign with '{p.GetValue(key)}': {e.Message}");
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    private static Command Keygen()
    {
        var dir = new Option<string>("--out") { Description = "Folder for token-signing.key (private) and token-signing.pub.pem (for ControlPlane:Security:Jwt:SigningKeyFile)", Required = true };
        var command = new Command("keygen", "Create a local token-signing key pair") { dir };
        command.SetAction(async (p, ct) =>
        {
            var folder = p.GetValue(dir)!;
            var (privatePem, publicPem) = LocalTokens.CreateKeyPem();
            try
            {
                Directory.CreateDirectory(folder);
                var key = Path.Combine(folder, "token-signing.key");
                await File.WriteAllTextAsync(key, privatePem, ct);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                await File.WriteAllTextAsync(Path.Combine(folder, "token-signing.pub.pem"), publicPem, ct);
                await p.InvocationConfiguration.Output.WriteLineAsync(key);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await p.InvocationConfiguration.Error.WriteLineAsync($"error: cannot write in '{folder}': {e.Message}");
                return ExitCodes.Usage;
            }
        });
        return command;
    }
}
