using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ControlPlane.Silo;

/// <summary>How this process runs (section "ControlPlane:Silo"). Validated at start: a bad value stops the start with its name.</summary>
public sealed class SiloHostOptions
{
    public const string Section = "ControlPlane:Silo";
    public const string Embedded = "embedded";
    public const string Durable = "durable";

    /// <summary>
    /// "embedded": one silo, local clustering, in-memory state. "durable": a member of a cluster whose
    /// membership, grain state and reminders live in PostgreSQL (<see cref="ConnectionString"/>).
    /// </summary>
    public string Mode { get; set; } = Embedded;

    /// <summary>The operations centre this silo belongs to ("idf" or "rennes" in the default topology).</summary>
    public string OpsCentre { get; set; } = "idf";

    /// <summary>PostgreSQL connection string (Npgsql format), required in durable mode.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>This silo's name in the membership table (default: the machine name).</summary>
    public string SiloName { get; set; } = "";

    public string ClusterId { get; set; } = "controlplane";

    /// <summary>Identifies the stored state and reminders: never change it on a running platform.</summary>
    public string ServiceId { get; set; } = "controlplane";

    /// <summary>Address of the gRPC gateway (HTTP/2), host:port with an IP address or a host name; port 0 picks a free one.</summary>
    public string GrpcListen { get; set; } = "127.0.0.1:7180";

    /// <summary>Address of the HTTP/1.1 health endpoints /health (ready) and /alive (live), host:port (IP address or host name).</summary>
    public string HealthListen { get; set; } = "127.0.0.1:7280";

    /// <summary>The address other silos reach this one at (durable mode): an IP address or a host name, resolved at start.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Orleans silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client-gateway port.</summary>
    public int OrleansGatewayPort { get; set; } = 30000;

    /// <summary>
    /// How long a stopping silo (SIGTERM) may take before the host gives up waiting on what is left
    /// (grain deactivations, membership update): a supervisor then restarts it promptly.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The share of the traces the platform starts by itself (timers, reconciliation, polls, reminders) that are kept,
    /// from 0 to 1; every call of the API is traced whatever this is (<see cref="ApiTraceSampler"/>).
    /// </summary>
    public double BackgroundTraceRatio { get; set; } = 0.01;

    /// <summary>
    /// How often Orleans looks for idle workers of a stateless-worker grain (the topology and catalogue readers) to remove
    /// (Orleans' <c>StatelessWorkerOptions.IdleWorkersInspectionPeriod</c>, 500 ms by default there). Each such grain holds a
    /// timer with this period on every silo, busy or idle; workers added for a burst go away one to two periods after it.
    /// </summary>
    public TimeSpan IdleWorkersInspectionPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often each silo sends its load (CPU, memory, activation count) to every other silo for placement (Orleans'
    /// <c>DeploymentLoadPublisherOptions.DeploymentLoadPublisherRefreshTime</c>, 1 s there): two grain calls a second per pair
    /// of silos, busy or idle. Placement among an ops centre's silos works from figures at most this old.
    /// </summary>
    public TimeSpan LoadStatisticsPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Durable mode: concurrent grain-state writes go to PostgreSQL together, one round trip and one commit per batch
    /// (<see cref="PostgresWriteBatcher"/>). Off: each write is its own, as Orleans' ADO.NET provider sends it.
    /// </summary>
    public bool BatchStateWrites { get; set; } = true;

    /// <summary>
    /// The gRPC and health endpoints and the advertised address, host names resolved through <paramref name="lookup"/>
    /// (the system resolver by default); a name that does not resolve stops the start with the setting's name.
    /// </summary>
    public ResolvedAddresses Resolve(Func<string, IPAddress[]>? lookup = null)
    {
        var problems = new List<string>();
        T Resolved<T>(string setting, string value, Func<string, T> resolve) where T : class
        {
            try
            {
                return resolve(value);
            }
            catch (SocketException e)
            {
                problems.Add($"{Section}:{setting} '{value}' does not resolve to an address ({e.Message})");
                return null!;
            }
        }
        var grpc = Resolved(nameof(GrpcListen), GrpcListen, v => HostAddresses.ResolveEndpoint(v, lookup));
        var health = Resolved(nameof(HealthListen), HealthListen, v => HostAddresses.ResolveEndpoint(v, lookup));
        var advertised = Resolved(nameof(AdvertisedAddress), AdvertisedAddress, v => HostAddresses.Resolve(v, lookup));
        return problems.Count > 0 ? throw new OptionsValidationException(Section, typeof(SiloHostOptions), problems) : new(grpc, health, advertised);
    }

    public bool IsDurable => Mode == Durable;

    public IEnumerable<string> Problems(IReadOnlyCollection<string> opsCentres)
    {
        if (Mode is not (Embedded or Durable))
            yield return $"{Section}:Mode is '{Mode}'; expected '{Embedded}' or '{Durable}'";
        if (!opsCentres.Contains(OpsCentre))
            yield return $"{Section}:OpsCentre is '{OpsCentre}'; the topology knows {string.Join(", ", opsCentres)}";
        if (IsDurable && string.IsNullOrWhiteSpace(ConnectionString))
            yield return $"{Section}:ConnectionString is required in durable mode (e.g. Host=127.0.0.1;Port=5432;Database=controlplane;Username=controlplane)";
        if (IsDurable && ConnectionStringProblem(ConnectionString) is { } connection)
            yield return $"{Section}:ConnectionString: {connection}";
        if (!HostAddresses.TrySplit(GrpcListen, out _, out _))
            yield return $"{Section}:GrpcListen '{GrpcListen}' is not host:port (an IP address or a host name)";
        if (!HostAddresses.TrySplit(HealthListen, out _, out _))
            yield return $"{Section}:HealthListen '{HealthListen}' is not host:port (an IP address or a host name)";
        if (!HostAddresses.IsHost(AdvertisedAddress))
            yield return $"{Section}:AdvertisedAddress '{AdvertisedAddress}' is neither an IP address nor a host name";
        if (SiloPort is <= 0 or > 65535)
            yield return $"{Section}:SiloPort {SiloPort} is not a port";
        if (OrleansGatewayPort is <= 0 or > 65535)
            yield return $"{Section}:OrleansGatewayPort {OrleansGatewayPort} is not a port";
        if (BackgroundTraceRatio is < 0 or > 1 || double.IsNaN(BackgroundTraceRatio))
            yield return $"{Section}:BackgroundTraceRatio {BackgroundTraceRatio} is not a share from 0 to 1";
        if (ShutdownTimeout <= TimeSpan.Zero)
            yield return $"{Section}:ShutdownTimeout {ShutdownTimeout} must be positive";
        if (IdleWorkersInspectionPeriod <= TimeSpan.Zero)
            yield return $"{Section}:IdleWorkersInspectionPeriod {IdleWorkersInspectionPeriod} must be positive";
        if (LoadStatisticsPeriod <= TimeSpan.Zero)
            yield return $"{Section}:LoadStatisticsPeriod {LoadStatisticsPeriod} must be positive";
        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
            yield return $"{Section}:ClusterId and {Section}:ServiceId cannot be empty";
    }

    /// <summary>What Npgsql would refuse only at the first connection, said at start instead. The message names keywords, never values.</summary>
    private static string? ConnectionStringProblem(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return null;
        Npgsql.NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return $"not an Npgsql connection string ({e.GetType().Name}: {e.Message})";
        }
        return builder.Multiplexing && builder.Host?.Contains(',') == true
            ? "Multiplexing cannot be used with several hosts (Npgsql refuses it): name one host, or leave Multiplexing out"
            : null;
    }
}
