namespace ControlPlane.Domain.Topology;

/// <summary>Where the topology and the size catalogue are read from (section "ControlPlane:Topology").</summary>
public sealed class TopologyOptions
{
    public const string Section = "ControlPlane:Topology";

    /// <summary>Topology file; a relative path is taken from the application's folder.</summary>
    public string File { get; set; } = "topology/default.json";

    /// <summary>Instance-size catalogue file; a relative path is taken from the application's folder.</summary>
    public string SizesFile { get; set; } = "catalogue/sizes.json";

    /// <summary>Offer catalogue file (offers, prices, initial lifecycle per region); a relative path is taken from the application's folder.</summary>
    public string OffersFile { get; set; } = "catalogue/offers.json";

    public static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
}
