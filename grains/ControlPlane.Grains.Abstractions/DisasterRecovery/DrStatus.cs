using System.Collections.Immutable;
using ControlPlane.Domain.DisasterRecovery;

namespace ControlPlane.Grains.Abstractions.DisasterRecovery;

/// <summary>
/// A production region's disaster-recovery protection: its mode, how many instances are protected
/// and reserved, the ones without a reservation (and why), and the last failover or failback.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.DrStatus")]
public sealed record DrStatus(
    [property: Id(0)] string Region,
    [property: Id(1)] string DrRegion,
    [property: Id(2)] DrMode Mode,
    [property: Id(3)] int Protected,
    [property: Id(4)] int Reserved,
    [property: Id(5)] ImmutableArray<DrProtection> Unreserved,
    [property: Id(6)] DrRun? LastRun);
