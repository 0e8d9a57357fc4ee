using System.Security.Cryptography.X509Certificates;
using ControlPlane.Contracts.V1;
using ControlPlane.Domain.Audit;
using ControlPlane.Grains.Abstractions.Audit;
using Npgsql;
using Orleans.Core.Internal;
using AuditVerification = ControlPlane.Contracts.V1.AuditVerification;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// The audit log in PostgreSQL: a row edited or deleted behind ControlPlane's back is named by verification, and so are the
/// edits the database alone cannot reveal — the newest rows removed, the chain recomputed, the oldest rows removed behind a
/// forged checkpoint — against the head anchored outside it. Each test puts the table back as it found it.
/// </summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class AuditTamperTests(LocalCluster cluster)
{
    private Task<AuditVerification> VerifyAsync() =>
        Calls.RetryAsync(1, silo => cluster.Audit(silo).VerifyAuditLogAsync(new VerifyAuditLogRequest(), deadline: Calls.Deadline()).ResponseAsync);

    private async Task<int> ExecuteAsync(string sql, long sequence)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("sequence", sequence);
        return await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Editing_or_deleting_a_row_directly_in_postgresql_is_named_by_verify()
    {
        await cluster.CreateTenantAsync("audit-tamper", 8, "france-centre");
        var record = (await Calls.RetryAsync(1, silo => cluster.Audit(silo).ListAuditRecordsAsync(
            new ListAuditRecordsRequest { TenantId = "audit-tamper" }, deadline: Calls.Deadline()).ResponseAsync)).Records.Single();
        Assert.Equal(("Tenants/CreateTenant", "allowed"), (record.Action, record.Decision));
        Assert.True((await VerifyAsync()).Valid);

        Assert.Equal(1, await ExecuteAsync("UPDATE audit_log SET decision = 'denied' WHERE sequence = @sequence", record.Sequence));
        var altered = await VerifyAsync();
        Assert.Equal(1, await ExecuteAsync("UPDATE audit_log SET decision = 'allowed' WHERE sequence = @sequence", record.Sequence));
        var restored = await VerifyAsync();
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync();
            await using var copy = new NpgsqlCommand("CREATE TEMP TABLE kept AS SELECT * FROM audit_log WHERE sequence = @sequence; " +
                "DELETE FROM audit_log WHERE sequence = @sequence", connection);
            copy.Parameters.AddWithValue("sequence", record.Sequence);
            await copy.ExecuteNonQueryAsync();
            var removed = await VerifyAsync();
            await using var back = new NpgsqlCommand("INSERT INTO audit_log SELECT * FROM kept", connection);
            await back.ExecuteNonQueryAsync();
            Assert.Equal((false, record.Sequence, "missing"), (removed.Valid, removed.BrokenSequence, removed.Problem));
        }

        Assert.Equal((false, record.Sequence, "altered"), (altered.Valid, altered.BrokenSequence, altered.Problem));
        Assert.Contains(record.Sequence.ToString(), altered.Message);
        Assert.True(restored.Valid, restored.Message);
        Assert.True((await VerifyAsync()).Valid);
    }

    private async Task<long> HeadAsync()
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT coalesce(max(sequence), 0) FROM audit_log", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Records of allowed changes: a tenant each.</summary>
    private async Task ChangesAsync(string prefix, int count)
    {
        for (var i = 1; i <= count; i++) await cluster.CreateTenantAsync($"{prefix}-{i}", 1, "france-centre");
    }

    /// <summary>The log's grain goes away and comes back, reading the database again (as after idle collection or a silo's death).</summary>
    private async Task DeactivateAuditLogAsync()
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(cluster.Pki("ca.pem")));
        using var silo = OrleansPorts.Load(cluster.Pki("silo1.pem"), cluster.Pki("silo1.key"));
        await OrleansPorts.AsClientAsync(cluster.OrleansGatewayPort(1), silo, ca, TimeSpan.FromSeconds(60), async client =>
        {
            await client.GetGrain<IAuditLogGrain>(IAuditLogGrain.Key).Cast<IGrainManagementExtension>().DeactivateOnIdle();
            return true;
        });
    }

    [Fact]
    public async Task Removing_the_newest_rows_is_named_after_the_log_restarts_and_their_sequences_are_never_given_again()
    {
        await ChangesAsync("audit-trunc", 4);
        var head = await HeadAsync();
        Assert.True((await VerifyAsync()).Valid);

        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using (var cut = new NpgsqlCommand("CREATE TEMP TABLE cut AS SELECT * FROM audit_log WHERE sequence > @from; DELETE FROM audit_log WHERE sequence > @from", connection))
        {
            cut.Parameters.AddWithValue("from", head - 3);
            await cut.ExecuteNonQueryAsync();
        }
        await DeactivateAuditLogAsync();
        var truncated = await VerifyAsync();
        await ChangesAsync("audit-trunc-after", 1);
        var next = await HeadAsync();
        var stillMissing = await VerifyAsync();
        await using (var back = new NpgsqlCommand("INSERT INTO audit_log SELECT * FROM cut", connection)) await back.ExecuteNonQueryAsync();

        Assert.Equal((false, head - 2, "truncated"), (truncated.Valid, truncated.BrokenSequence, truncated.Problem));
        Assert.Contains($"names {head}", truncated.Message);
        Assert.Equal(head + 1, next);
        Assert.Equal((false, head - 2, "missing"), (stillMissing.Valid, stillMissing.BrokenSequence, stillMissing.Problem));
        var restored = await VerifyAsync();
        Assert.True(restored.Valid, restored.Message);
    }

    [Fact]
    public async Task A_row_edited_and_the_chain_recomputed_after_it_is_named_against_the_anchor()
    {
        await ChangesAsync("audit-rewrite", 3);
        var head = await HeadAsync();
        var from = head - 2;
        Assert.True((await VerifyAsync()).Valid);

        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using (var keep = new NpgsqlCommand("CREATE TEMP TABLE original AS SELECT * FROM audit_log WHERE sequence >= @from", connection))
        {
            keep.Parameters.AddWithValue("from", from);
            await keep.ExecuteNonQueryAsync();
        }
        // What a database administrator can do: change a record, then recompute every hash after it with the published algorithm.
        var rows = new List<(long Sequence, DateTimeOffset Time, string[] Fields, string Previous, string Hash)>();
        await using (var read = new NpgsqlCommand("SELECT sequence, time, principal, role, ops_centre, action, target, tenant_id, decision, reason, trace_id, previous_hash, hash " +
            "FROM audit_log WHERE sequence >= @from ORDER BY sequence", connection))
        {
            read.Parameters.AddWithValue("from", from);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt64(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero),
                    Enumerable.Range(2, 9).Select(reader.GetString).ToArray(), reader.GetString(11), reader.GetString(12)));
            }
        }
        Assert.All(rows, r => Assert.Equal(r.Hash, ChainHash.Of(r.Sequence, r.Time, r.Fields, r.Previous)));
        var previous = rows[0].Previous;
        foreach (var (sequence, time, fields, _, _) in rows)
        {
            if (sequence == from) fields[6] = "denied";
            var hash = ChainHash.Of(sequence, time, fields, previous);
            await using var write = new NpgsqlCommand("UPDATE audit_log SET decision = @decision, previous_hash = @previous, hash = @hash WHERE sequence = @sequence", connection);
            write.Parameters.AddWithValue("decision", fields[6]);
            write.Parameters.AddWithValue("previous", previous);
            write.Parameters.AddWithValue("hash", hash);
            write.Parameters.AddWithValue("sequence", sequence);
            await write.ExecuteNonQueryAsync();
            previous = hash;
        }
        await DeactivateAuditLogAsync();
        var rewritten = await VerifyAsync();
        await using (var back = new NpgsqlCommand("DELETE FROM audit_log WHERE sequence >= @from; INSERT INTO audit_log SELECT * FROM original", connection))
        {
            back.Parameters.AddWithValue("from", from);
            await back.ExecuteNonQueryAsync();
        }

        Assert.Equal((false, head, "rewritten"), (rewritten.Valid, rewritten.BrokenSequence, rewritten.Problem));
        var restored = await VerifyAsync();
        Assert.True(restored.Valid, restored.Message);
    }

    [Fact]
    public async Task The_oldest_rows_removed_behind_a_forged_checkpoint_are_named_against_the_anchor()
    {
        await ChangesAsync("audit-forge", 2);
        Assert.True((await VerifyAsync()).Valid);

        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        // The oldest records go, and a checkpoint naming the last of them is written by hand: the rest still chains from it.
        await using (var forge = new NpgsqlCommand(
            "CREATE TEMP TABLE oldest AS SELECT * FROM audit_log WHERE sequence <= (SELECT min(sequence) + 4 FROM audit_log); " +
            "CREATE TEMP TABLE checkpoint_was AS SELECT * FROM audit_checkpoint; " +
            "INSERT INTO audit_checkpoint (id, sequence, hash, time) SELECT 1, sequence, hash, time FROM audit_log WHERE sequence = (SELECT max(sequence) FROM oldest) " +
            "ON CONFLICT (id) DO UPDATE SET sequence = EXCLUDED.sequence, hash = EXCLUDED.hash, time = EXCLUDED.time; " +
            "DELETE FROM audit_log WHERE sequence <= (SELECT max(sequence) FROM oldest)", connection))
        {
            await forge.ExecuteNonQueryAsync();
        }
        await DeactivateAuditLogAsync();
        var forged = await VerifyAsync();
        await using (var back = new NpgsqlCommand(
            "DELETE FROM audit_checkpoint; INSERT INTO audit_checkpoint SELECT * FROM checkpoint_was; INSERT INTO audit_log SELECT * FROM oldest", connection))
        {
            await back.ExecuteNonQueryAsync();
        }

        Assert.Equal((false, "checkpoint"), (forged.Valid, forged.Problem));
        Assert.Contains("checkpoint", forged.Message);
        var restored = await VerifyAsync();
        Assert.True(restored.Valid, restored.Message);
    }
}
