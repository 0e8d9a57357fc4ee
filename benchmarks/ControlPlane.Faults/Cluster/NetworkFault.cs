namespace ControlPlane.Faults.Cluster;

/// <summary>Network rules in force (a partition, or connections steered through delaying proxies) that healing removes.</summary>
internal interface INetworkFault : IAsyncDisposable
{
    /// <summary>Removes the rules; healing twice does nothing more.</summary>
    Task HealAsync();
}
