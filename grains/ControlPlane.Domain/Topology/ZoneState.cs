namespace ControlPlane.Domain.Topology;

/// <summary>Where a zone is in its life: ACTIVE takes placements; RETIRING is cordoned and draining; RETIRED is gone.</summary>
public enum ZoneState
{
    Active = 1,
    Retiring = 2,
    Retired = 3,
}
