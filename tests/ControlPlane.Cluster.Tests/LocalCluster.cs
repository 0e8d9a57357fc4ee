using ControlPlane.Contracts.Security;
using ControlPlane.Contracts.V1;
using ControlPlane.Faults.Cluster;
using Grpc.Core;
using Grpc.Net.Client;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// The durable cluster of deploy/local/cluster — a private PostgreSQL and three silo processes
/// (idf, idf, rennes) — started in a temporary folder on free ports, for the whole test collection.
/// PostgreSQL is required: without it the fixture fails with what to install, it never skips.
/// </summary>
public class LocalCluster : IAsyncLifetime
{
    public const int Silos = 3;
    public static readonly string[] OpsCentres = ["idf", "idf", "rennes"];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cp-cluster-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The cluster's folder (deploy/local/cluster's CP_CLUSTER_DIR).</summary>
    protected string Dir => _dir;
    private readonly Dictionary<int, GrpcChannel> _channels = [];
    private readonly Dictionary<int, GrpcChannel> _toolingChannels = [];
    private readonly Dictionary<string, string> _tokens = [];
    private GrpcChannel? _fleet;
    private int _offset;

    public static string RepositoryRoot { get; } = ClusterScript.FindRoot(AppContext.BaseDirectory);

    public int PostgresPort { get; private set; }

    /// <summary>
    /// As the silos connect: role controlplane, its password from the cluster's password file (deploy/local/cluster, mode 600).
    /// Without pooling: the tests restart the database, and a pooled connection it closed fails its next command.
    /// </summary>
    public virtual string ConnectionString => $"{PostgresWithoutPassword("controlplane")};Passfile={Path.Combine(_dir, "secrets", "controlplane.pgpass")};Pooling=false";

    /// <summary>The cluster's PostgreSQL as <paramref name="role"/>, over TCP or (<paramref name="socket"/>) its local socket, with no password.</summary>
    public string PostgresWithoutPassword(string role, bool socket = false) =>
        $"Host={(socket ? Path.Combine(_dir, "run") : "127.0.0.1")};Port={PostgresPort};Database=controlplane;Username={role}";

    public string Endpoint(int silo) => $"https://{Address(silo)}:{7180 + _offset + silo}";

    /// <summary>The address silo <paramref name="silo"/>'s gateway is reached at from here.</summary>
    protected virtual string Address(int silo) => "127.0.0.1";

    /// <summary>The address the agent fleet listens on.</summary>
    protected virtual string FleetAddress => "127.0.0.1";

    /// <summary>What deploy/local/cluster starts the cluster with.</summary>
    protected virtual string[] UpArguments => ["up"];

    /// <summary>Settings added to the script's environment.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings => [];

    /// <summary>A silo's Orleans silo-to-silo port.</summary>
    public int SiloPort(int silo) => 11110 + _offset + silo;

    /// <summary>A silo's Orleans client-gateway port.</summary>
    public int OrleansGatewayPort(int silo) => 30000 + _offset + silo;

    /// <summary>The Orleans cluster and service ids the silos run with (the defaults of ControlPlane:Silo).</summary>
    public const string ClusterId = "controlplane";

    /// <summary>The local PKI (deploy/local/pki): CA, certificates, token-signing key.</summary>
    public string Pki(string file) => Path.Combine(_dir, "pki", file);

    /// <summary>Where silo N keeps its JIT profile (deploy/local/cluster: one folder per silo).</summary>
    public string JitProfile(int silo) => Path.Combine(_dir, "jit", $"silo-{silo}", "silo.jitprofile");

    /// <summary>The trace viewer (Aspire Dashboard) the silos export to.</summary>
    public string Dashboard => $"http://127.0.0.1:{18888 + _offset}";

    /// <summary>The provisioning tooling's service account: what the tests call as unless they say otherwise.</summary>
    public const string Tooling = "svc:provisioning";

    /// <summary>TLS to a silo's gateway, trusting the local CA only; no credentials of its own.</summary>
    public GrpcChannel Channel(int silo) => _channels.TryGetValue(silo, out var c) ? c : _channels[silo] = Channels.Create(Endpoint(silo), Pki("ca.pem"));

    /// <summary>TLS to a silo's gateway presenting the tooling's client certificate (provisioning.pem): principal <see cref="Tooling"/>.</summary>
    public GrpcChannel ToolingChannel(int silo) => _toolingChannels.TryGetValue(silo, out var c) ? c
        : _toolingChannels[silo] = Channels.Create(Endpoint(silo), Pki("ca.pem"), Pki("provisioning.pem"), Pki("provisioning.key"));

    /// <summary>
    /// Calls to a silo's gateway as <paramref name="principal"/> (deploy/local/principals.json): the tooling's service account
    /// with its client certificate (the gateway refuses a token for it), a person with a token of the local key.
    /// </summary>
    public CallInvoker As(int silo, string principal = Tooling)
    {
        if (principal == Tooling) return ToolingChannel(silo).CreateCallInvoker();
        string token;
        lock (_tokens)
        {
            if (!_tokens.TryGetValue(principal, out token!))
            {
                using var key = LocalTokens.LoadKey(Pki("token-signing.key"));
                _tokens[principal] = token = LocalTokens.Mint(key, new TokenClaims(principal, "FR", true, TimeSpan.FromHours(2)), DateTimeOffset.UtcNow);
            }
        }
        return Channel(silo).WithToken(token);
    }

    public Provisioning.ProvisioningClient Provisioning(int silo) => new(As(silo));
    public Tenants.TenantsClient Tenants(int silo) => new(As(silo));
    public Contracts.V1.Topology.TopologyClient Topology(int silo, string principal = Tooling) => new(As(silo, principal));
    public Services.ServicesClient Services(int silo) => new(As(silo));
    public Billing.BillingClient Billing(int silo) => new(As(silo));
    public DisasterRecovery.DisasterRecoveryClient Recovery(int silo, string principal = Tooling) => new(As(silo, principal));
    public Approvals.ApprovalsClient Approvals(int silo, string principal) => new(As(silo, principal));
    public Contracts.V1.Audit.AuditClient Audit(int silo) => new(As(silo, "auditor-1"));
    public Events.EventsClient Events(int silo) => new(As(silo));

    /// <summary>The simulated agent fleet's fault controls (run by the local cluster beside the silos).</summary>
    public FleetControl.FleetControlClient Fleet => new(_fleet ??= GrpcChannel.ForAddress(FleetEndpoint));

    /// <summary>The simulated agents, asked as the control plane asks them (what a server runs).</summary>
    public Agent.AgentClient Agents => new(_fleet ??= GrpcChannel.ForAddress(FleetEndpoint));

    private string FleetEndpoint => $"http://{FleetAddress}:{7190 + _offset}";

    public virtual async Task InitializeAsync()
    {
        PostgresPort = FreePorts.Port();
        _offset = FreePorts.Offset(Silos);
        await RunAsync(UpArguments);
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var channel in _channels.Values.Concat(_toolingChannels.Values)) channel.Dispose();
        _fleet?.Dispose();
        await RunAsync("down", "--purge");
    }

    /// <summary>The newest membership row of a silo, straight from PostgreSQL (Orleans' SiloStatus: 3 active, 6 dead).</summary>
    public async Task<int?> MembershipStatusAsync(string siloName)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT status FROM orleansmembershiptable WHERE siloname = @name ORDER BY starttime DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("name", siloName);
        return await command.ExecuteScalarAsync() as int?;
    }

    /// <summary>
    /// Restarts PostgreSQL as a crash would (<c>pg_ctl restart -m immediate</c>: no checkpoint, every connection cut) and
    /// returns once it accepts connections again.
    /// </summary>
    public Task RestartPostgresAsync() => RunAsync("pg-restart");

    public Task KillAsync(int silo) => RunAsync("kill", silo.ToString());
    public Task StopAsync(int silo) => RunAsync("stop", silo.ToString());

    /// <summary>Starts a silo again; its gateway gets a new channel, as a client reconnecting would.</summary>
    public async Task StartAsync(int silo)
    {
        await RunAsync("start", silo.ToString());
        if (_channels.Remove(silo, out var stale)) stale.Dispose();
        if (_toolingChannels.Remove(silo, out var staleTooling)) staleTooling.Dispose();
    }

    public string Log(int silo) => string.Join('\n', LogLines(silo).DefaultIfEmpty("(no log)").TakeLast(40));

    /// <summary>The lines of every silo's log that mention <paramref name="text"/> (an operation id, an instance id): what a failed check prints, since the logs go with the cluster.</summary>
    public string Trail(string text) => string.Join('\n', Enumerable.Range(1, Silos)
        .SelectMany(silo => LogLines(silo).Where(line => line.Contains(text, StringComparison.Ordinal)).Select(line => $"silo {silo}: {line}"))
        .DefaultIfEmpty($"(no log line mentions {text})").TakeLast(60));

    /// <summary>Every line of a silo's log, from all its starts.</summary>
    public IReadOnlyList<string> LogLines(int silo)
    {
        var path = Path.Combine(_dir, "logs", $"silo-{silo}.log");
        return File.Exists(path) ? [.. File.ReadLines(path)] : [];
    }

    /// <summary>Runs deploy/local/cluster with this cluster's environment; a failure about silo N carries the end of its log.</summary>
    protected async Task<string> RunAsync(params string[] args)
    {
        try
        {
            return await Script.RunAsync(CancellationToken.None, args);
        }
        catch (InvalidOperationException e) when (args.Length > 1 && int.TryParse(args[1], out var n))
        {
            throw new InvalidOperationException($"{e.Message}\nlast lines of silo {n}'s log:\n{Log(n)}", e);
        }
    }

    private ClusterScript Script => new(RepositoryRoot, ScriptEnvironment());

    /// <summary>The environment deploy/local/cluster runs with for this cluster (its folder, ports, built silo and settings).</summary>
    private Dictionary<string, string> ScriptEnvironment()
    {
        var environment = DefaultEnvironment();
        foreach (var (key, value) in Settings) environment[key] = value;
        return environment;
    }

    private Dictionary<string, string> DefaultEnvironment() => new()
    {
        ["CP_CLUSTER_DIR"] = _dir,
        ["CP_PG_PORT"] = PostgresPort.ToString(),
        ["CP_PORT_OFFSET"] = _offset.ToString(),
        ["CP_SILO_BIN"] = Built("ControlPlane.Silo"),
        ["CP_FLEET_BIN"] = Built("ControlPlane.AgentFleet"),
        ["ControlPlane__Operations__RecoveryPeriod"] = "00:00:05",
        ["ControlPlane__Agents__Latency"] = "00:00:00.005",
        ["ControlPlane__Reconcile__Period"] = "00:00:01",
        ["ControlPlane__Reconcile__FailAfter"] = "00:00:05",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>This cluster as the fault campaign drives it: its gateways, PKI, database, fleet, folder and script.</summary>
    public ClusterTarget FaultTarget => new(
        [.. Enumerable.Range(1, Silos).Select(n => new Uri(Endpoint(n)))], Pki("ca.pem"), Pki("token-signing.key"), ConnectionString,
        new Uri(FleetEndpoint), _dir, [.. Enumerable.Range(1, Silos).Select(SiloPort)], Script);

    private static string Built(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var bin = Path.Combine(RepositoryRoot, "silos", project, "bin", configuration, "net10.0");
        return File.Exists(Path.Combine(bin, project + ".dll")) ? bin
            : throw new InvalidOperationException($"{project} is not built at {bin}; run 'dotnet build ControlPlane.sln' first");
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<LocalCluster>
{
    public const string Name = "local cluster";
}
