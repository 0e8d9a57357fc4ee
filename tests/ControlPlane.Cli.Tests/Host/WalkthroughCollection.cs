using ControlPlane.IntegrationTests;

namespace ControlPlane.Cli.Tests.Host;

/// <summary>A control plane of its own for the README's walkthrough, which names its tenant 'acme' and its instances as a new user would.</summary>
[CollectionDefinition(Name)]
public sealed class WalkthroughCollection : ICollectionFixture<WalkthroughHostFixture>
{
    public const string Name = "readme walkthrough";
}

/// <summary>The embedded control plane, as the end-to-end tests host it, for the walkthrough alone.</summary>
public sealed class WalkthroughHostFixture : HostFixture;
