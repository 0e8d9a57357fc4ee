using ControlPlane.Domain.Topology;

namespace ControlPlane.Grains.Abstractions.Catalogue;

/// <summary>What an offer sells.</summary>
public enum OfferKind
{
    /// <summary>A virtual machine size (IaaS): ordered with CreateInstance.</summary>
    InstanceSize = 1,
    /// <summary>A managed platform service, e.g. PostgreSQL.</summary>
    Paas = 2,
    /// <summary>An office-suite subscription, sold per seat.</summary>
    OfficeSuite = 3,
    /// <summary>A third-party SaaS application, from the vendor's marketplace or a partner.</summary>
    Marketplace = 4,
    /// <summary>A GPU-backed AI service.</summary>
    AiService = 5,
}
