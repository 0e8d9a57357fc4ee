using System.Collections.Immutable;
using Orleans.Concurrency;

namespace ControlPlane.Grains.Abstractions.Audit;

/// <summary>
/// The platform's audit log (one grain, key <see cref="Key"/>): the only writer of the chain, so
/// records get consecutive sequence numbers and each names its predecessor's hash. There is no way
/// to edit or delete a record; retention prunes the oldest by sealing a checkpoint.
/// </summary>
public interface IAuditLogGrain : IGrainWithStringKey
{
    public const string Key = "platform";

    /// <summary>Returns once the record is stored. Interleaves, so that appends from every gateway are stored together.</summary>
    [AlwaysInterleave]
    Task<AuditRecord> AppendAsync(AuditEntry entry);

    Task<ImmutableArray<AuditRecord>> ListAsync(AuditQuery query);

    Task<AuditVerification> VerifyAsync();

    /// <summary>Removes the records older than <paramref name="before"/> behind a checkpoint; returns it.</summary>
    Task<AuditCheckpoint> PruneAsync(DateTimeOffset before);
}
