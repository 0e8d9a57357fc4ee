using Npgsql;

namespace ControlPlane.Silo;

/// <summary>
/// The membership table's connection: the configured one with short timeouts. A silo declares its peers dead only
/// through this table, so while it waits on the database every grain of a dead silo stays unreachable. When an ops
/// centre is cut off with the primary, a pooled connection to the old primary waits for its command timeout and a new
/// one for its connect timeout before Npgsql moves on to the promoted standby; with the storage's 30 s both ways, a
/// drill's surviving silo took 70 s to declare the two lost silos dead. Membership queries are small, so these bounds
/// hold even on a loaded host, and a timed-out one is retried at the next refresh.
/// </summary>
public static class MembershipConnection
{
    /// <summary>Seconds to connect to one host (Npgsql <c>Timeout</c>).</summary>
    public const int ConnectSeconds = 5;

    /// <summary>Seconds a membership query may run (Npgsql <c>Command Timeout</c>).</summary>
    public const int CommandSeconds = 10;

    /// <summary><paramref name="connectionString"/> with its timeouts capped (0, Npgsql's "no limit", is capped too).</summary>
    public static string From(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Timeout = Cap(builder.Timeout, ConnectSeconds);
        builder.CommandTimeout = Cap(builder.CommandTimeout, CommandSeconds);
        return builder.ConnectionString;
    }

    private static int Cap(int seconds, int limit) => seconds is > 0 && seconds <= limit ? seconds : limit;
}
