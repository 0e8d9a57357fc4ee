using System.Diagnostics;

namespace ControlPlane.IntegrationTests;

/// <summary>The silo binary started from another folder, as a service manager or an operator's shell may: it still reads its own settings.</summary>
public sealed class SiloProcessStartTests
{
    [Fact]
    public async Task The_silo_started_from_another_folder_reads_the_settings_beside_its_binary()
    {
        var folder = Directory.CreateTempSubdirectory("cp-silo-cwd-").FullName;
        var bin = Repository.Built("ControlPlane.Silo");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder,
            Environment =
            {
                ["ControlPlane__Silo__GrpcListen"] = $"127.0.0.1:{Ports.Free()}",
                ["ControlPlane__Silo__HealthListen"] = $"127.0.0.1:{Ports.Free()}",
                ["ControlPlane__Silo__SiloPort"] = Ports.Free().ToString(),
                ["ControlPlane__Silo__OrleansGatewayPort"] = Ports.Free().ToString(),
            },
        };
        start.ArgumentList.Add(Path.Combine(bin, "ControlPlane.Silo.dll"));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the silo did not start");
        var lines = new List<string>();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.Contains("Content root path")) break;
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }
        var log = string.Join('\n', lines) + "\n" + await stderr;
        Assert.Contains("Application started", log);
        Assert.Contains($"Content root path: {bin}", log);
        // appsettings.json holds this validator's category at Error: its warning means the settings were not read.
        Assert.DoesNotContain("ReminderOptionsValidator", log);
    }
}
