using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ControlPlane.Contracts.Security;
using ControlPlane.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// The durable cluster of deploy/local/cluster — a private PostgreSQL and three silo processes
/// (idf, idf, rennes) — started in a temporary folder on free ports, for the whole test collection.
/// PostgreSQL is required: without it the fixture fails with what to install, it never skips.
/// </summary>
public sealed class LocalCluster : IAsyncLifetime
{
    public const int Silos = 3;
    public static readonly string[] OpsCentres = ["idf", "idf", "rennes"];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cp-cluster-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Dictionary<int, GrpcChannel> _channels = [];
    private readonly Dictionary<string, string> _tokens = [];
    private GrpcChannel? _fleet;
    private int _offset;

    public static string RepositoryRoot { get; } = FindRoot();

    public int PostgresPort { get; private set; }

    /// <summary>As the silos connect: role controlplane, its password from the cluster's password file (deploy/local/cluster, mode 600).</summary>
    public string ConnectionString => $"{PostgresWithoutPassword("controlplane")};Passfile={Path.Combine(_dir, "secrets", "controlplane.pgpass")}";

    /// <summary>The cluster's PostgreSQL as <paramref name="role"/>, over TCP or (<paramref name="socket"/>) its local socket, with no password.</summary>
    public string PostgresWithoutPassword(string role, bool socket = false) =>
        $"Host={(socket ? Path.Combine(_dir, "run") : "127.0.0.1")};Port={PostgresPort};Database=controlplane;Username={role}";

    public string Endpoint(int silo) => $"https://127.0.0.1:{7180 + _offset + silo}";

    /// <summary>A silo's Orleans silo-to-silo port.</summary>
    public int SiloPort(int silo) => 11110 + _offset + silo;

    /// <summary>A silo's Orleans client-gateway port.</summary>
    public int OrleansGatewayPort(int silo) => 30000 + _offset + silo;

    /// <summary>The Orleans cluster and service ids the silos run with (the defaults of ControlPlane:Silo).</summary>
    public const string ClusterId = "controlplane";

    /// <summary>The local PKI (deploy/local/pki): CA, certificates, token-signing key.</summary>
    public string Pki(string file) => Path.Combine(_dir, "pki", file);

    /// <summary>The trace viewer (Aspire Dashboard) the silos export to.</summary>
    public string Dashboard => $"http://127.0.0.1:{18888 + _offset}";

    /// <summary>The provisioning tooling's service account: what the tests call as unless they say otherwise.</summary>
    public const string Tooling = "svc:provisioning";

    /// <summary>TLS to a silo's gateway, trusting the local CA only; no credentials of its own.</summary>
    public GrpcChannel Channel(int silo) => _channels.TryGetValue(silo, out var c) ? c : _channels[silo] = Channels.Create(Endpoint(silo), Pki("ca.pem"));

    /// <summary>Calls to a silo's gateway as <paramref name="principal"/> (deploy/local/principals.json), with a token of the local key.</summary>
    public CallInvoker As(int silo, string principal = Tooling)
    {
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
    public FleetControl.FleetControlClient Fleet => new(_fleet ??= GrpcChannel.ForAddress($"http://127.0.0.1:{7190 + _offset}"));

    public async Task InitializeAsync()
    {
        PostgresPort = FreePort();
        _offset = FreeOffset();
        await RunAsync("up");
    }

    public async Task DisposeAsync()
    {
        foreach (var channel in _channels.Values) channel.Dispose();
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

    public Task KillAsync(int silo) => RunAsync("kill", silo.ToString());
    public Task StopAsync(int silo) => RunAsync("stop", silo.ToString());

    /// <summary>Starts a silo again; its gateway gets a new channel, as a client reconnecting would.</summary>
    public async Task StartAsync(int silo)
    {
        await RunAsync("start", silo.ToString());
        if (_channels.Remove(silo, out var stale)) stale.Dispose();
    }

    public string Log(int silo) => string.Join('\n', LogLines(silo).DefaultIfEmpty("(no log)").TakeLast(40));

    /// <summary>Every line of a silo's log, from all its starts.</summary>
    public IReadOnlyList<string> LogLines(int silo)
    {
        var path = Path.Combine(_dir, "logs", $"silo-{silo}.log");
        return File.Exists(path) ? [.. File.ReadLines(path)] : [];
    }

    private async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "deploy", "local", "cluster"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["CP_CLUSTER_DIR"] = _dir;
        start.Environment["CP_PG_PORT"] = PostgresPort.ToString();
        start.Environment["CP_PORT_OFFSET"] = _offset.ToString();
        start.Environment["CP_SILO_BIN"] = Built("ControlPlane.Silo");
        start.Environment["CP_FLEET_BIN"] = Built("ControlPlane.AgentFleet");
        start.Environment["ControlPlane__Operations__RecoveryPeriod"] = "00:00:05";
        start.Environment["ControlPlane__Agents__Latency"] = "00:00:00.005";
        start.Environment["ControlPlane__Reconcile__Period"] = "00:00:01";
        start.Environment["ControlPlane__Reconcile__FailAfter"] = "00:00:05";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var silo = args.Length > 1 && int.TryParse(args[1], out var n) ? $"\nlast lines of silo {n}'s log:\n{Log(n)}" : "";
            throw new InvalidOperationException($"deploy/local/cluster {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}{silo}");
        }
        return await stdout;
    }

    private static string Built(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var bin = Path.Combine(RepositoryRoot, "silos", project, "bin", configuration, "net10.0");
        return File.Exists(Path.Combine(bin, project + ".dll")) ? bin
            : throw new InvalidOperationException($"{project} is not built at {bin}; run 'dotnet build ControlPlane.sln' first");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ControlPlane.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ControlPlane.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An offset whose silo and dashboard ports are all free.</summary>
    private static int FreeOffset()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var offset = Random.Shared.Next(100, 9000);
            var ports = Enumerable.Range(1, Silos).SelectMany(n => new[] { 7180 + offset + n, 7280 + offset + n, 11110 + offset + n, 30000 + offset + n })
                .Concat([7190 + offset, 18888 + offset, 18889 + offset, 18890 + offset]);
            if (ports.All(IsFree)) return offset;
        }
        throw new InvalidOperationException("no free ports for the silos");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<LocalCluster>
{
    public const string Name = "local cluster";
}
