namespace ControlPlane.Grains.Abstractions.Services;

public enum ServiceState
{
    /// <summary>Ordered: its instances are being placed and built.</summary>
    Provisioning = 1,
    /// <summary>Running and metered.</summary>
    Active = 2,
    /// <summary>Cancelled by the tenant: metering has ended, its instances are being deleted.</summary>
    Cancelling = 3,
    /// <summary>Gone: nothing runs, nothing is metered.</summary>
    Cancelled = 4,
}
