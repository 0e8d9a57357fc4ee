using System.Diagnostics;

namespace ControlPlane.Faults.Cluster;

/// <summary>Runs deploy/local/cluster subcommands with the environment the cluster was started with.</summary>
public sealed class ClusterScript(string repositoryRoot, IReadOnlyDictionary<string, string> environment)
{
    public string RepositoryRoot { get; } = repositoryRoot;

    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    /// <summary>Runs <c>deploy/local/cluster args…</c>; returns its output, throws with it when it fails.</summary>
    public async Task<string> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "deploy", "local", "cluster"));
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (key, value) in Environment) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/local/cluster {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
        return await stdout;
    }

    /// <summary>The repository root above <paramref name="from"/> (the folder holding ControlPlane.sln).</summary>
    public static string FindRoot(string from)
    {
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ControlPlane.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ControlPlane.sln not found above " + from);
    }
}
