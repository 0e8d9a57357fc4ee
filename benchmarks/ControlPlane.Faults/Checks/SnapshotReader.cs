using System.Collections.Concurrent;
using ControlPlane.Contracts.V1;
using ControlPlane.Faults.Load;
using Npgsql;

namespace ControlPlane.Faults.Checks;

/// <summary>Reads a <see cref="ClusterSnapshot"/> through the gateways, the agent fleet and the audit_log table.</summary>
public sealed class SnapshotReader(ClusterClients clients, string connectionString)
{
    private const int Parallelism = 4;

    /// <param name="openedBefore">
    /// An operation storage still lists unfinished since before this is stuck: read first, before any call of the checks activates
    /// one; null: not read.
    /// </param>
    public async Task<ClusterSnapshot> ReadAsync(IReadOnlyCollection<RequestRecord> history, IReadOnlyList<string> tenants, DateTimeOffset? openedBefore, CancellationToken cancellationToken)
    {
        var storedUnfinished = openedBefore is not { } before ? null : await QueryAsync("SELECT OperationKey FROM OpenOperations WHERE OpenedOn < @before ORDER BY OpenedOn",
            c => c.Parameters.AddWithValue("before", before.UtcDateTime), r => r.GetString(0), cancellationToken);
        var acknowledged = history.Where(r => r.Acknowledged).ToList();
        var operations = new ConcurrentDictionary<string, Operation?>();
        await ForEachAsync(acknowledged.Select(r => r.OperationId!).Distinct(), cancellationToken, async (id, i, ct) =>
            operations[id] = await Patient.FindAsync((g, d) => clients.Provisioning(g).GetOperationAsync(new GetOperationRequest { Id = id }, deadline: d, cancellationToken: ct).ResponseAsync, ct, i));

        var instances = new List<Instance>();
        foreach (var tenant in tenants) instances.AddRange(await ListInstancesAsync(tenant, cancellationToken));
        var listed = instances.Select(i => i.Id).ToHashSet();

        var serverIds = new HashSet<string>(instances.Where(i => i.State == InstanceState.Running).Select(i => i.ServerId));
        var zones = await Patient.CallAsync((g, d) => clients.Topology(g).ListZonesAsync(new ListZonesRequest(), deadline: d, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
        foreach (var zone in zones.Zones.Where(z => z.State != ZoneState.Retired))
        {
            var token = "";
            do
            {
                var page = await Patient.CallAsync((g, d) => clients.Topology(g).ListServersAsync(
                    new ListServersRequest { Zone = zone.Id, PageSize = 500, PageToken = token }, deadline: d, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
                serverIds.UnionWith(page.Servers.Where(s => s.InstanceCount > 0).Select(s => s.Id));
                token = page.NextPageToken;
            }
            while (token.Length > 0);
        }
        var servers = new ConcurrentBag<Server>();
        await ForEachAsync(serverIds.Where(s => s.Length > 0), cancellationToken, async (id, i, ct) =>
        {
            if (await Patient.FindAsync((g, d) => clients.Topology(g).GetServerAsync(new GetServerRequest { Id = id }, deadline: d, cancellationToken: ct).ResponseAsync, ct, i) is { } server)
                servers.Add(server);
        });

        var agents = new ConcurrentDictionary<string, IReadOnlySet<string>>();
        await ForEachAsync(instances.Where(i => i.State == InstanceState.Running).Select(i => i.ServerId).Distinct(), cancellationToken, async (id, _, ct) =>
        {
            var run = await Patient.CallAsync((_, d) => clients.Agents.ListInstancesAsync(new AgentListInstancesRequest { ServerId = id }, deadline: d, cancellationToken: ct).ResponseAsync, ct);
            agents[id] = run.Instances.Select(a => a.InstanceId).ToHashSet();
        });

        var lookups = new ConcurrentDictionary<string, Instance?>();
        var unlisted = acknowledged.Select(r => r.InstanceId).OfType<string>()
            .Concat(servers.SelectMany(s => s.Allocations.Select(a => a.InstanceId)))
            .Where(id => id.Length > 0 && !listed.Contains(id)).Distinct();
        await ForEachAsync(unlisted, cancellationToken, async (id, i, ct) =>
            lookups[id] = await Patient.FindAsync((g, d) => clients.Provisioning(g).GetInstanceAsync(new GetInstanceRequest { Id = id }, deadline: d, cancellationToken: ct).ResponseAsync, ct, i));

        var tenantList = new List<Tenant>();
        foreach (var tenant in tenants)
        {
            tenantList.Add(await Patient.CallAsync((g, d) => clients.Tenants(g).GetTenantAsync(new GetTenantRequest { Id = tenant }, deadline: d, cancellationToken: cancellationToken).ResponseAsync, cancellationToken));
        }

        var verification = await Patient.CallAsync((g, d) => clients.Audit(g).VerifyAuditLogAsync(new VerifyAuditLogRequest(), deadline: d, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
        var audited = await AuditedAsync([.. acknowledged.Select(r => r.InstanceId).OfType<string>().Distinct()], cancellationToken);
        return new ClusterSnapshot(operations, instances, lookups, [.. servers], agents, tenantList, audited, verification, storedUnfinished);
    }

    private async Task<List<Instance>> ListInstancesAsync(string tenant, CancellationToken cancellationToken)
    {
        var all = new List<Instance>();
        var token = "";
        do
        {
            var page = await Patient.CallAsync((g, d) => clients.Provisioning(g).ListInstancesAsync(
                new ListInstancesRequest { TenantId = tenant, PageSize = 500, PageToken = token }, deadline: d, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
            all.AddRange(page.Instances);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return all;
    }

    /// <summary>The allowed creates and deletes the audit_log table records on <paramref name="targets"/>.</summary>
    private async Task<IReadOnlySet<AuditedChange>> AuditedAsync(string[] targets, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT action, target FROM audit_log WHERE decision = 'allowed' AND action = ANY(@actions) AND target = ANY(@targets)",
            c =>
            {
                c.Parameters.AddWithValue("actions", new[] { SafetyChecks.CreateAction, SafetyChecks.DeleteAction });
                c.Parameters.AddWithValue("targets", targets);
            },
            r => new AuditedChange(r.GetString(0), r.GetString(1)), cancellationToken)).ToHashSet();

    /// <summary>One query on a connection of its own (a pooled one may have been cut by a database restart), tried three times.</summary>
    private async Task<List<T>> QueryAsync<T>(string sql, Action<NpgsqlCommand> bind, Func<NpgsqlDataReader, T> row, CancellationToken cancellationToken)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(unpooled);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand(sql, connection);
                bind(command);
                var found = new List<T>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) found.Add(row(reader));
                return found;
            }
            catch (NpgsqlException) when (attempt < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    private static Task ForEachAsync<T>(IEnumerable<T> items, CancellationToken cancellationToken, Func<T, int, CancellationToken, Task> body) =>
        Parallel.ForEachAsync(items.Select((item, i) => (item, i)), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (x, ct) => await body(x.item, x.i, ct));
}
