using ControlPlane.Cli.Tests.Process;
using ControlPlane.IntegrationTests;

namespace ControlPlane.Cli.Tests;

/// <summary>Contexts holding a CA, a token file or a client certificate: a command given only --context reaches the TLS control plane as that caller.</summary>
[Collection(SecureHostCollection.Name)]
public sealed class ContextCredentialsTests(SecureHostFixture host) : IDisposable
{
    private readonly UserShell _shell = new();

    public void Dispose() => _shell.Dispose();

    private string TokenFile(string name, string token)
    {
        var path = Path.Combine(_shell.Home, name);
        File.WriteAllText(path, token + "\n");
        return path;
    }

    [Fact]
    public async Task A_context_with_a_ca_and_a_token_file_or_a_client_certificate_is_enough_to_call_as_its_principal()
    {
        await _shell.OkAsync("config", "set-context", "person", "--endpoint", host.Endpoint, "--ca", host.CaFile,
            "--token-file", TokenFile("op.token", host.Token("op-idf-1")));
        var (certificate, key) = host.ServiceCertificate("tooling");
        await _shell.OkAsync("config", "set-context", "tooling", "--endpoint", host.Endpoint, "--ca", host.CaFile, "--client-cert", certificate, "--client-key", key);
        var config = await File.ReadAllTextAsync(_shell.ConfigPath);
        Assert.Contains(host.CaFile, config);
        Assert.Contains(certificate, config);

        var person = await _shell.OkAsync("--context", "person", "access", "whoami");
        var service = await _shell.OkAsync("--context", "tooling", "access", "whoami");

        Assert.Contains("op-idf-1", person.Out);
        Assert.Contains("operator@platform", person.Out);
        Assert.Contains("svc:tooling", service.Out);
        Assert.Contains("tooling@platform", service.Out);
        Assert.Contains("france-centre", (await _shell.OkAsync("--context", "person", "regions", "list")).Out);
    }

    [Fact]
    public async Task A_context_whose_token_file_holds_a_wrong_token_fails_unauthenticated_and_one_without_its_ca_cannot_reach_the_host()
    {
        await _shell.OkAsync("config", "set-context", "wrong", "--endpoint", host.Endpoint, "--ca", host.CaFile, "--token-file", TokenFile("wrong.token", "not-a-token"));
        await _shell.OkAsync("config", "set-context", "no-ca", "--endpoint", host.Endpoint, "--token-file", TokenFile("op.token", host.Token("op-idf-1")));

        var wrong = await _shell.RunAsync("--context", "wrong", "regions", "list");
        var noCa = await _shell.RunAsync("--context", "no-ca", "regions", "list");

        Assert.True(wrong.Exit == ExitCodes.Unauthenticated, wrong.ToString());
        Assert.Contains("reason: TOKEN_INVALID", wrong.Err);
        Assert.True(noCa.Exit == ExitCodes.Unreachable, noCa.ToString());
        Assert.Contains("TLS_HANDSHAKE_FAILED", noCa.Err);
    }
}
