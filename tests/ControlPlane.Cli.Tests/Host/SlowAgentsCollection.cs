namespace ControlPlane.Cli.Tests.Host;

[CollectionDefinition(Name)]
public sealed class SlowAgentsCollection : ICollectionFixture<SlowAgentsHostFixture>
{
    public const string Name = "slow agents";
}
