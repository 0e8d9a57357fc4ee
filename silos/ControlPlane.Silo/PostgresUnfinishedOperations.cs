using ControlPlane.Grains.Operations;
using Npgsql;

namespace ControlPlane.Silo;

/// <summary>
/// The durable mode's <see cref="IUnfinishedOperations"/>: the table OpenOperations, which a trigger on OrleansStorage
/// keeps in the same statement as each operation's write (deploy/sql/schema.sql).
/// </summary>
public sealed class PostgresUnfinishedOperations(NpgsqlDataSource db, SiloHostOptions options) : IUnfinishedOperations
{
    public async Task<IReadOnlyList<string>> ListAsync(DateTimeOffset openedBefore, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT OperationKey FROM OpenOperations WHERE ServiceId = @service AND OpenedOn < @before ORDER BY OpenedOn LIMIT @limit");
        command.Parameters.AddWithValue("service", options.ServiceId);
        command.Parameters.AddWithValue("before", openedBefore.UtcDateTime);
        command.Parameters.AddWithValue("limit", limit);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) keys.Add(reader.GetString(0));
        return keys;
    }
}
