using System.Reflection;

namespace ControlPlane.Gateway.Tests;

/// <summary>Orleans exceptions as the runtime throws them, for the ones whose constructors it keeps to itself.</summary>
public static class OrleansFailures
{
    public static OrleansMessageRejectionException Rejection(string message) =>
        (OrleansMessageRejectionException)Activator.CreateInstance(typeof(OrleansMessageRejectionException),
            BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, binder: null, [message], culture: null)!;
}
