namespace ControlPlane.Silo.Dashboard;

/// <summary>
/// The Orleans Dashboard on the health port (section "ControlPlane:Dashboard", docs/observability.md#cluster-view).
/// Its call profiling costs about 10 % of grain-call throughput: on by default in embedded mode (a try-out), off in durable mode.
/// </summary>
public sealed class ClusterViewOptions
{
    public const string Section = "ControlPlane:Dashboard";

    /// <summary>The route prefix on the health port.</summary>
    public const string Path = "/dashboard";

    /// <summary>The dashboard's grain-state route, which this host does not serve.</summary>
    public const string GrainStatePath = Path + "/GrainState";

    /// <summary>Null: on in embedded mode, off in durable mode.</summary>
    public bool? Enabled { get; set; }

    public bool IsEnabled(bool durable) => Enabled ?? !durable;

    /// <summary>404 with the reason: a tenant's data is read through the API, under the lockbox, never from a grain's state here.</summary>
    public static Task HideGrainStateAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return http.Response.WriteAsJsonAsync(new Dictionary<string, string>
        {
            ["reason"] = "GRAIN_STATE_NOT_SERVED",
            ["message"] = "the cluster view does not show grain state: a tenant's resources are read through the API, with a lockbox grant for an operator",
        });
    }
}
