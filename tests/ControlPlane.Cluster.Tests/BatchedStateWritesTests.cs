using System.Text;
using ControlPlane.Silo;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// The durable silos' grain-state writes sent together (<see cref="PostgresWriteBatcher"/>), against the cluster's PostgreSQL:
/// concurrent writes share round trips and keep the provider's versions and conflict rule, and a write PostgreSQL refuses
/// fails alone.
/// </summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class BatchedStateWritesTests(LocalCluster cluster)
{
    private const string Service = "batched-writes-test";
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"Value":1}""");

    [Fact]
    public async Task Concurrent_writes_share_batches_and_each_gets_the_next_version_or_a_conflict()
    {
        await using var db = NpgsqlDataSource.Create(cluster.ConnectionString);
        await using var batcher = new PostgresWriteBatcher(db, NullLogger<PostgresWriteBatcher>.Instance);
        var rows = Enumerable.Range(0, 300).Select(i => Row("note", $"k-{Guid.NewGuid():N}-{i}")).ToList();

        var created = await Task.WhenAll(rows.Select(r => batcher.WriteAsync(r, null, Payload)));
        var sentFirst = batcher.Batches;
        var updated = await Task.WhenAll(rows.Select(r => batcher.WriteAsync(r, 1, Payload)));
        var stale = await Task.WhenAll(rows.Take(20).Select(r => batcher.WriteAsync(r, 1, Payload)));
        var createdAgain = await Task.WhenAll(rows.Take(20).Select(r => batcher.WriteAsync(r, null, Payload)));

        Assert.All(created, v => Assert.Equal(1, v));
        Assert.All(updated, v => Assert.Equal(2, v));
        Assert.All(stale, v => Assert.Null(v));
        Assert.All(createdAgain, v => Assert.Null(v));
        Assert.InRange(sentFirst, 300 / PostgresWriteBatcher.MaxWritesPerBatch, 299);
        Assert.Equal(2, await VersionAsync(db, rows[0]));
    }

    [Fact]
    public async Task A_write_postgresql_refuses_fails_alone_and_the_writes_sent_with_it_are_made()
    {
        await using var db = NpgsqlDataSource.Create(cluster.ConnectionString + ";Application Name=" + Service);
        await using var batcher = new PostgresWriteBatcher(db, NullLogger<PostgresWriteBatcher>.Instance, batchesInFlight: 1);
        // An operation's row is read as JSON by the table's trigger (deploy/sql/schema.sql): this one is not JSON.
        var refused = Row("operation", $"op-refused-{Guid.NewGuid():N}");
        var others = Enumerable.Range(0, 40).Select(i => Row("note", $"k-{Guid.NewGuid():N}-{i}")).ToList();
        var blocker = Row("note", $"blocker-{Guid.NewGuid():N}");
        Assert.Equal(1, await batcher.WriteAsync(blocker, null, Payload));

        // The one batch in flight waits on a row this test holds, so that the next writes queue and go as one batch.
        await using var holder = await db.OpenConnectionAsync();
        await using var held = await holder.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT 1 FROM OrleansStorage WHERE ServiceId = $1 AND GrainIdExtensionString = $2 FOR UPDATE", holder, held))
        {
            hold.Parameters.Add(new() { Value = Service });
            hold.Parameters.Add(new() { Value = blocker.GrainIdExtensionString });
            await hold.ExecuteNonQueryAsync();
        }
        var waiting = batcher.WriteAsync(blocker, 1, Payload);
        await WaitForLockWaitAsync(db);
        var before = batcher.Batches;
        var writes = others.Take(20).Select(r => batcher.WriteAsync(r, null, Payload))
            .Append(batcher.WriteAsync(refused, null, Encoding.UTF8.GetBytes("not json")))
            .Concat(others.Skip(20).Select(r => batcher.WriteAsync(r, null, Payload))).ToList();
        await held.CommitAsync();

        Assert.Equal(2, await waiting);
        var failure = await Assert.ThrowsAsync<PostgresException>(() => writes[20]);
        Assert.Equal(PostgresErrorCodes.InvalidTextRepresentation, failure.SqlState);
        Assert.All(await Task.WhenAll(writes.Where((_, i) => i != 20)), v => Assert.Equal(1, v));
        Assert.Null(await VersionAsync(db, refused));
        Assert.Equal(1, await VersionAsync(db, others[39]));
        // The 41 writes went as one batch, refused whole, then each alone.
        Assert.Equal(1 + 41, batcher.Batches - before);
    }

    private static async Task WaitForLockWaitAsync(NpgsqlDataSource db) =>
        Assert.True(await Calls.EventuallyAsync(async () =>
        {
            await using var command = db.CreateCommand(
                $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{Service}' AND wait_event_type = 'Lock'");
            return (long)(await command.ExecuteScalarAsync())! > 0;
        }, TimeSpan.FromSeconds(30)), "the batch never waited on the held row");

    private static GrainRowKey Row(string stateName, string key) => GrainRowKey.Of(Service, stateName, GrainId.Create(GrainType.Create("test"), key));

    private static async Task<int?> VersionAsync(NpgsqlDataSource db, GrainRowKey row)
    {
        await using var command = db.CreateCommand(
            "SELECT Version FROM OrleansStorage WHERE ServiceId = $1 AND GrainTypeString = $2 AND GrainIdExtensionString = $3 AND GrainIdHash = $4");
        command.Parameters.Add(new() { Value = row.ServiceId });
        command.Parameters.Add(new() { Value = row.GrainTypeString });
        command.Parameters.Add(new() { Value = row.GrainIdExtensionString });
        command.Parameters.Add(new() { Value = row.GrainIdHash });
        return await command.ExecuteScalarAsync() as int?;
    }
}
