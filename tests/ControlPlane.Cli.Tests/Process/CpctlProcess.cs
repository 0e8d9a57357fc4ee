using System.Diagnostics;

namespace ControlPlane.Cli.Tests.Process;

/// <summary>What a run of a command printed and returned.</summary>
public sealed record ProcessResult(int Exit, string Out, string Err)
{
    public override string ToString() => $"exit {Exit}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>Runs cpctl as a user does: a separate process, its exit code, its standard output and error.</summary>
public static class CpctlProcess
{
    public static readonly string Root = FindRoot();

    /// <summary>Debug or Release: the configuration these tests were built in, and so cpctl.</summary>
    public static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string CliProject => Path.Combine(Root, "clients", "ControlPlane.Cli");

    /// <summary>The built cpctl.dll, started with 'dotnet'.</summary>
    public static string Dll => Path.Combine(CliProject, "bin", Configuration, "net10.0", "cpctl.dll");

    /// <summary>cpctl with <paramref name="args"/>; <paramref name="environment"/> adds or (null) removes variables.</summary>
    public static Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunFileAsync("dotnet", [Dll, .. args], environment);

    /// <summary>Any program, in <paramref name="workingDirectory"/> (default: a neutral folder), killed after <paramref name="timeout"/>.</summary>
    public static async Task<ProcessResult> RunFileAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null, TimeSpan? timeout = null, string? stdin = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        // A user's shell has none of the test's control-plane settings unless the test gives them.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CONTROLPLANE_", StringComparison.Ordinal) || k.StartsWith("CPCTL_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not end within {timeout ?? TimeSpan.FromMinutes(2)}:\n{await stdout}\n{await stderr}");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ControlPlane.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ControlPlane.sln not found above " + AppContext.BaseDirectory);
    }
}
