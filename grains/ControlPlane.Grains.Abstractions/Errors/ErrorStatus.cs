namespace ControlPlane.Grains.Abstractions.Errors;

/// <summary>The gRPC status a domain error maps to. Values equal the gRPC codes.</summary>
public enum ErrorStatus
{
    InvalidArgument = 3,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Unavailable = 14,
    Unauthenticated = 16,
}
