using ControlPlane.Cli.Tests.Process;
using ControlPlane.IntegrationTests;

namespace ControlPlane.Cli.Tests;

/// <summary>Names where ids are accepted, the topology verbs, "did you mean", shell completion and the exit codes of refusals and of an unreachable control plane.</summary>
[Collection(HostCollection.Name)]
public sealed class NamesAndCompletionTests : IDisposable
{
    private readonly HostFixture _host;
    private readonly UserShell _shell = new();

    public NamesAndCompletionTests(HostFixture host)
    {
        _host = host;
        _shell.Export("CONTROLPLANE_ENDPOINT", host.Endpoint);
    }

    public void Dispose() => _shell.Dispose();

    private async Task<ProcessResult> OkAsync(params string[] args)
    {
        var result = await _shell.RunAsync(args);
        Assert.True(result.Exit == 0, result.ToString());
        return result;
    }

    [Fact]
    public async Task Instances_and_services_are_found_by_name_within_their_tenant()
    {
        await OkAsync("tenants", "create", "names-acme", "--regions", "france-centre", "--cores", "16", "--memory-gib", "64");
        foreach (var name in new[] { "web-1", "web-2" })
            await OkAsync("instances", "create", "--tenant", "names-acme", "--name", name, "--size", "Standard_D2s_v5", "--region", "france-centre", "--wait");
        var ids = (await OkAsync("instances", "list", "--tenant", "names-acme", "-o", "value", "--query", "items[].[name, id]")).Out.Trim().Split('\n')
            .Select(l => l.Split('\t')).ToDictionary(p => p[0], p => p[1]);

        var byName = await OkAsync("instances", "get", "web-2", "--tenant", "names-acme", "-o", "name");
        Assert.Equal(ids["web-2"], byName.Out.Trim());
        Assert.Equal(ids["web-2"], (await OkAsync("instances", "get", ids["web-2"], "-o", "name")).Out.Trim());

        var typo = await _shell.RunAsync("instances", "get", "web-3", "--tenant", "names-acme");
        Assert.Equal(ExitCodes.NotFound, typo.Exit);
        Assert.Contains("no instance named 'web-3'", typo.Err);
        Assert.Contains("did you mean 'web-1' or 'web-2'?", typo.Err);

        var deleted = await OkAsync("instances", "delete", "web-1", "--tenant", "names-acme", "--wait", "-o", "value", "--query", "instanceId");
        Assert.Equal(ids["web-1"], deleted.Out.Trim());

        await OkAsync("services", "order", "--tenant", "names-acme", "--name", "mail", "--offer", "office-e3", "--region", "france-centre", "--seats", "5", "--wait");
        var service = await OkAsync("services", "get", "mail", "--tenant", "names-acme", "-o", "value", "--query", "offerId");
        Assert.Equal("office-e3", service.Out.Trim());
        Assert.Equal(0, (await _shell.RunAsync("services", "set-seats", "mail", "7", "--tenant", "names-acme")).Exit);
    }

    [Fact]
    public async Task Dr_protect_finds_the_instance_by_name_within_its_tenant()
    {
        await OkAsync("tenants", "create", "names-dr", "--regions", "france-centre,france-sud", "--cores", "8", "--memory-gib", "32");
        await OkAsync("instances", "create", "--tenant", "names-dr", "--name", "db", "--size", "Standard_D2s_v5", "--region", "france-centre", "--wait");
        var id = (await OkAsync("instances", "get", "db", "--tenant", "names-dr", "-o", "value", "--query", "id")).Out.Trim();

        var protect = await OkAsync("dr", "protect", "db", "--tenant", "names-dr", "-o", "json");

        var result = System.Text.Json.JsonDocument.Parse(protect.Out).RootElement;
        Assert.Equal((id, true), (result.GetProperty("instanceId").GetString(), result.GetProperty("protected").GetBoolean()));
        Assert.Equal("true", (await OkAsync("instances", "get", id, "-o", "value", "--query", "drProtected")).Out.Trim().ToLowerInvariant());
        var typo = await _shell.RunAsync("dr", "protect", "dbx", "--tenant", "names-dr");
        Assert.Equal(ExitCodes.NotFound, typo.Exit);
        Assert.Contains("did you mean 'db'?", typo.Err);
        Assert.Equal(id, (await OkAsync("dr", "protect", "db", "--tenant", "names-dr", "--off", "-o", "value", "--query", "instanceId")).Out.Trim());
        Assert.Equal("false", (await OkAsync("instances", "get", "db", "--tenant", "names-dr", "-o", "value", "--query", "drProtected")).Out.Trim().ToLowerInvariant());
    }

    [Fact]
    public async Task Regions_zones_and_sizes_have_list_and_get_verbs_and_keep_their_bare_form()
    {
        Assert.Equal((await OkAsync("regions")).Out, (await OkAsync("regions", "list")).Out);
        Assert.Equal((await OkAsync("sizes")).Out, (await OkAsync("sizes", "list")).Out);
        Assert.Equal((await OkAsync("zones", "--region", "france-sud")).Out, (await OkAsync("zones", "list", "--region", "france-sud")).Out);

        Assert.Matches(@"role:\s+production", (await OkAsync("regions", "get", "france-centre")).Out);
        Assert.Equal("france-sud", (await OkAsync("zones", "get", "fr-sud-1", "-o", "value", "--query", "region")).Out.Trim());
        Assert.Equal("2", (await OkAsync("sizes", "get", "Standard_D2s_v5", "-o", "value", "--query", "resources.cores")).Out.Trim());

        var unknown = await _shell.RunAsync("regions", "get", "france-centr");
        Assert.Equal(ExitCodes.NotFound, unknown.Exit);
        Assert.Contains("did you mean 'france-centre'?", unknown.Err);
    }

    [Fact]
    public async Task A_mistyped_size_region_or_command_gets_a_did_you_mean_from_the_known_values()
    {
        await OkAsync("tenants", "create", "names-typo", "--regions", "france-centre", "--cores", "16", "--memory-gib", "64");
        var typo = await _shell.RunAsync("instances", "create", "--tenant", "names-typo", "--name", "x", "--size", "Standard_D2s_v9", "--region", "france-centr");
        Assert.Equal(ExitCodes.Error, typo.Exit);
        Assert.Contains("UNKNOWN_SIZE", typo.Err);
        Assert.Contains("size 'Standard_D2s_v9' is unknown: did you mean 'Standard_D2s_v5'", typo.Err);
        Assert.Contains("region 'france-centr' is unknown: did you mean 'france-centre'? (see 'cpctl regions list')", typo.Err);

        var command = await _shell.RunAsync("instnces", "list");
        Assert.Equal(ExitCodes.Usage, command.Exit);
        Assert.Contains("'instnces': did you mean 'instances'?", command.Err);
    }

    [Fact]
    public async Task Completion_scripts_offer_commands_options_and_the_control_plane_s_values()
    {
        await OkAsync("tenants", "create", "names-complete", "--regions", "france-centre", "--cores", "1", "--memory-gib", "1");
        foreach (var shell in new[] { "bash", "zsh", "fish" })
            Assert.Contains("cpctl __complete", (await OkAsync("completion", shell)).Out);

        // bash, as a user's: the script sourced, cpctl on the PATH, the completion function called on the words typed.
        var bin = Directory.CreateDirectory(Path.Combine(_shell.Home, "bin")).FullName;
        var cpctl = Path.Combine(bin, "cpctl");
        await File.WriteAllTextAsync(cpctl, $"#!/bin/sh\nexec dotnet '{CpctlProcess.Dll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(cpctl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        async Task<string[]> CompleteAsync(params string[] words)
        {
            var line = string.Join(' ', words.Select(w => $"'{w}'"));
            var script = $"source <(cpctl completion bash); COMP_WORDS=(cpctl {line}); COMP_CWORD={words.Length}; _cpctl_complete; printf '%s\\n' \"${{COMPREPLY[@]}}\"";
            var result = await CpctlProcess.RunFileAsync("bash", ["-c", script], new Dictionary<string, string?>
            {
                ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"), ["HOME"] = _shell.Home, ["CONTROLPLANE_ENDPOINT"] = _host.Endpoint,
            });
            Assert.True(result.Exit == 0, result.ToString());
            return result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }

        Assert.Equal(["instances"], await CompleteAsync("inst"));
        Assert.Contains("create-zone-redundant", await CompleteAsync("instances", ""));
        Assert.Equal(["Standard_D16s_v5"], await CompleteAsync("instances", "create", "--size", "Standard_D1"));
        Assert.Equal(["france-centre", "france-sud"], await CompleteAsync("instances", "create", "--region", ""));
        // Completion gives up after 2 s (a shell must not hang on it): listing every tenant through a loaded host may take
        // longer once, so the user presses tab again.
        string[] tenants = [];
        for (var attempt = 0; attempt < 3 && !tenants.Contains("names-complete"); attempt++) tenants = await CompleteAsync("instances", "list", "--tenant", "names-");
        Assert.Contains("names-complete", tenants);
        Assert.Equal(["fr-sud-1"], await CompleteAsync("zones", "get", "fr-s"));
        Assert.Equal(["server", "zone"], await CompleteAsync("instances", "create", "--anti-affinity-scope", ""));
    }

    [Fact]
    public async Task Refusals_and_an_unreachable_control_plane_have_exit_codes_of_their_own()
    {
        await OkAsync("tenants", "create", "names-policy", "--regions", "france-centre", "--cores", "16", "--memory-gib", "64");
        var policy = await _shell.RunAsync("instances", "create", "--tenant", "names-policy", "--name", "x", "--size", "Standard_D2s_v5", "--region", "france-sud");
        Assert.Equal(ExitCodes.Denied, policy.Exit);
        Assert.Contains("REGION_NOT_ALLOWED", policy.Err);

        var port = Ports.Free();
        var refused = await _shell.RunAsync("regions", "--endpoint", $"http://127.0.0.1:{port}");
        Assert.Equal(ExitCodes.Unreachable, refused.Exit);
        Assert.Contains("connection refused", refused.Err);

        var plaintext = await _shell.RunAsync("regions", "--endpoint", _host.Endpoint.Replace("http://", "https://"));
        Assert.Equal(ExitCodes.Unreachable, plaintext.Exit);
        Assert.Contains("does not speak TLS", plaintext.Err);
        Assert.Contains($"try {_host.Endpoint}", plaintext.Err);
    }
}
