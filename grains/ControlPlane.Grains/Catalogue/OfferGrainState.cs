using ControlPlane.Grains.Abstractions.Catalogue;

namespace ControlPlane.Grains.Catalogue;

/// <summary>An offer's lifecycle: its state per region once changed (else the catalogue file's) and its append-only history.</summary>
[GenerateSerializer, Alias("cp.OfferGrainState")]
public sealed class OfferGrainState
{
    [Id(0)] public Dictionary<string, OfferState> Regions { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public List<OfferTransition> History { get; set; } = [];
}
