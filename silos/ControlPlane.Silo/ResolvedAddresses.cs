using System.Net;

namespace ControlPlane.Silo;

/// <summary>A silo's addresses as resolved at start: the gRPC gateway's and health endpoints' to listen on, and the one it advertises to the other silos.</summary>
public sealed record ResolvedAddresses(IPEndPoint Grpc, IPEndPoint Health, IPAddress Advertised);
