using System.Threading.Channels;
using Npgsql;

namespace ControlPlane.Silo;

/// <summary>
/// The durable mode's grain-state writes, sent to PostgreSQL together: the writes waiting when a connection is free
/// go as one <see cref="NpgsqlBatch"/> (one round trip, one commit) of the storage's own statement (OrleansQuery's
/// <c>WriteToStorageKey</c>, as the ADO.NET provider runs it), and each comes back with its new version, or none when its
/// version was not the stored one. A write never waits for others to come: one alone goes at once. Up to
/// <see cref="MaxBatchesInFlight"/> batches are sent at a time, each of at most <see cref="MaxWritesPerBatch"/> writes.
/// A batch is one transaction: when PostgreSQL refuses one of its writes, none is made, and each is sent again on its own,
/// so that one write's failure is its own. A batch whose connection fails fails each of its writes, as a lone write would.
/// </summary>
public sealed partial class PostgresWriteBatcher : IAsyncDisposable
{
    public const int MaxWritesPerBatch = 64;
    public const int MaxBatchesInFlight = 4;

    private readonly NpgsqlDataSource _db;
    private readonly ILogger<PostgresWriteBatcher> _logger;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _slots;
    private readonly int _batchesInFlight;
    private readonly Task _dispatching;
    private string? _statement;
    private long _batches;

    public PostgresWriteBatcher(NpgsqlDataSource db, ILogger<PostgresWriteBatcher> logger) : this(db, logger, MaxBatchesInFlight)
    {
    }

    public PostgresWriteBatcher(NpgsqlDataSource db, ILogger<PostgresWriteBatcher> logger, int batchesInFlight)
    {
        (_db, _logger, _batchesInFlight) = (db, logger, batchesInFlight);
        _slots = new SemaphoreSlim(batchesInFlight, batchesInFlight);
        _dispatching = Task.Run(DispatchAsync);
    }

    /// <summary>Batches sent so far (a write sent again on its own counts as one).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>
    /// Writes <paramref name="payload"/> as <paramref name="row"/>'s state if its stored version is
    /// <paramref name="expectedVersion"/> (null: no row yet). Returns the new version, or null if the row was not at that version.
    /// </summary>
    public Task<int?> WriteAsync(GrainRowKey row, int? expectedVersion, byte[] payload)
    {
        var write = new PendingWrite(row, expectedVersion, payload);
        if (!_queue.Writer.TryWrite(write)) write.Done.SetException(new ObjectDisposedException(nameof(PostgresWriteBatcher)));
        return write.Done.Task;
    }

    private async Task DispatchAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            await _slots.WaitAsync();
            var writes = new List<PendingWrite>();
            while (writes.Count < MaxWritesPerBatch && reader.TryRead(out var write)) writes.Add(write);
            if (writes.Count == 0)
            {
                _slots.Release();
                continue;
            }
            _ = SendThenReleaseAsync(writes);
        }
    }

    private async Task SendThenReleaseAsync(List<PendingWrite> writes)
    {
        try
        {
            await SendAsync(writes);
        }
        catch (PostgresException refused) when (writes.Count > 1 && !IsTheDatabases(refused))
        {
            LogBatchRefused(_logger, writes.Count, refused.SqlState, refused.MessageText);
            foreach (var write in writes) await SendAloneAsync(write);
        }
        catch (Exception e)
        {
            foreach (var write in writes) write.Done.TrySetException(e);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// A refusal that is the database's state, not a write's (connection exceptions, a server starting or stopping, out of
    /// resources): each write sent again alone would only meet it again.
    /// </summary>
    private static bool IsTheDatabases(PostgresException refused) => refused.SqlState[..2] is "08" or "53" or "57";

    private async Task SendAloneAsync(PendingWrite write)
    {
        try
        {
            await SendAsync([write]);
        }
        catch (Exception e)
        {
            write.Done.TrySetException(e);
        }
    }

    /// <summary>Sends <paramref name="writes"/> as one batch; each is answered only once the batch has committed.</summary>
    private async Task SendAsync(List<PendingWrite> writes)
    {
        Interlocked.Increment(ref _batches);
        var statement = _statement ??= await LoadStatementAsync();
        await using var connection = await _db.OpenConnectionAsync();
        await using var batch = connection.CreateBatch();
        foreach (var write in writes) batch.BatchCommands.Add(Command(statement, write));
        var versions = new int?[writes.Count];
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            for (var i = 0; i < writes.Count; i++)
            {
                if (await reader.ReadAsync() && !await reader.IsDBNullAsync(0)) versions[i] = reader.GetInt32(0);
                await reader.NextResultAsync();
            }
        }
        for (var i = 0; i < writes.Count; i++) writes[i].Done.TrySetResult(versions[i]);
    }

    private static NpgsqlBatchCommand Command(string statement, PendingWrite write) => new(statement)
    {
        Parameters =
        {
            new("GrainIdHash", write.Row.GrainIdHash),
            new("GrainIdN0", write.Row.GrainIdN0),
            new("GrainIdN1", write.Row.GrainIdN1),
            new("GrainTypeHash", write.Row.GrainTypeHash),
            new("GrainTypeString", write.Row.GrainTypeString),
            new("GrainIdExtensionString", (object?)write.Row.GrainIdExtensionString ?? DBNull.Value),
            new("ServiceId", write.Row.ServiceId),
            new("GrainStateVersion", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)write.ExpectedVersion ?? DBNull.Value },
            new("PayloadBinary", write.Payload),
        },
    };

    private async Task<string> LoadStatementAsync()
    {
        await using var command = _db.CreateCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey'");
        return await command.ExecuteScalarAsync() as string
            ?? throw new InvalidOperationException("OrleansQuery has no WriteToStorageKey: apply deploy/sql/schema.sql");
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _dispatching;
        for (var i = 0; i < _batchesInFlight; i++) await _slots.WaitAsync();
    }

    private sealed record PendingWrite(GrainRowKey Row, int? ExpectedVersion, byte[] Payload)
    {
        public TaskCompletionSource<int?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL refused a batch of {Writes} grain-state writes ({SqlState}: {Error}): none was made; each is sent again on its own")]
    private static partial void LogBatchRefused(ILogger logger, int writes, string sqlState, string error);
}
