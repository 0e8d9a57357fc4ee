namespace ControlPlane.Architecture.Tests;

/// <summary>
/// The arrows of the layout: Contracts ← Gateway → Grains.Abstractions → Domain ← Grains ← Silo; the CLI needs only
/// Contracts; tools use Domain and Contracts. Checked on what each project declares and on what its built assembly uses.
/// </summary>
public sealed class DependencyTests
{
    private const string Abstractions = "ControlPlane.Grains.Abstractions";
    private const string Grains = "ControlPlane.Grains";
    private const string Gateway = "ControlPlane.Gateway";
    private const string Contracts = "ControlPlane.Contracts";
    private const string NoTools = "tools use the pure domain library and the API, never the grains";

    public static readonly Rule[] Rules =
    [
        new("ControlPlane.Domain", ["Orleans.*", "Microsoft.Orleans.*", "Microsoft.AspNetCore.*", "Grpc.*", "Npgsql.*", Abstractions, Grains, Gateway, Contracts],
            "the domain library is pure: no Orleans, no gRPC, no database, no other layer"),
        new(Abstractions, [Grains, Gateway, Contracts, "ControlPlane.Silo"], "grain interfaces and wire records know no implementation and no API"),
        new(Grains, [Gateway, Contracts, "ControlPlane.Silo"], "grains know no gRPC API and no host"),
        new(Gateway, [Grains, "ControlPlane.Silo"], "the gateway calls grains through their interfaces only"),
        new(Contracts, [Abstractions, Grains, Gateway, "ControlPlane.Domain"], "the API contract stands alone"),
        new("cpctl", [Abstractions, Grains, Gateway, "ControlPlane.Domain", "Orleans.*", "Microsoft.Orleans.*"], "the CLI is a client of the API only"),
        new("ControlPlane.Bench", [Grains, Abstractions, Gateway], NoTools),
        new("ControlPlane.Replay", [Grains, Abstractions, Gateway], NoTools),
        new("ControlPlane.Faults", [Grains, Abstractions, Gateway, "Orleans.*", "Microsoft.Orleans.*"], NoTools),
        new("ControlPlane.AgentFleet", [Grains, Abstractions, Gateway, "Orleans.*", "Microsoft.Orleans.*"], NoTools),
    ];

    public static TheoryData<string> LayerNames => [.. Solution.Layers.Select(l => l.Name)];

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void A_built_assembly_uses_no_forbidden_layer(string name)
    {
        var layer = Solution.Layers.Single(l => l.Name == name);
        Assert.Empty(Rules.SelectMany(r => r.Violations(layer.AssemblyName, Solution.AssemblyReferences(layer))));
    }

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void A_project_declares_no_forbidden_reference(string name)
    {
        var layer = Solution.Layers.Single(l => l.Name == name);
        var declared = Solution.ProjectReferences(layer).Concat(Solution.PackageReferences(layer));
        Assert.Empty(Rules.SelectMany(r => r.Violations(layer.AssemblyName, declared)));
    }

    [Fact]
    public void Every_project_of_the_solution_is_guarded()
    {
        var projects = File.ReadAllLines(Path.Combine(Solution.Root, "ControlPlane.sln"))
            .Where(l => l.StartsWith("Project(", StringComparison.Ordinal) && l.Contains(".csproj", StringComparison.Ordinal))
            .Select(l => l.Split('"')[5].Replace('\\', '/'))
            .Where(p => !p.StartsWith("tests/", StringComparison.Ordinal) && !p.StartsWith("deploy/", StringComparison.Ordinal))
            .Select(Path.GetDirectoryName);
        Assert.Equal(projects.Order(), Solution.Layers.Select(l => l.ProjectDirectory).Order());
    }

    [Fact]
    public void The_rules_catch_a_forbidden_reference()
    {
        Assert.NotEmpty(Rules.SelectMany(r => r.Violations(Gateway, ["System.Runtime", Grains])));
        Assert.NotEmpty(Rules.SelectMany(r => r.Violations("ControlPlane.Domain", ["Orleans.Core.Abstractions"])));
        Assert.NotEmpty(Rules.SelectMany(r => r.Violations("ControlPlane.Replay", [Grains])));
        Assert.Empty(Rules.SelectMany(r => r.Violations(Gateway, [Abstractions, "ControlPlane.Domain", Contracts])));
        Assert.NotEmpty(Rules.SelectMany(r => r.Violations("cpctl", ["Microsoft.Orleans.Sdk"])));
    }
}
