using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// The audit log in PostgreSQL under hostile input: one request whose fields PostgreSQL cannot store
/// as they are (a NUL byte, a megabyte) neither loses the records of the changes written with it nor
/// gets an UNKNOWN answer; it is recorded escaped and bounded.
/// </summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class AuditRobustnessTests(LocalCluster cluster)
{
    private const string Operator = "operator-idf-1";

    [Fact]
    public async Task A_poisoned_request_among_real_changes_loses_no_record_and_gets_its_own_status()
    {
        // Active servers only: other tests of the cluster fail or drain some.
        var servers = (await Calls.RetryAsync(1, silo => cluster.Topology(silo, Operator).ListServersAsync(
            new ListServersRequest { Zone = "fr-centre-3", PageSize = 400 }, deadline: Calls.Deadline()).ResponseAsync)).Servers
            .Where(s => s.Lifecycle == ServerLifecycle.Active).Select(s => s.Id).Take(40).ToList();
        Assert.Equal(40, servers.Count);
        var poison = $"x\0y-{Guid.NewGuid():N}";

        var cordons = servers.Select((id, i) => new Servers.ServersClient(cluster.As(1 + i % 3, Operator))
            .CordonServerAsync(new ServerRequest { Id = id }, deadline: Calls.Deadline()).ResponseAsync).ToList();
        var anonymous = new[] { poison, new string('t', 1 << 20) }.Select(async (id, i) =>
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => new Tenants.TenantsClient(cluster.Channel(1 + i % 3))
                .GetTenantAsync(new GetTenantRequest { Id = id }, deadline: Calls.Deadline()).ResponseAsync);
            return e.StatusCode;
        }).ToList();

        var cordoned = await Task.WhenAll(cordons);
        Assert.All(await Task.WhenAll(anonymous), code => Assert.Equal(StatusCode.Unauthenticated, code));
        try
        {
            Assert.All(cordoned, s => Assert.Equal(ServerLifecycle.Cordoned, s.Lifecycle));
            var records = await RecordsAsync(Operator);
            var audited = records.Where(r => r.Action == "Servers/CordonServer" && r.Decision == "allowed").Select(r => r.Target).ToHashSet();
            Assert.DoesNotContain(servers, id => !audited.Contains(id));
            var unauthenticated = await RecordsAsync("unauthenticated");
            var poisoned = Assert.Single(unauthenticated, r => r.Target.StartsWith("x\\u0000y-", StringComparison.Ordinal) && r.Target.EndsWith(poison[3..], StringComparison.Ordinal));
            Assert.Equal(("Tenants/GetTenant", "denied", ""), (poisoned.Action, poisoned.Decision, poisoned.TenantId));
            Assert.Contains(unauthenticated, r => r.Target.StartsWith(new string('t', 256), StringComparison.Ordinal) && r.Target.Length < 300);
            var verification = await Calls.RetryAsync(1, silo => cluster.Audit(silo).VerifyAuditLogAsync(new VerifyAuditLogRequest(), deadline: Calls.Deadline()).ResponseAsync);
            Assert.True(verification.Valid, verification.Message);
        }
        finally
        {
            await Task.WhenAll(servers.Select((id, i) => new Servers.ServersClient(cluster.As(1 + i % 3, Operator))
                .UncordonServerAsync(new ServerRequest { Id = id }, deadline: Calls.Deadline()).ResponseAsync));
        }
    }

    private async Task<List<AuditRecord>> RecordsAsync(string principal)
    {
        var records = new List<AuditRecord>();
        for (var token = ""; ;)
        {
            var page = await Calls.RetryAsync(1, silo => cluster.Audit(silo).ListAuditRecordsAsync(
                new ListAuditRecordsRequest { Principal = principal, PageSize = 1000, PageToken = token }, deadline: Calls.Deadline()).ResponseAsync);
            records.AddRange(page.Records);
            if ((token = page.NextPageToken).Length == 0) return records;
        }
    }
}
