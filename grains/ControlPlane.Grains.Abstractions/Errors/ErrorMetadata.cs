namespace ControlPlane.Grains.Abstractions.Errors;

/// <summary>
/// The keys of a domain error's metadata (ErrorInfo.metadata on the wire). Clients read them, so they
/// never change. A key that echoes a request field has that field's name, and the gateway reads the
/// field by the same constant.
/// </summary>
public static class ErrorMetadata
{
    public const string TenantId = "tenant_id";
    public const string InstanceId = "instance_id";
    public const string ServiceId = "service_id";
    public const string ServerId = "server_id";
    public const string OperationId = "operation_id";
    public const string RequestId = "request_id";
    public const string ApprovalId = "approval_id";
    public const string GrantId = "grant_id";
    public const string Offer = "offer";

    public const string Region = "region";
    public const string DrRegion = "dr_region";
    public const string Zone = "zone";
    public const string ZoneFree = "zone_free";
    public const string Size = "size";
    public const string AntiAffinityGroup = "anti_affinity_group";
    public const string PlacedBeforeRefusal = "placed_before_refusal";

    public const string Name = "name";
    public const string Kind = "kind";
    public const string State = "state";
    public const string RequestedState = "requested_state";
    public const string Mode = "mode";
    public const string Lifecycle = "lifecycle";
    public const string InstanceCount = "instance_count";

    public const string Dimension = "dimension";
    public const string Usage = "usage";
    public const string Requested = "requested";
    public const string Quota = "quota";
    /// <summary>Only as the prefix of <see cref="Amount"/>'s keys: free capacity (available_cores …).</summary>
    public const string Available = "available";
    public const string AllowedRegions = "allowed_regions";
    public const string Country = "country";
    public const string DataCountry = "data_country";

    public const string Principal = "principal";
    public const string Permission = "permission";
    public const string Scope = "scope";
    public const string Role = "role";
    public const string ConflictingRole = "conflicting_role";
    public const string ConflictingScope = "conflicting_scope";
    public const string Employer = "employer";
    public const string Location = "location";
    public const string OpsCentre = "ops_centre";
    public const string Pilot = "pilot";
    public const string Method = "method";
    public const string Action = "action";
    public const string Target = "target";

    /// <summary>
    /// An amount as three machine-readable entries, beside the prose (prefix <see cref="Usage"/>, <see cref="Requested"/>,
    /// <see cref="Quota"/> or <see cref="Available"/>): <c>{prefix}_cores</c>, <c>{prefix}_memory_mib</c> and
    /// <c>{prefix}_gpus</c>, each a plain integer (e.g. requested_cores = "4").
    /// </summary>
    public static (string Key, string Value)[] Amount(string prefix, ControlPlane.Domain.Capacity.ResourceAmount amount) =>
    [
        ($"{prefix}_cores", amount.Cores.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ($"{prefix}_memory_mib", amount.MemoryMib.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ($"{prefix}_gpus", amount.Gpus.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    /// <summary>The key of one zone's refusal in a region's NO_CAPACITY error: "zone." and the zone's id.</summary>
    public static string ZoneRefusal(string zoneId) => $"zone.{zoneId}";
}
