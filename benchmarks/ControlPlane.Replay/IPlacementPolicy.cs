namespace ControlPlane.Replay;

/// <summary>A way to choose a server for each request, fed the same events as the others.</summary>
public interface IPlacementPolicy
{
    string Name { get; }

    /// <summary>The server (its position in the node list) for <paramref name="pod"/>, or -1 to reject it.</summary>
    int Choose(TracePod pod);

    /// <summary>Told after a server's holdings changed (a placement or a release).</summary>
    void Learn(int server);

    /// <summary>A line about how the policy decided, for the report's footer; empty when there is nothing to say.</summary>
    string Note => "";
}
