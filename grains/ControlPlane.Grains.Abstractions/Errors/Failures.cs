using System.Globalization;
using ControlPlane.Grains.Abstractions.Operations;

namespace ControlPlane.Grains.Abstractions.Errors;

/// <summary>The domain errors the grains raise, built in one place so that codes and reasons stay consistent.</summary>
public static class Failures
{
    public static ControlPlaneException TenantNotFound(string id) =>
        DomainError.Of(ErrorStatus.NotFound, ErrorReasons.TenantNotFound, $"tenant '{id}' does not exist", (ErrorMetadata.TenantId, id)).ToException();

    public static ControlPlaneException InstanceNotFound(string id) =>
        DomainError.Of(ErrorStatus.NotFound, ErrorReasons.InstanceNotFound, $"instance '{id}' does not exist", (ErrorMetadata.InstanceId, id)).ToException();

    public static ControlPlaneException ServerNotFound(string id) =>
        DomainError.Of(ErrorStatus.NotFound, ErrorReasons.ServerNotFound, $"server '{id}' does not exist", (ErrorMetadata.ServerId, id)).ToException();

    public static ControlPlaneException ZoneNotFound(string id) =>
        DomainError.Of(ErrorStatus.NotFound, ErrorReasons.ZoneNotFound, $"zone '{id}' does not exist", (ErrorMetadata.Zone, id)).ToException();

    public static ControlPlaneException OfferNotFound(string id) =>
        DomainError.Of(ErrorStatus.NotFound, ErrorReasons.OfferNotFound, $"offer '{id}' does not exist; see ListOffers", (ErrorMetadata.Offer, id)).ToException();

    public static ControlPlaneException ServiceNotFound(string id) =>
        DomainError.Of(ErrorStatus.NotFound, ErrorReasons.ServiceNotFound, $"service '{id}' does not exist", (ErrorMetadata.ServiceId, id)).ToException();

    public static ControlPlaneException OperationNotFound(string id) =>
        DomainError.Of(ErrorStatus.NotFound, ErrorReasons.OperationNotFound, $"operation '{id}' does not exist", (ErrorMetadata.OperationId, id)).ToException();

    public static ControlPlaneException ApprovalNotFound(string id) =>
        DomainError.Of(ErrorStatus.NotFound, ErrorReasons.ApprovalNotFound, $"approval '{id}' does not exist", (ErrorMetadata.ApprovalId, id)).ToException();

    /// <summary>No <paramref name="kind"/> (server, zone, instance or service) <paramref name="id"/> for <paramref name="scope"/> ("kind:id") to name.</summary>
    public static ControlPlaneException ScopeNotFound(string kind, string id, string scope) =>
        DomainError.Of(ErrorStatus.NotFound, kind switch
        {
            "server" => ErrorReasons.ServerNotFound,
            "zone" => ErrorReasons.ZoneNotFound,
            "instance" => ErrorReasons.InstanceNotFound,
            _ => ErrorReasons.ServiceNotFound,
        }, $"{kind} '{id}' does not exist", (ErrorMetadata.Scope, scope)).ToException();

    public static ControlPlaneException UnknownRegion(string field, string region) =>
        DomainError.BadField(ErrorReasons.UnknownRegion, field, $"region '{region}' does not exist").ToException();

    /// <summary>An operation of a kind no workflow of this version runs (stored by another version): it cannot go on, and is never run as another kind.</summary>
    public static ControlPlaneException UnknownOperationKind(string operationId, OperationKind kind)
    {
        var number = ((int)kind).ToString(CultureInfo.InvariantCulture);
        return DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.UnknownOperationKind,
            $"operation '{operationId}' is of kind {number}, which no workflow of this control plane runs",
            (ErrorMetadata.OperationId, operationId), (ErrorMetadata.Kind, number)).ToException();
    }

    public static ControlPlaneException AuditUnavailable(string action) =>
        DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.AuditUnavailable,
            $"the audit log could not store the record of {action}; retry the call (with the same request_id)", (ErrorMetadata.Action, action)).ToException();

    /// <summary>The grain storage failed to <paramref name="action"/> (read, write, clear) a state: a cluster fault, never the caller's nor an agent's.</summary>
    public static ControlPlaneException StorageUnavailable(string action, string stateName) =>
        DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.StorageUnavailable,
            $"the control plane's storage could not {action} state '{stateName}': the call was not acknowledged; retry it (with the same request_id)",
            (ErrorMetadata.Action, action)).ToException();
}
