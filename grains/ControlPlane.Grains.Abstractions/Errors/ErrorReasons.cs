namespace ControlPlane.Grains.Abstractions.Errors;

/// <summary>
/// Stable, machine-readable reasons carried in google.rpc.ErrorInfo.reason.
/// Never change or reuse a value: clients branch on them.
/// </summary>
public static class ErrorReasons
{
    public const string Domain = "controlplane.v1";

    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string UnknownSize = "UNKNOWN_SIZE";
    public const string UnknownRegion = "UNKNOWN_REGION";
    public const string UnknownZone = "UNKNOWN_ZONE";
    public const string ZoneNotInRegion = "ZONE_NOT_IN_REGION";
    public const string InvalidPageToken = "INVALID_PAGE_TOKEN";

    public const string TenantNotFound = "TENANT_NOT_FOUND";
    public const string InstanceNotFound = "INSTANCE_NOT_FOUND";
    public const string OperationNotFound = "OPERATION_NOT_FOUND";
    public const string ServerNotFound = "SERVER_NOT_FOUND";
    public const string ZoneNotFound = "ZONE_NOT_FOUND";
    public const string OfferNotFound = "OFFER_NOT_FOUND";
    public const string ServiceNotFound = "SERVICE_NOT_FOUND";

    public const string TenantExists = "TENANT_ALREADY_EXISTS";
    public const string InstanceNameTaken = "INSTANCE_NAME_TAKEN";
    public const string ServiceNameTaken = "SERVICE_NAME_TAKEN";
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";

    public const string RegionNotAllowed = "REGION_NOT_ALLOWED";
    public const string InstanceBusy = "INSTANCE_BUSY";
    public const string ServerNotEmpty = "SERVER_NOT_EMPTY";
    public const string ServerStateConflict = "SERVER_STATE_CONFLICT";
    /// <summary>A drain operation that ended because its server left DRAINING (uncordoned, cordoned, marked failed) before it was empty.</summary>
    public const string DrainInterrupted = "DRAIN_INTERRUPTED";
    /// <summary>A drain operation that did not empty its server within ControlPlane:Operations:DrainTimeout.</summary>
    public const string DrainTimedOut = "DRAIN_TIMED_OUT";
    public const string AgentUnreachable = "AGENT_UNREACHABLE";
    public const string OfferNotAvailable = "OFFER_NOT_AVAILABLE";
    public const string OfferTransitionInvalid = "OFFER_TRANSITION_INVALID";
    public const string InstanceOwnedByService = "INSTANCE_OWNED_BY_SERVICE";
    public const string ServiceStateConflict = "SERVICE_STATE_CONFLICT";
    public const string UnknownOperationKind = "UNKNOWN_OPERATION_KIND";
    public const string RegionFailedOver = "REGION_FAILED_OVER";
    public const string DrRegionNotAllowed = "DR_REGION_NOT_ALLOWED";
    public const string RegionOutsideEu = "REGION_OUTSIDE_EU";
    public const string RegionOutsideCountry = "REGION_OUTSIDE_COUNTRY";
    public const string ResidencyViolation = "RESIDENCY_VIOLATION";
    public const string DrStateConflict = "DR_STATE_CONFLICT";

    public const string QuotaExceeded = "QUOTA_EXCEEDED";
    public const string NoCapacity = "NO_CAPACITY";

    public const string ZoneExists = "ZONE_ALREADY_EXISTS";
    public const string UnknownSku = "UNKNOWN_SKU";
    public const string RegionNotProduction = "REGION_NOT_PRODUCTION";
    public const string ZoneRetiring = "ZONE_RETIRING";
    public const string LastZoneOfRegion = "LAST_ZONE_OF_REGION";
    public const string LastProductionRegion = "LAST_PRODUCTION_REGION";
    public const string RegionRoleUnchanged = "REGION_ROLE_UNCHANGED";

    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string CallerRequired = "CALLER_REQUIRED";
    public const string TokenInvalid = "TOKEN_INVALID";
    public const string CertificateInvalid = "CERTIFICATE_INVALID";
    public const string ServiceAccountToken = "SERVICE_ACCOUNT_TOKEN";
    public const string PrincipalNotRegistered = "PRINCIPAL_NOT_REGISTERED";
    public const string PlatformSealed = "PLATFORM_SEALED";
    public const string RoleRequired = "ROLE_REQUIRED";
    public const string MfaRequired = "MFA_REQUIRED";
    public const string AdminOutsideEu = "ADMIN_OUTSIDE_EU";
    public const string WrongOpsCentre = "WRONG_OPS_CENTRE";
    public const string LockboxGrantRequired = "LOCKBOX_GRANT_REQUIRED";
    public const string ApprovalRequired = "APPROVAL_REQUIRED";
    public const string ApprovalNotFound = "APPROVAL_NOT_FOUND";
    public const string ApprovalNotUsable = "APPROVAL_NOT_USABLE";
    public const string SelfApproval = "SELF_APPROVAL";
    public const string IncompatibleRoles = "INCOMPATIBLE_ROLES";
    public const string PrincipalExists = "PRINCIPAL_ALREADY_EXISTS";
    public const string PrincipalNotFound = "PRINCIPAL_NOT_FOUND";
    public const string GrantNotFound = "GRANT_NOT_FOUND";
    public const string GrantStateConflict = "GRANT_STATE_CONFLICT";

    public const string Unavailable = "UNAVAILABLE";

    /// <summary>The audit log could not store a record: the call is not acknowledged; retry it (with the same request_id).</summary>
    public const string AuditUnavailable = "AUDIT_UNAVAILABLE";

    /// <summary>The control plane's storage could not read or write state: nothing was acknowledged; retry (with the same request_id).</summary>
    public const string StorageUnavailable = "STORAGE_UNAVAILABLE";

    /// <summary>The request's bytes are not a valid protobuf message of the method's request type (INVALID_ARGUMENT).</summary>
    public const string MalformedRequest = "MALFORMED_REQUEST";

    /// <summary>A silo was lost or the cluster did not answer in time (UNAVAILABLE, with RetryInfo): retry with the same request_id.</summary>
    public const string ClusterUnavailable = "CLUSTER_UNAVAILABLE";

    /// <summary>A failure the gateway has no better name for (UNAVAILABLE, with RetryInfo, logged at Error): retry with the same request_id.</summary>
    public const string UnexpectedFailure = "UNEXPECTED_FAILURE";

    /// <summary>The gateway refused the call before doing any of it: too many calls in flight (UNAVAILABLE, with RetryInfo).</summary>
    public const string Overloaded = "OVERLOADED";
}
