using ControlPlane.Cli.Tests.Process;
using ControlPlane.IntegrationTests;

namespace ControlPlane.Cli.Tests;

/// <summary>'--dry-run' run as a user runs it: what would happen on stdout, exit 0 when it would succeed, the real error and exit code otherwise, nothing changed.</summary>
[Collection(HostCollection.Name)]
public sealed class DryRunCliTests : IDisposable
{
    private readonly UserShell _shell = new();

    public DryRunCliTests(HostFixture host) => _shell.Export("CONTROLPLANE_ENDPOINT", host.Endpoint);

    public void Dispose() => _shell.Dispose();

    private Task<ProcessResult> OkAsync(params string[] args) => _shell.OkAsync(args);

    private static string[] Create(string tenant, string name, string size, params string[] more) =>
        ["instances", "create", "--tenant", tenant, "--name", name, "--size", size, "--region", "france-centre", .. more];

    [Fact]
    public async Task A_dry_run_create_says_where_the_instance_would_go_and_creates_nothing()
    {
        await OkAsync("tenants", "create", "cli-dry", "--regions", "france-centre", "--cores", "8", "--memory-gib", "64");

        var dry = await OkAsync(Create("cli-dry", "web-2", "Standard_D4s_v5", "--dry-run"));

        Assert.Matches(@"^dry run: instance web-2 would be created in zone fr-centre-\d+ \(nothing was changed\)$", dry.Out.Trim());
        Assert.StartsWith("dry run: instances create on ", dry.Err);
        Assert.Equal("", (await OkAsync("instances", "list", "--tenant", "cli-dry", "-o", "name")).Out.Trim());
        Assert.Equal("", (await OkAsync("operations", "list", "--tenant", "cli-dry", "-o", "name")).Out.Trim());

        var json = await OkAsync(Create("cli-dry", "web-2", "Standard_D4s_v5", "--dry-run", "-o", "json"));
        var operation = System.Text.Json.JsonDocument.Parse(json.Out).RootElement;
        Assert.True(operation.GetProperty("validateOnly").GetBoolean());
        Assert.StartsWith("fr-centre-", operation.GetProperty("validatedZones")[0].GetString());
    }

    [Fact]
    public async Task A_dry_run_refused_exits_with_the_real_error_and_code()
    {
        await OkAsync("tenants", "create", "cli-dry-quota", "--regions", "france-centre", "--cores", "4", "--memory-gib", "64");

        var dry = await _shell.RunAsync(Create("cli-dry-quota", "big", "Standard_D8s_v5", "--dry-run"));
        var real = await _shell.RunAsync(Create("cli-dry-quota", "big", "Standard_D8s_v5"));

        Assert.NotEqual(0, dry.Exit);
        Assert.Equal(real.Exit, dry.Exit);
        Assert.Contains("QUOTA_EXCEEDED", dry.Err);
        Assert.Contains("QUOTA_EXCEEDED", real.Err);
        Assert.DoesNotContain("would be", dry.Out);

        var typo = await _shell.RunAsync(Create("cli-dry-quota", "small", "Standard_Z99", "--dry-run"));
        var realTypo = await _shell.RunAsync(Create("cli-dry-quota", "small", "Standard_Z99"));
        Assert.Equal((1, 1), (typo.Exit, realTypo.Exit));
        Assert.Contains("UNKNOWN_SIZE", typo.Err);
    }

    [Fact]
    public async Task A_dry_run_server_command_shows_the_state_it_would_reach_and_leaves_the_server_alone()
    {
        var list = await OkAsync("servers", "list", "--zone", "fr-sud-1", "-o", "value", "--query", "items[?instanceCount==`0` && !gpuModel].id");
        var server = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();

        var dry = await OkAsync("servers", "drain", server, "--dry-run");

        Assert.Equal($"dry run: server {server} would be drained (now active; nothing was changed)", dry.Out.Trim());
        Assert.Equal("active", (await OkAsync("servers", "get", server, "-o", "value", "--query", "lifecycle")).Out.Trim().ToLowerInvariant());

        var refused = await _shell.RunAsync("servers", "decommission", server, "--dry-run");
        Assert.NotEqual(0, refused.Exit);
        Assert.Contains("SERVER_STATE_CONFLICT", refused.Err);
    }

    [Fact]
    public async Task A_dry_run_seat_change_or_cancel_says_what_would_happen_and_the_service_stays_as_it_was()
    {
        await OkAsync("tenants", "create", "cli-dry-svc", "--regions", "france-centre", "--cores", "8", "--memory-gib", "32");
        await OkAsync("services", "order", "--tenant", "cli-dry-svc", "--name", "mail", "--offer", "office-e3", "--region", "france-centre", "--seats", "5", "--wait");
        var id = (await OkAsync("services", "get", "mail", "--tenant", "cli-dry-svc", "-o", "value", "--query", "id")).Out.Trim();

        var seats = await OkAsync("services", "set-seats", "mail", "9", "--tenant", "cli-dry-svc", "--dry-run");
        var cancel = await OkAsync("services", "cancel", "mail", "--tenant", "cli-dry-svc", "--dry-run");

        Assert.Equal($"dry run: service {id} would have 9 seats (nothing was changed)", seats.Out.Trim());
        Assert.StartsWith("dry run: services set-seats on ", seats.Err);
        Assert.Equal($"dry run: service {id} would be cancelled (nothing was changed)", cancel.Out.Trim());
        var after = (await OkAsync("services", "get", id, "-o", "value", "--query", "[seats, state]")).Out;
        Assert.Contains("5", after);
        Assert.Contains("active", after.ToLowerInvariant());

        var refused = await _shell.RunAsync("services", "set-seats", id, "0", "--dry-run");
        var real = await _shell.RunAsync("services", "set-seats", id, "0");
        Assert.Equal((real.Exit, true), (refused.Exit, refused.Exit != 0));
        Assert.Contains("seats must be 1", refused.Err);
    }

    [Fact]
    public async Task A_dry_run_protection_says_what_it_would_do_and_the_instance_stays_unprotected()
    {
        await OkAsync("tenants", "create", "cli-dry-dr", "--regions", "france-centre,france-sud", "--cores", "8", "--memory-gib", "32");
        await OkAsync(Create("cli-dry-dr", "db", "Standard_D2s_v5", "--wait"));
        var id = (await OkAsync("instances", "get", "db", "--tenant", "cli-dry-dr", "-o", "value", "--query", "id")).Out.Trim();

        var dry = await OkAsync("dr", "protect", id, "--dry-run");

        Assert.Matches($@"^dry run: instance {id} would be protected(, reserved on \S+ \(\S+\)|, without a reservation: .+)? \(nothing was changed\)$", dry.Out.Trim());
        Assert.StartsWith("dry run: dr protect on ", dry.Err);
        var instance = (await OkAsync("instances", "get", id, "-o", "json")).Out;
        Assert.Contains($"\"{id}\"", instance);
        Assert.DoesNotMatch("\"drProtected\"\\s*:\\s*true", instance);
    }

    [Fact]
    public async Task Dry_run_tenant_creation_order_and_delete_say_what_would_be_done_and_change_nothing()
    {
        string[] Tenant = ["tenants", "create", "cli-dry-three", "--regions", "france-centre", "--cores", "16", "--memory-gib", "64"];
        string[] Order = ["services", "order", "--tenant", "cli-dry-three", "--name", "civil", "--offer", "mkt-etat-civil", "--region", "france-centre"];

        var tenant = await OkAsync([.. Tenant, "--dry-run"]);

        Assert.Equal("dry run: tenant cli-dry-three would be created (nothing was changed)", tenant.Out.Trim());
        Assert.StartsWith("dry run: tenants create on ", tenant.Err);
        var missing = await _shell.RunAsync("tenants", "get", "cli-dry-three");
        Assert.True(missing.Exit != 0 && missing.Err.Contains("TENANT_NOT_FOUND"), missing.ToString());

        await OkAsync(Tenant);
        await RefusedAlikeAsync("TENANT_ALREADY_EXISTS", Tenant);
        var order = await OkAsync([.. Order, "--dry-run"]);
        Assert.Matches(@"^dry run: service civil would be ordered in zones? fr-centre-\d.* \(nothing was changed\)$", order.Out.Trim());
        Assert.StartsWith("dry run: services order on ", order.Err);
        Assert.Equal("", (await OkAsync("services", "list", "--tenant", "cli-dry-three", "-o", "name")).Out.Trim());
        await RefusedAlikeAsync("OFFER_NOT_FOUND", "services", "order", "--tenant", "cli-dry-three", "--name", "x", "--offer", "no-such-offer", "--region", "france-centre");

        await OkAsync(Create("cli-dry-three", "web", "Standard_D2s_v5", "--wait"));
        var delete = await OkAsync("instances", "delete", "web", "--tenant", "cli-dry-three", "--dry-run");
        Assert.Equal("dry run: instance web would be deleted (nothing was changed)", delete.Out.Trim());
        Assert.StartsWith("dry run: instances delete on ", delete.Err);
        Assert.Equal("running", (await OkAsync("instances", "get", "web", "--tenant", "cli-dry-three", "-o", "value", "--query", "state")).Out.Trim().ToLowerInvariant());
        await RefusedAlikeAsync("INSTANCE_NOT_FOUND", "instances", "delete", "nothing", "--tenant", "cli-dry-three");
    }

    /// <summary>The dry run and the real command refused alike: the same non-zero exit code and the reason on stderr; nothing said to be done.</summary>
    private async Task RefusedAlikeAsync(string reason, params string[] args)
    {
        var dry = await _shell.RunAsync([.. args, "--dry-run"]);
        var real = await _shell.RunAsync(args);
        Assert.True(dry.Exit != 0, dry.ToString());
        Assert.Equal(real.Exit, dry.Exit);
        Assert.Contains(reason, dry.Err);
        Assert.Contains(reason, real.Err);
        Assert.DoesNotContain("would be", dry.Out);
    }

    [Fact]
    public async Task A_dry_run_offer_move_says_the_state_it_would_reach_and_the_offer_stays_where_it_is()
    {
        // paas-redis-c1 is in qualification in france-centre (the seeded catalogue; other tests count on it staying so).
        string[] Move(string state) => ["catalog", "set-state", "paas-redis-c1", "--region", "france-centre", "--state", state, "--reason", "cli dry-run test"];
        async Task<string> StateAsync() =>
            (await OkAsync("catalog", "get", "paas-redis-c1", "-o", "value", "--query", "regions[?region=='france-centre'].state | [0]")).Out.Trim().ToLowerInvariant();

        var dry = await OkAsync([.. Move("available"), "--dry-run"]);

        Assert.Equal("dry run: offer paas-redis-c1 would be available in france-centre (nothing was changed)", dry.Out.Trim());
        Assert.StartsWith("dry run: catalog set-state on ", dry.Err);
        Assert.Equal("qualification", await StateAsync());
        await RefusedAlikeAsync("OFFER_TRANSITION_INVALID", Move("announced"));
        Assert.Equal("qualification", await StateAsync());
    }

    [Fact]
    public async Task Dry_run_registration_and_assignment_say_what_would_be_done_and_store_nothing()
    {
        async Task<string> PrincipalsAsync() => (await OkAsync("access", "principals")).Out;
        string[] Assign = ["access", "assign", "cli-dry-person", "tenant-admin", "tenant:cli-dry-access"];

        await RefusedAlikeAsync("PRINCIPAL_NOT_FOUND", Assign);
        var register = await OkAsync("access", "register", "cli-dry-person", "--kind", "person", "--dry-run");
        Assert.Equal("dry run: principal cli-dry-person would be registered (nothing was changed)", register.Out.Trim());
        Assert.DoesNotContain("cli-dry-person", await PrincipalsAsync());

        await OkAsync("access", "register", "cli-dry-person", "--kind", "person");
        await RefusedAlikeAsync("PRINCIPAL_ALREADY_EXISTS", "access", "register", "cli-dry-person", "--kind", "person", "--employer", "vendor");
        var assign = await OkAsync([.. Assign, "--dry-run"]);
        Assert.Equal("dry run: role tenant-admin@tenant:cli-dry-access of cli-dry-person would be assigned (nothing was changed)", assign.Out.Trim());
        var row = (await PrincipalsAsync()).Split('\n').Single(l => l.Contains("cli-dry-person"));
        Assert.DoesNotContain("tenant-admin", row);
    }

    [Fact]
    public async Task A_dry_run_unseal_says_the_platform_would_be_unsealed_and_it_stays_sealed()
    {
        async Task<string> PlatformAsync() => (await OkAsync("access", "whoami")).Out;
        Assert.Matches(@"platform:\s+sealed", await PlatformAsync());

        // The development identity needs no four-eyes approval; the id is still required on the command line.
        var unseal = await OkAsync("access", "unseal", "--approval-id", "apr-000000", "--dry-run");
        var seal = await OkAsync("access", "seal", "--dry-run");

        Assert.Equal("dry run: the platform would be unsealed (nothing was changed)", unseal.Out.Trim());
        Assert.StartsWith("dry run: access unseal on ", unseal.Err);
        Assert.Equal("dry run: the platform would be sealed (nothing was changed)", seal.Out.Trim());
        Assert.Matches(@"platform:\s+sealed", await PlatformAsync());
        var json = System.Text.Json.JsonDocument.Parse((await OkAsync("access", "unseal", "--approval-id", "apr-000000", "--dry-run", "-o", "json")).Out).RootElement;
        Assert.False(json.TryGetProperty("sealed", out var sealedNow) && sealedNow.GetBoolean());
    }

    [Fact]
    public async Task A_dry_run_approval_request_stores_nothing_and_a_dry_self_approval_is_refused_as_the_real_one()
    {
        await OkAsync("tenants", "create", "cli-dry-apr", "--regions", "france-centre", "--cores", "4", "--memory-gib", "16");
        string[] Request = ["approvals", "request", "export-tenant", "cli-dry-apr", "--justification", "cli dry-run test"];
        async Task<string> ListAsync() => (await OkAsync("approvals", "list")).Out;

        var dry = await OkAsync([.. Request, "--dry-run"]);

        Assert.Equal("dry run: approval of export-tenant of cli-dry-apr would be requested (nothing was changed)", dry.Out.Trim());
        Assert.StartsWith("dry run: approvals request on ", dry.Err);
        Assert.DoesNotContain("cli-dry-apr", await ListAsync());
        await RefusedAlikeAsync("TENANT_NOT_FOUND", "approvals", "request", "export-tenant", "cli-dry-nowhere", "--justification", "cli dry-run test");

        // The same principal asked: approving or rejecting it is refused, dry or not, and the request stays pending.
        var id = (await OkAsync([.. Request, "-o", "value", "--query", "id"])).Out.Trim();
        await RefusedAlikeAsync("SELF_APPROVAL", "approvals", "approve", id);
        await RefusedAlikeAsync("SELF_APPROVAL", "approvals", "reject", id);
        Assert.Equal("pending", (await OkAsync("approvals", "get", id, "-o", "value", "--query", "state")).Out.Trim().ToLowerInvariant());
    }

    [Fact]
    public async Task Dry_run_lockbox_requests_and_break_glass_store_no_grant_and_a_dry_approval_of_no_grant_is_refused_as_the_real_one()
    {
        await OkAsync("tenants", "create", "cli-dry-lbx", "--regions", "france-centre", "--cores", "4", "--memory-gib", "16");

        var dry = await OkAsync("lockbox", "request", "cli-dry-lbx", "--justification", "cli dry-run test", "--duration", "1h", "--dry-run");
        // The development identity needs no four-eyes approval; the id is still required on the command line.
        var glass = await OkAsync("lockbox", "break-glass", "cli-dry-lbx", "--approval-id", "apr-000000", "--dry-run");

        Assert.Equal("dry run: access to tenant cli-dry-lbx for 01:00:00 would be requested (nothing was changed)", dry.Out.Trim());
        Assert.StartsWith("dry run: lockbox request on ", dry.Err);
        Assert.Matches(@"^dry run: break-glass access to tenant cli-dry-lbx would be granted until \S.* \(nothing was changed\)$", glass.Out.Trim());
        Assert.DoesNotContain("lbx-cli-dry-lbx", (await OkAsync("lockbox", "list", "cli-dry-lbx")).Out);
        await RefusedAlikeAsync("GRANT_NOT_FOUND", "lockbox", "approve", "cli-dry-lbx", "lbx-cli-dry-lbx-9999");
    }
    [Fact]
    public async Task A_dry_run_topology_change_says_what_would_be_recorded_records_nothing_and_is_refused_as_the_real_one()
    {
        var latest = (await OkAsync("topology", "changes", "-o", "json")).Out;

        var add = await OkAsync("topology", "add-zone", "fr-centre-cli", "--region", "france-centre", "--datacentre", "paris-ouest", "--racks", "gp-64:1:2",
            "--actor", "ops-idf", "--dry-run");
        var retire = await OkAsync("topology", "retire-zone", "fr-centre-2", "--actor", "ops-idf", "--wait", "--dry-run");

        Assert.Matches(@"^dry run: zone fr-centre-cli would be added to region france-centre \(paris-ouest: gp-64:1:2\) as change \d+ \(nothing was changed\)$", add.Out.Trim());
        Assert.StartsWith("dry run: topology add-zone on ", add.Err);
        Assert.Matches(@"^dry run: zone fr-centre-2 of region france-centre would be retired \(cordoned, drained, removed\) as change \d+ \(nothing was changed\)$", retire.Out.Trim());
        Assert.Equal(latest, (await OkAsync("topology", "changes", "-o", "json")).Out);
        var zones = (await OkAsync("zones", "list", "--region", "france-centre", "-o", "json")).Out;
        Assert.DoesNotContain("fr-centre-cli", zones);
        Assert.DoesNotContain("retiring", zones.ToLowerInvariant());

        var dry = await _shell.RunAsync("topology", "retire-zone", "fr-sud-1", "--actor", "ops-rennes", "--dry-run");
        var real = await _shell.RunAsync("topology", "retire-zone", "fr-sud-1", "--actor", "ops-rennes");
        Assert.Equal((real.Exit, true), (dry.Exit, dry.Exit != 0));
        Assert.Contains("LAST_ZONE_OF_REGION", dry.Err);
        Assert.Contains("LAST_ZONE_OF_REGION", real.Err);
        Assert.DoesNotContain("would be", dry.Out);
    }
}
