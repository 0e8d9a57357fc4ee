using System.Collections.Immutable;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Catalogue;

namespace ControlPlane.Grains.Catalogue;

/// <summary>
/// The offers as the catalogue file describes them: what each sells, its price and its initial
/// state per region. The offer grains seed themselves from it; their lifecycle changes live in
/// their own state. Every orderable size must have exactly one instance-size offer.
/// </summary>
public sealed class OfferCatalogue
{
    private readonly Dictionary<string, OfferInfo> _offers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _offerBySize = new(StringComparer.Ordinal);

    public OfferCatalogue(IEnumerable<OfferInfo> offers, SizeCatalog sizes)
    {
        foreach (var offer in offers)
        {
            if (!_offers.TryAdd(offer.Id, offer)) throw new InvalidOperationException($"offer '{offer.Id}' is defined twice");
            if (offer.Price.ListPrice < 0) throw new InvalidOperationException($"offer '{offer.Id}' has a negative list price");
            if (offer.Price.MarkupPercent is < 0 or > 100) throw new InvalidOperationException($"offer '{offer.Id}': markup must be 0 to 100 %");
            if (offer.Kind != OfferKind.InstanceSize)
            {
                ValidateFootprint(offer, sizes);
                continue;
            }
            if (offer.Footprint.Length > 0) throw new InvalidOperationException($"offer '{offer.Id}' sells a size: it has no footprint");
            if (sizes.Find(offer.Size) is null) throw new InvalidOperationException($"offer '{offer.Id}' sells size '{offer.Size}', which does not exist");
            if (!_offerBySize.TryAdd(offer.Size, offer.Id)) throw new InvalidOperationException($"size '{offer.Size}' has two offers");
        }
        var unsold = sizes.All.Where(s => !_offerBySize.ContainsKey(s.Name)).Select(s => s.Name).ToList();
        if (unsold.Count > 0) throw new InvalidOperationException($"sizes without an instance-size offer: {string.Join(", ", unsold)}");
        All = [.. _offers.Values.OrderBy(o => o.Kind).ThenBy(o => o.Id, StringComparer.Ordinal)];
    }

    public ImmutableArray<OfferInfo> All { get; }

    public OfferInfo? Find(string id) => _offers.GetValueOrDefault(id);

    /// <summary>The id of the offer that sells a size (every size has one).</summary>
    public string OfferForSize(string size) =>
        _offerBySize.TryGetValue(size, out var id) ? id : throw new InvalidOperationException($"size '{size}' has no offer");

    /// <summary>A service runs on at most <see cref="MaxFootprintInstances"/> instances, each on its own server.</summary>
    public const int MaxFootprintInstances = 16;

    private static void ValidateFootprint(OfferInfo offer, SizeCatalog sizes)
    {
        foreach (var part in offer.Footprint)
        {
            if (sizes.Find(part.Size) is null) throw new InvalidOperationException($"offer '{offer.Id}': footprint size '{part.Size}' does not exist");
            if (part.Count < 1) throw new InvalidOperationException($"offer '{offer.Id}': footprint count of '{part.Size}' must be at least 1");
        }
        if (offer.Footprint.Sum(p => p.Count) > MaxFootprintInstances)
        {
            throw new InvalidOperationException($"offer '{offer.Id}': a footprint holds at most {MaxFootprintInstances} instances");
        }
    }

    public static OfferCatalogue Load(string path, SizeCatalog sizes)
    {
        try
        {
            return new OfferCatalogue(OfferDocument.Read(File.ReadAllText(path)), sizes);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidOperationException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Offer catalogue '{path}' cannot be read: {e.Message}", e);
        }
    }
}
