namespace ControlPlane.Grains.Operations;

/// <summary>
/// The operations storage holds unfinished, as their own writes left them: what <see cref="OperationRecovery"/> wakes up.
/// Kept by the storage in the same write as the operation (durable mode: a trigger of deploy/sql/schema.sql; embedded
/// mode: <see cref="InProcessUnfinishedOperations"/>), so an operation is never stored without its wake-up.
/// </summary>
public interface IUnfinishedOperations
{
    /// <summary>The keys of at most <paramref name="limit"/> operations unfinished since before <paramref name="openedBefore"/>, oldest first.</summary>
    Task<IReadOnlyList<string>> ListAsync(DateTimeOffset openedBefore, int limit, CancellationToken cancellationToken);
}
