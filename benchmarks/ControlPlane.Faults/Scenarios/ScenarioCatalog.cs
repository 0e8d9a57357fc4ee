namespace ControlPlane.Faults.Scenarios;

/// <summary>Every scenario of the campaign, and the named sets the command line accepts (short, all).</summary>
public static class ScenarioCatalog
{
    /// <summary>The silo killed or frozen: silo 2, an Île-de-France silo that is not the first gateway.</summary>
    public const int Victim = 2;

    /// <summary>The Rennes silo, cut from the Île-de-France ones.</summary>
    public const int Rennes = 3;

    public static readonly TimeSpan SiloPause = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan PostgresPause = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan FleetDown = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan AgentsDown = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan PartitionCut = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DelayLength = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DelayMin = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan DelayMax = TimeSpan.FromMilliseconds(10);

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("kill", "kill -9 of one silo, once; the supervisor starts it again", false, (c, ct) => c.Driver.KillAsync(Victim, ct)),
        new("kill-every-30", "kill -9 of a silo every 30 s (in turn), each started again", false, (c, ct) => KillEveryAsync(c, TimeSpan.FromSeconds(30), ct)),
        new("kill-every-15", "kill -9 of a silo every 15 s (in turn), each started again", false, (c, ct) => KillEveryAsync(c, TimeSpan.FromSeconds(15), ct)),
        new("sigstop", "SIGSTOP of one silo for 20 s, then SIGCONT", false, (c, ct) => c.Driver.PauseSiloAsync(Victim, SiloPause, ct)),
        new("partition", "the Rennes silo cut from the Île-de-France silos for 30 s (nft; with --hosts, the Rennes centre from Île-de-France)", false, PartitionAsync),
        new("delay", "5–10 ms each way between the Rennes silo and the Île-de-France silos for 60 s (userspace TCP proxies; with --hosts, between the centres)", false, DelayAsync),
        new("pg-restart", "PostgreSQL restarted at once (pg_ctl restart -m immediate)", false, (c, ct) => c.Driver.RestartPostgresAsync(ct)),
        new("pg-pause", "PostgreSQL frozen for 10 s (SIGSTOP of the postmaster and its children)", false, (c, ct) => c.Driver.PausePostgresAsync(PostgresPause, ct)),
        new("fleet-down", "the agent fleet killed for 20 s, then started again", true, (c, ct) => c.Driver.FleetDownAsync(FleetDown, ct)),
        new("agents-tenth", "a tenth of the agents unreachable for 60 s", true, (c, ct) => c.Driver.AgentsUnreachableAsync(0.1, AgentsDown, c.Random, ct)),
#if HOSTILE
        HostileScenario.Scenario,
#endif
        new("mixed", "a random schedule (seeded) of kills, pauses, database and agent faults", true, MixedAsync),
    ];

    /// <summary>The short variant run in CI: one kill, one PostgreSQL restart, and the hostile requests when they are built.</summary>
    public static IReadOnlyList<string> Short { get; } = [.. new[] { "kill", "pg-restart", "hostile" }.Where(n => All.Any(s => s.Name == n))];

    /// <summary>The scenarios named by a comma-separated list, whose items may also be the sets "short" and "all".</summary>
    public static IReadOnlyList<Scenario> Select(string names)
    {
        var wanted = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).SelectMany(n => n switch
        {
            "short" => Short,
            "all" => [.. All.Select(s => s.Name)],
            _ => [n],
        });
        return [.. wanted.Select(n => All.FirstOrDefault(s => s.Name == n)
            ?? throw new ArgumentException($"unknown scenario '{n}'; known: {string.Join(", ", All.Select(s => s.Name))}, and the sets short, all"))];
    }

    private static async Task KillEveryAsync(FaultContext context, TimeSpan every, CancellationToken cancellationToken)
    {
        var end = DateTimeOffset.UtcNow + context.Duration;
        for (var silo = Victim; DateTimeOffset.UtcNow < end; silo = silo % 3 + 1)
        {
            var next = DateTimeOffset.UtcNow + every;
            if (context.Driver.IsAlive(silo)) await context.Driver.KillAsync(silo, cancellationToken);
            else context.Notes.Enqueue($"{DateTimeOffset.UtcNow:HH:mm:ss} silo {silo} still down from an earlier kill: not killed again");
            var wait = next - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero && DateTimeOffset.UtcNow + wait < end) await Task.Delay(wait, cancellationToken);
            else if (DateTimeOffset.UtcNow + wait >= end) break;
        }
    }

    private static async Task PartitionAsync(FaultContext context, CancellationToken cancellationToken)
    {
        if (!await context.Driver.PartitionAsync(Rennes, PartitionCut, cancellationToken))
        {
            context.Notes.Enqueue("partition skipped: nft rules could not be set on this machine (see the log)");
        }
    }

    private static async Task DelayAsync(FaultContext context, CancellationToken cancellationToken)
    {
        if (!await context.Driver.DelayAsync(Rennes, DelayMin, DelayMax, DelayLength, cancellationToken))
        {
            context.Notes.Enqueue("delay skipped: nft rules could not be set on this machine (see the log)");
        }
    }

    /// <summary>Four faults drawn from the single-fault scenarios, 20–40 s apart.</summary>
    private static async Task MixedAsync(FaultContext context, CancellationToken cancellationToken)
    {
        string[] pool = ["kill", "sigstop", "pg-restart", "pg-pause", "fleet-down", "agents-tenth", "partition"];
        for (var i = 0; i < 4; i++)
        {
            var name = pool[context.Random.Next(pool.Length)];
            var pick = All.First(s => s.Name == name);
            context.Log.WriteLine($"  mixed: {pick.Name}");
            context.Notes.Enqueue($"mixed step {i + 1}: {pick.Name}");
            await pick.InjectAsync(context, cancellationToken);
            if (i < 3) await Task.Delay(TimeSpan.FromSeconds(20 + context.Random.Next(21)), cancellationToken);
        }
    }
}
