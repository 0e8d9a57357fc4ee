using System.Diagnostics;

namespace ControlPlane.Faults.Cluster;

/// <summary>Runs a system tool (nft, ss, ip, apt-get) and returns its exit code with its output and errors together.</summary>
internal static class Commands
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>, writing <paramref name="input"/> to its standard input when given.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string file, string[] args, string? input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} could not be started");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
