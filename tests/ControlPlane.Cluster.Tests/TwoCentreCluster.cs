using System.Net.Sockets;
using ControlPlane.Faults.Cluster;
using Npgsql;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// The two-centre layout of deploy/local/cluster (<c>up --hosts</c>): Île-de-France (silos 1 and 2,
/// the PostgreSQL primary) and Rennes (silo 3, the streaming standby) each in a network namespace of
/// its own, on a private /24 and namespace prefix so that it never meets another cluster of the
/// machine. Replication is CP_PG_REPLICATION of the test's environment (sync unless it says async).
/// </summary>
public sealed class TwoCentreCluster : LocalCluster
{
    private readonly string _netns = "t" + Guid.NewGuid().ToString("N")[..4];
    private readonly string _net = HostsLayout.FreeNet();

    public static string Replication { get; } = Environment.GetEnvironmentVariable("CP_PG_REPLICATION") is "async" ? "async" : "sync";

    /// <summary>A centre's address on the bridge (idf, rennes).</summary>
    public string CentreAddress(string centre) => centre == "idf" ? $"{_net}.11" : $"{_net}.21";

    /// <summary>As the silos connect: both centres' PostgreSQL, the primary taken (without pooling, as <see cref="LocalCluster.ConnectionString"/>).</summary>
    public override string ConnectionString =>
        $"Host={CentreAddress("idf")},{CentreAddress("rennes")};Port={PostgresPort};Database=controlplane;Username=controlplane;" +
        $"Passfile={Path.Combine(Dir, "secrets", "controlplane.pgpass")};Target Session Attributes=primary;Timeout=5;Pooling=false";

    /// <summary>One centre's PostgreSQL alone, as its superuser (the script's password file), without pooling.</summary>
    public string Postgres(string centre, string database = "postgres") =>
        $"Host={CentreAddress(centre)};Port={PostgresPort};Database={database};Username=postgres;Passfile={Path.Combine(Dir, "secrets", "pgpass")};Pooling=false;Timeout=5";

    protected override string Address(int silo) => CentreAddress(OpsCentres[silo - 1]);

    protected override string FleetAddress => $"{_net}.1";

    protected override string[] UpArguments => ["up", "--hosts"];

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("CP_NETNS", _netns),
        new("CP_HOSTS_NET", _net),
        new("CP_PG_REPLICATION", Replication),
    ];

    public Task<string> CutAsync(string centre) => RunAsync("cut", centre);
    public Task<string> LinkUpAsync(string centre) => RunAsync("link-up", centre);
    public Task<string> PartitionAsync() => RunAsync("partition");
    public Task<string> HealAsync() => RunAsync("heal");
    public Task<string> PromoteStandbyAsync() => RunAsync("promote-standby");
    public Task<string> RejoinAsync() => RunAsync("rejoin");
    public Task<string> ReplicationAsync(string mode) => RunAsync("replication", mode);
    public Task<string> PgStatusAsync() => RunAsync("pg-status");

    /// <summary>Whether the centre's PostgreSQL answers as a primary (false: a standby); throws when it does not answer.</summary>
    public async Task<bool> IsPrimaryAsync(string centre)
    {
        await using var connection = new NpgsqlConnection(Postgres(centre));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT NOT pg_is_in_recovery()", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Whether the newest membership row of each named silo says active (false while the database does not answer).</summary>
    public async Task<bool> ActiveAsync(params string[] silos)
    {
        try
        {
            foreach (var silo in silos)
            {
                if (await MembershipStatusAsync(silo) != 3) return false;
            }
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    /// <summary>The primary's view of its standbys: application_name → (state, sync_state).</summary>
    public async Task<Dictionary<string, (string State, string Sync)>> StandbysAsync(string primary)
    {
        await using var connection = new NpgsqlConnection(Postgres(primary));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT application_name, state, sync_state FROM pg_stat_replication", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var standbys = new Dictionary<string, (string, string)>();
        while (await reader.ReadAsync()) standbys[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
        return standbys;
    }

    /// <summary>
    /// Tries a write on the centre's PostgreSQL: null when it commits (and is undone), else why it was refused
    /// (the SQLSTATE, or that the server does not take connections).
    /// </summary>
    public async Task<string?> WriteRefusalAsync(string centre)
    {
        try
        {
            await using var connection = new NpgsqlConnection(Postgres(centre, "controlplane"));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("CREATE TABLE public.fencing_probe (n int); DROP TABLE public.fencing_probe", connection);
            await command.ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException e)
        {
            return $"SQLSTATE {e.SqlState} ({e.MessageText})";
        }
        catch (NpgsqlException e) when (e.InnerException is SocketException or TimeoutException || e.InnerException?.InnerException is SocketException)
        {
            return $"no connection ({e.InnerException?.Message})";
        }
    }

}

[CollectionDefinition(Name)]
public sealed class TwoCentreCollection : ICollectionFixture<TwoCentreCluster>
{
    public const string Name = "two-centre cluster";
}
