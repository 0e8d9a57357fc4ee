using ControlPlane.Contracts.V1;
using Npgsql;

namespace ControlPlane.Cluster.Tests;

/// <summary>The audit log in PostgreSQL: a row edited or deleted behind ControlPlane's back is named by verification.</summary>
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
}
