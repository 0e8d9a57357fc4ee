using System.Text.Json;
using ControlPlane.Domain.Capacity;

namespace ControlPlane.Domain.Topology;

/// <summary>The instance sizes that can be ordered, read from a catalogue file.</summary>
public sealed class SizeCatalog
{
    private readonly Dictionary<string, InstanceSize> _sizes;

    public SizeCatalog(IEnumerable<InstanceSize> sizes)
    {
        All = [.. sizes.OrderBy(s => s.Family, StringComparer.Ordinal).ThenBy(s => s.Resources.Cores)];
        _sizes = new Dictionary<string, InstanceSize>(StringComparer.Ordinal);
        foreach (var size in All)
        {
            if (size.Resources.Cores <= 0 || size.Resources.MemoryMib <= 0 || size.Resources.Gpus < 0)
                throw new InvalidOperationException($"size '{size.Name}' needs positive cores and memory");
            if (!_sizes.TryAdd(size.Name, size)) throw new InvalidOperationException($"size '{size.Name}' is defined twice");
        }
    }

    public IReadOnlyList<InstanceSize> All { get; }

    public InstanceSize? Find(string name) => _sizes.GetValueOrDefault(name);

    public static SizeCatalog Load(string path)
    {
        try
        {
            var doc = JsonSerializer.Deserialize<SizesDocument>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
                ?? throw new InvalidOperationException("empty file");
            return new SizeCatalog(doc.Sizes.Select(s =>
                new InstanceSize(s.Name, s.Family, new ResourceAmount(s.Cores, s.MemoryGib * 1024, s.Gpus), s.GpuModel ?? "")));
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Size catalogue '{path}' cannot be read: {e.Message}", e);
        }
    }

    private sealed class SizesDocument
    {
        public List<SizeDocument> Sizes { get; set; } = [];
    }

    private sealed class SizeDocument
    {
        public string Name { get; set; } = "";
        public string Family { get; set; } = "";
        public long Cores { get; set; }
        public long MemoryGib { get; set; }
        public long Gpus { get; set; }
        public string? GpuModel { get; set; }
    }
}
