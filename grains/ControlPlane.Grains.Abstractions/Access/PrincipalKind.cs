namespace ControlPlane.Grains.Abstractions.Access;

public enum PrincipalKind
{
    /// <summary>A person, authenticated by a bearer token from the identity provider.</summary>
    Person = 1,
    /// <summary>A service account of internal tooling, authenticated by a client certificate (or a token).</summary>
    Service = 2,
    /// <summary>The development identity of the embedded mode: every role, never in a durable cluster.</summary>
    Development = 3,
    /// <summary>
    /// The platform's own work (reminders, timers, reconciliation, start-up), named by the silo code that starts it
    /// (<see cref="CallerContext.AsSystem"/>); never a credential a caller can present to the gateway.
    /// </summary>
    System = 4,
}
