namespace ControlPlane.Grains.Operations;

/// <summary>
/// The operations storage holds unfinished, as their own writes left them: what <see cref="OperationRecovery"/> wakes up.
/// Kept by the storage in the same write as the operation (durable mode: a trigger of deploy/sql/schema.sql; embedded
/// mode: <see cref="InProcessUnfinishedOperations"/>), so an operation is never stored without its wake-up.
/// </summary>
public interface IUnfinishedOperations
{
    /// <summary>
    /// At most <paramref name="limit"/> operations unfinished since before <paramref name="openedBefore"/>, ordered by
    /// when they were opened then by key; only those after <paramref name="after"/> in that order when it is given, so
    /// that a caller can walk a list longer than its limit.
    /// </summary>
    Task<IReadOnlyList<UnfinishedOperation>> ListAsync(DateTimeOffset openedBefore, UnfinishedOperation? after, int limit, CancellationToken cancellationToken);
}

/// <summary>An operation storage lists unfinished: its grain key and when it was first stored unfinished.</summary>
public readonly record struct UnfinishedOperation(string Key, DateTimeOffset OpenedOn);
