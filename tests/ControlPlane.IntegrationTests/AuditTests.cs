using ControlPlane.Cli;
using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>The audit log as a caller and an auditor see it through the API and cpctl.</summary>
[Collection(HostCollection.Name)]
public sealed class AuditTests(HostFixture host)
{
    private Contracts.V1.Audit.AuditClient Audit => new(host.Channel);

    [Fact]
    public async Task Changes_and_denials_are_recorded_with_their_decision_reads_are_not_and_the_chain_verifies()
    {
        await host.CreateTenantAsync("audit-t", Api.Res(4, 16), "france-centre");
        var created = await host.WaitAsync(await host.CreateInstanceAsync("audit-t", "web", "Standard_D2s_v5"));
        await Api.FailsAsync(() => host.CreateInstanceAsync("audit-t", "big", "Standard_D8s_v5"), StatusCode.ResourceExhausted, "QUOTA_EXCEEDED");
        await Api.FailsAsync(() => host.CreateInstanceAsync("audit-t", "far", "Standard_D2s_v5", "france-sud"), StatusCode.PermissionDenied, "REGION_NOT_ALLOWED");
        await host.Tenants.GetTenantAsync(new GetTenantRequest { Id = "audit-t" });

        var records = (await Audit.ListAuditRecordsAsync(new ListAuditRecordsRequest { TenantId = "audit-t" })).Records;
        var verification = await Audit.VerifyAuditLogAsync(new VerifyAuditLogRequest());

        Assert.Equal(
            [("Tenants/CreateTenant", "allowed", ""), ("Provisioning/CreateInstance", "allowed", ""),
             ("Provisioning/CreateInstance", "failed", "QUOTA_EXCEEDED"), ("Provisioning/CreateInstance", "denied", "REGION_NOT_ALLOWED")],
            records.Select(r => (r.Action, r.Decision, r.Reason)));
        // The embedded mode's development identity, with every role.
        Assert.All(records, r => Assert.Equal("development", r.Principal));
        Assert.All(records, r => Assert.Contains("tooling@platform", r.Role));
        Assert.Equal("audit-t", records[0].Target);
        Assert.Equal(created.InstanceId, records[1].Target);
        Assert.True(records.Zip(records.Skip(1)).All(p => p.Second.Sequence > p.First.Sequence));
        Assert.Equal(32, records[1].TraceId.Length);
        Assert.Equal(created.TraceId, records[1].TraceId);
        Assert.True(verification.Valid, verification.Message);
        Assert.True(verification.Checked >= records.Count);
    }

    [Fact]
    public async Task Cpctl_lists_exports_and_verifies_the_audit_log()
    {
        await host.CreateTenantAsync("audit-cli", Api.Res(4, 16), "france-centre");
        await host.WaitAsync(await host.CreateInstanceAsync("audit-cli", "web", "Standard_D2s_v5"));

        var list = await RunAsync("audit", "list", "--tenant", "audit-cli");
        var export = await RunAsync("audit", "export", "--tenant", "audit-cli");
        var verify = await RunAsync("audit", "verify");
        await new Catalog.CatalogClient(host.Channel).SetOfferStateAsync(new SetOfferStateRequest
        {
            Id = "paas-kubernetes", Region = "france-centre", State = OfferState.Qualification, Actor = "qualif-team", Reason = "audit test",
        });
        var byActor = await RunAsync("audit", "list", "--principal", "development");

        Assert.True(list.Exit == 0, list.Err);
        Assert.Contains("Tenants/CreateTenant", list.Out);
        Assert.Contains("Provisioning/CreateInstance", list.Out);
        Assert.Equal(2, export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.All(export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Contains("\"hash\"", line));
        Assert.True(verify.Exit == 0, verify.Out + verify.Err);
        Assert.Contains("valid:", verify.Out);
        Assert.Contains("Catalog/SetOfferState", byActor.Out);
        Assert.Contains("paas-kubernetes", byActor.Out);
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CpCtl.RunAsync(args, stdout, stderr, name => name == GlobalOptions.EndpointVariable ? host.Endpoint : null);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
