namespace ControlPlane.Grains.Audit;

/// <summary>
/// The audit chain's head as the log's grain last committed it — its sequence and hash, and the retention
/// checkpoint it chained from — kept outside the database and signed with a key the database never sees
/// (<see cref="IAuditAnchor"/>): verification compares the stored chain with it, and the next record never
/// takes a sequence it names.
/// </summary>
public sealed record AuditAnchor(long Sequence, string Hash, long CheckpointSequence, string CheckpointHash, DateTimeOffset Time);
