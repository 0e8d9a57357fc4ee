using Microsoft.IdentityModel.JsonWebTokens;

namespace ControlPlane.Cli.Tests;

/// <summary>'cpctl token' offline: the key pair it writes and the tokens it mints carry what the control plane reads.</summary>
public sealed class TokenCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cp-token-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CpCtl.RunAsync(args, stdout, stderr, _ => null);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Keygen_then_mint_gives_a_token_with_subject_location_mfa_issuer_audience_and_expiry()
    {
        var keygen = await RunAsync("token", "keygen", "--out", _dir);
        Assert.Equal(0, keygen.Exit);
        var key = Path.Combine(_dir, "token-signing.key");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.True(File.Exists(Path.Combine(_dir, "token-signing.pub.pem")));

        var minted = await RunAsync("token", "mint", "--key", key, "--sub", "operator-idf-1", "--loc", "FR", "--mfa", "--ttl", "00:10:00");
        Assert.Equal(0, minted.Exit);
        var token = new JsonWebToken(minted.Out.Trim());
        Assert.Equal("operator-idf-1", token.Subject);
        Assert.Equal("FR", token.GetClaim("loc").Value);
        Assert.Equal(["pwd", "mfa"], token.Claims.Where(c => c.Type == "amr").Select(c => c.Value));
        Assert.Equal(("controlplane-local", "controlplane"), (token.Issuer, token.Audiences.Single()));
        Assert.InRange(token.ValidTo - DateTime.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Equal("ES256", token.Alg);

        var plain = new JsonWebToken((await RunAsync("token", "mint", "--key", key, "--sub", "auditor-1")).Out.Trim());
        Assert.Equal(["pwd"], plain.Claims.Where(c => c.Type == "amr").Select(c => c.Value));
        Assert.False(plain.TryGetClaim("loc", out _));
    }

    [Fact]
    public async Task A_missing_key_or_a_bad_lifetime_is_a_usage_error()
    {
        var missing = await RunAsync("token", "mint", "--key", Path.Combine(_dir, "none.key"), "--sub", "x");
        Assert.Equal(ExitCodes.Usage, missing.Exit);
        Assert.Contains("cannot sign with", missing.Err);
        await RunAsync("token", "keygen", "--out", _dir);
        var ttl = await RunAsync("token", "mint", "--key", Path.Combine(_dir, "token-signing.key"), "--sub", "x", "--ttl", "-00:01:00");
        Assert.Equal(ExitCodes.Usage, ttl.Exit);
    }

    [Fact]
    public async Task Role_action_and_state_names_are_the_documented_words()
    {
        var badRole = await RunAsync("access", "assign", "alice", "king", "platform");
        Assert.Equal(ExitCodes.Usage, badRole.Exit);
        Assert.Contains("tenant-admin", badRole.Err);
        var badAction = await RunAsync("approvals", "request", "reboot-everything", "x", "--justification", "y");
        Assert.Equal(ExitCodes.Usage, badAction.Exit);
        Assert.Contains("decommission-server", badAction.Err);
    }
}
