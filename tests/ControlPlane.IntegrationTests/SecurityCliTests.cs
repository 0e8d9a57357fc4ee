using ControlPlane.Cli;

namespace ControlPlane.IntegrationTests;

/// <summary>cpctl against a host with security enforced: tokens it mints, denials it explains, four-eyes it drives.</summary>
[Collection(SecureHostCollection.Name)]
public sealed class SecurityCliTests(SecureHostFixture host)
{
    private async Task<(int Exit, string Out, string Err)> RunAsync(string? token, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CpCtl.RunAsync(args, stdout, stderr, name => name switch
        {
            GlobalOptions.EndpointVariable => host.Endpoint,
            GlobalOptions.CaCertVariable => host.CaFile,
            GlobalOptions.TokenVariable => token,
            _ => null,
        });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private async Task<string> MintAsync(string subject, params string[] extra)
    {
        var minted = await RunAsync(null, ["token", "mint", "--key", host.PrivateKeyFile, "--sub", subject, .. extra]);
        Assert.True(minted.Exit == 0, minted.Err);
        return minted.Out.Trim();
    }

    [Fact]
    public async Task Minted_tokens_identify_the_caller_and_denials_show_their_reason_and_exit_code()
    {
        var anonymous = await RunAsync(null, "regions");
        Assert.Equal(ExitCodes.Unauthenticated, anonymous.Exit);
        Assert.Contains("reason: UNAUTHENTICATED", anonymous.Err);

        var operatorToken = await MintAsync("op-idf-1", "--loc", "FR", "--mfa");
        var me = await RunAsync(operatorToken, "access", "whoami");
        Assert.True(me.Exit == 0, me.Err);
        Assert.Contains("op-idf-1", me.Out);
        Assert.Contains("operator@platform", me.Out);
        Assert.Contains("mfa:", me.Out);

        var noMfa = await RunAsync(await MintAsync("op-idf-1", "--loc", "FR"), "servers", "cordon", "fr-centre-1-r030-s01");
        Assert.Equal(ExitCodes.Denied, noMfa.Exit);
        Assert.Contains("reason: MFA_REQUIRED", noMfa.Err);

        var bad = await RunAsync("not-a-token", "regions");
        Assert.Equal((ExitCodes.Unauthenticated, true), (bad.Exit, bad.Err.Contains("reason: TOKEN_INVALID")));
    }

    [Fact]
    public async Task Four_eyes_through_cpctl_request_approve_then_act()
    {
        const string server = "fr-centre-2-r030-s02";
        var requester = await MintAsync("op-idf-1", "--loc", "FR", "--mfa");
        var approver = await MintAsync("op-idf-2", "--loc", "BE", "--mfa");
        Assert.Equal(0, (await RunAsync(requester, "servers", "cordon", server)).Exit);
        Assert.Equal(0, (await RunAsync(requester, "servers", "drain", server)).Exit);

        var refused = await RunAsync(requester, "servers", "decommission", server);
        Assert.Equal(ExitCodes.Error, refused.Exit);
        Assert.Contains("reason: APPROVAL_REQUIRED", refused.Err);

        var request = await RunAsync(requester, "approvals", "request", "decommission-server", server, "--justification", "end of life", "-o", "json");
        Assert.True(request.Exit == 0, request.Err);
        var id = System.Text.Json.JsonDocument.Parse(request.Out).RootElement.GetProperty("id").GetString()!;
        var self = await RunAsync(requester, "approvals", "approve", id);
        Assert.Equal(ExitCodes.Denied, self.Exit);
        Assert.Contains("reason: SELF_APPROVAL", self.Err);
        var approved = await RunAsync(approver, "approvals", "approve", id);
        Assert.True(approved.Exit == 0, approved.Err);
        Assert.Contains("approved", approved.Out);

        var done = await RunAsync(requester, "servers", "decommission", server, "--approval-id", id);
        Assert.True(done.Exit == 0, done.Err);
        Assert.Contains("decommissioned", done.Out, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("used", (await RunAsync(approver, "approvals", "get", id)).Out);
    }
}
