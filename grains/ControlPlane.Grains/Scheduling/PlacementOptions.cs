namespace ControlPlane.Grains.Scheduling;

/// <summary>How placement chooses a zone when a request names none (section "ControlPlane:Placement").</summary>
public sealed class PlacementOptions
{
    public const string Section = "ControlPlane:Placement";

    public ZonePolicy ZonePolicy { get; set; } = ZonePolicy.Spread;
}

public enum ZonePolicy
{
    /// <summary>The zone with the largest share of free cores first: instances spread over zones.</summary>
    Spread,
    /// <summary>The zone with the smallest share of free cores first: zones fill one after another.</summary>
    Pack,
}
