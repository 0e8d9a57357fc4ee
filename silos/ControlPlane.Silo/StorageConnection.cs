using System.Data.Common;
using Npgsql;

namespace ControlPlane.Silo;

/// <summary>
/// The connection of grain state, reminders and the audit log: the configured one with Npgsql's automatic preparation
/// and without the session reset on each return to the pool. The ADO.NET providers send the same few statements
/// thousands of times a second and open a pooled connection for each. Unprepared, PostgreSQL parsed and planned every
/// one of them (planning was 40 % of the grain-state writes' time in pg_stat_statements), and each open sent a
/// <c>DISCARD ALL</c> first. None of these statements changes session state, so there is nothing to reset.
/// An operator's own value of either keyword is kept.
/// </summary>
public static class StorageConnection
{
    /// <summary>Statements each physical connection keeps prepared (Npgsql <c>Max Auto Prepare</c>).</summary>
    public const int MaxAutoPrepare = 32;

    /// <summary>Uses of a statement on one connection before it is prepared (Npgsql <c>Auto Prepare Min Usages</c>).</summary>
    public const int AutoPrepareMinUsages = 2;

    public static string From(string connectionString)
    {
        var configured = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names(configured, "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
            if (!Names(configured, "AutoPrepareMinUsages")) builder.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }
        if (!Names(configured, "NoResetOnClose")) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    /// <summary>Whether the configured string sets <paramref name="keyword"/> (spaces and case ignored, as Npgsql does).</summary>
    private static bool Names(DbConnectionStringBuilder configured, string keyword) =>
        configured.Keys.Cast<string>().Any(key => string.Equals(key.Replace(" ", ""), keyword, StringComparison.OrdinalIgnoreCase));
}
