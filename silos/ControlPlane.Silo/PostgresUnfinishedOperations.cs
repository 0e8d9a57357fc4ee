using ControlPlane.Grains.Operations;
using Npgsql;

namespace ControlPlane.Silo;

/// <summary>
/// The durable mode's <see cref="IUnfinishedOperations"/>: the table OpenOperations, which a trigger on OrleansStorage
/// keeps in the same statement as each operation's write (deploy/sql/schema.sql).
/// </summary>
public sealed class PostgresUnfinishedOperations(NpgsqlDataSource db, SiloHostOptions options) : IUnfinishedOperations
{
    private const string Listed = "SELECT OperationKey, OpenedOn FROM OpenOperations WHERE ServiceId = @service AND OpenedOn < @before";
    private const string Ordered = " ORDER BY OpenedOn, OperationKey LIMIT @limit";

    public async Task<IReadOnlyList<UnfinishedOperation>> ListAsync(
        DateTimeOffset openedBefore, UnfinishedOperation? after, int limit, CancellationToken cancellationToken)
    {
        // A row comparison, which the index on (ServiceId, OpenedOn, OperationKey) answers: the walk goes on past ties on OpenedOn
        // (the backfill opens every operation it finds at one instant).
        await using var command = db.CreateCommand(after is null ? Listed + Ordered : Listed + " AND (OpenedOn, OperationKey) > (@afterOn, @afterKey)" + Ordered);
        command.Parameters.AddWithValue("service", options.ServiceId);
        command.Parameters.AddWithValue("before", openedBefore.UtcDateTime);
        command.Parameters.AddWithValue("limit", limit);
        if (after is { } a)
        {
            command.Parameters.AddWithValue("afterOn", a.OpenedOn.UtcDateTime);
            command.Parameters.AddWithValue("afterKey", a.Key);
        }
        var listed = new List<UnfinishedOperation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            listed.Add(new UnfinishedOperation(reader.GetString(0), new DateTimeOffset(reader.GetFieldValue<DateTime>(1), TimeSpan.Zero)));
        }
        return listed;
    }
}
