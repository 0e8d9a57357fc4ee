using System.Runtime.CompilerServices;
using ControlPlane.Grains.Abstractions.Audit;
using ControlPlane.Grains.Audit;
using Npgsql;

namespace ControlPlane.Silo;

/// <summary>
/// The durable mode's audit store: one row per record in audit_log, the retention checkpoint in
/// audit_checkpoint (deploy/sql/schema.sql). Rows are only inserted, and deleted only behind a
/// checkpoint written in the same statement; verification catches any other change to the table.
/// </summary>
public sealed class PostgresAuditStore(NpgsqlDataSource db) : IAuditStore
{
    private const string Columns = "sequence, time, principal, role, ops_centre, action, target, tenant_id, decision, reason, trace_id, previous_hash, hash";

    /// <summary>One batch of INSERTs: PostgreSQL runs a batch as one implicit transaction, so one commit stores them all or none.</summary>
    public async Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0) return;
        await using var batch = db.CreateBatch();
        foreach (var r in records)
        {
            var command = new NpgsqlBatchCommand(
                $"INSERT INTO audit_log ({Columns}) VALUES (@sequence, @time, @principal, @role, @ops_centre, @action, @target, @tenant, @decision, @reason, @trace_id, @previous_hash, @hash)");
            var e = r.Entry;
            command.Parameters.AddWithValue("sequence", r.Sequence);
            command.Parameters.AddWithValue("time", r.Time.UtcDateTime);
            command.Parameters.AddWithValue("principal", e.Principal);
            command.Parameters.AddWithValue("role", e.Role);
            command.Parameters.AddWithValue("ops_centre", e.OpsCentre);
            command.Parameters.AddWithValue("action", e.Action);
            command.Parameters.AddWithValue("target", e.Target);
            command.Parameters.AddWithValue("tenant", e.TenantId);
            command.Parameters.AddWithValue("decision", e.Decision);
            command.Parameters.AddWithValue("reason", e.Reason);
            command.Parameters.AddWithValue("trace_id", e.TraceId);
            command.Parameters.AddWithValue("previous_hash", r.PreviousHash);
            command.Parameters.AddWithValue("hash", r.Hash);
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<AuditRecord?> LastAsync(CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM audit_log ORDER BY sequence DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand(
            $"SELECT {Columns} FROM audit_log WHERE sequence > @after " +
            "AND (@tenant = '' OR tenant_id = @tenant) AND (@principal = '' OR principal = @principal) " +
            "AND (@since::timestamptz IS NULL OR time >= @since::timestamptz) AND (@until::timestamptz IS NULL OR time < @until::timestamptz) " +
            "ORDER BY sequence LIMIT @limit");
        command.Parameters.AddWithValue("after", query.AfterSequence);
        command.Parameters.AddWithValue("tenant", query.TenantId);
        command.Parameters.AddWithValue("principal", query.Principal);
        command.Parameters.AddWithValue("since", (object?)query.Since?.UtcDateTime ?? DBNull.Value);
        command.Parameters.AddWithValue("until", (object?)query.Until?.UtcDateTime ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", query.Limit);
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) records.Add(Read(reader));
        return records;
    }

    public async IAsyncEnumerable<AuditRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM audit_log ORDER BY sequence");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) yield return Read(reader);
    }

    public async Task<AuditCheckpoint> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("SELECT sequence, hash, time FROM audit_checkpoint WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return AuditCheckpoint.Genesis;
        return new AuditCheckpoint(reader.GetInt64(0), reader.GetString(1),
            reader.IsDBNull(2) ? null : new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero));
    }

    public async Task PruneAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        // One statement: the checkpoint and the deletion behind it happen together or not at all.
        await using var command = db.CreateCommand(
            "WITH sealed AS (INSERT INTO audit_checkpoint (id, sequence, hash, time) VALUES (1, @sequence, @hash, @time) " +
            "ON CONFLICT (id) DO UPDATE SET sequence = EXCLUDED.sequence, hash = EXCLUDED.hash, time = EXCLUDED.time RETURNING sequence) " +
            "DELETE FROM audit_log WHERE sequence <= (SELECT sequence FROM sealed)");
        command.Parameters.AddWithValue("sequence", checkpoint.Sequence);
        command.Parameters.AddWithValue("hash", checkpoint.Hash);
        command.Parameters.AddWithValue("time", (object?)checkpoint.Time?.UtcDateTime ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static AuditRecord Read(NpgsqlDataReader r) => new(
        r.GetInt64(0), new DateTimeOffset(r.GetDateTime(1), TimeSpan.Zero),
        new AuditEntry(r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7),
            r.GetString(8), r.GetString(9), r.GetString(10)),
        r.GetString(11), r.GetString(12));
}
