using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace ControlPlane.Architecture.Tests;

/// <summary>The solution's projects and what each one references: declared (its project file) and real (its built assembly).</summary>
public static class Solution
{
    public static readonly string Root = FindRoot();

    public static readonly Layer[] Layers =
    [
        new("Domain", "grains/ControlPlane.Domain", "ControlPlane.Domain"),
        new("Abstractions", "grains/ControlPlane.Grains.Abstractions", "ControlPlane.Grains.Abstractions"),
        new("Grains", "grains/ControlPlane.Grains", "ControlPlane.Grains"),
        new("Gateway", "silos/ControlPlane.Gateway", "ControlPlane.Gateway"),
        new("Silo", "silos/ControlPlane.Silo", "ControlPlane.Silo"),
        new("AgentFleet", "silos/ControlPlane.AgentFleet", "ControlPlane.AgentFleet"),
        new("Contracts", "clients/ControlPlane.Contracts", "ControlPlane.Contracts"),
        new("Cli", "clients/ControlPlane.Cli", "cpctl"),
        new("Bench", "benchmarks/ControlPlane.Bench", "ControlPlane.Bench"),
        new("Replay", "benchmarks/ControlPlane.Replay", "ControlPlane.Replay"),
        new("Faults", "benchmarks/ControlPlane.Faults", "ControlPlane.Faults"),
    ];

    /// <summary>The assemblies the built assembly refers to (what the compiler kept: only what the code uses).</summary>
    public static IReadOnlyList<string> AssemblyReferences(Layer layer)
    {
        var path = Path.Combine(Root, layer.ProjectDirectory, "bin", Configuration, "net10.0", layer.AssemblyName + ".dll");
        Assert.True(File.Exists(path), $"{path} is not built");
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        return [.. metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name))];
    }

    /// <summary>The assembly names of the projects the project file references.</summary>
    public static IReadOnlyList<string> ProjectReferences(Layer layer) =>
        [.. XDocument.Load(Path.Combine(Root, layer.ProjectFile)).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value))
            .Select(name => Layers.FirstOrDefault(l => Path.GetFileName(l.ProjectDirectory) == name)?.AssemblyName ?? name)];

    /// <summary>The package names the project file references.</summary>
    public static IReadOnlyList<string> PackageReferences(Layer layer) =>
        [.. XDocument.Load(Path.Combine(Root, layer.ProjectFile)).Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value)];

    /// <summary>Debug or Release: the configuration this test was built in, and so the others.</summary>
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ControlPlane.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ControlPlane.sln not found above " + AppContext.BaseDirectory);
    }
}
