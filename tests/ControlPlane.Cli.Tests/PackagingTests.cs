using ControlPlane.Cli.Tests.Process;

namespace ControlPlane.Cli.Tests;

/// <summary>
/// cpctl as a .NET tool (packed, installed from the package alone, no other source) and as a self-contained single file (published as
/// docs/cli.md says), each run from any folder.
/// </summary>
public sealed class PackagingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cpctl-pack-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_packed_tool_installs_offline_and_runs_from_another_folder()
    {
        var packages = Path.Combine(_dir, "pkg");
        // --no-build: the package holds the cpctl these tests were built with, and no build runs beside the test run's.
        var pack = await CpctlProcess.RunFileAsync("dotnet",
            ["pack", CpctlProcess.CliProject, "--no-build", "-c", CpctlProcess.Configuration, "-o", packages], timeout: TimeSpan.FromMinutes(3));
        Assert.True(pack.Exit == 0, pack.ToString());
        Assert.True(File.Exists(Path.Combine(packages, "ControlPlane.Cli.0.1.0.nupkg")), pack.ToString());

        // Only the folder as a source: the install needs nothing else (the tool carries its dependencies).
        var config = Path.Combine(_dir, "nuget.config");
        await File.WriteAllTextAsync(config,
            $"""<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>""");
        var tools = Path.Combine(_dir, "tools");
        var install = await CpctlProcess.RunFileAsync("dotnet",
            ["tool", "install", "ControlPlane.Cli", "--tool-path", tools, "--configfile", config], workingDirectory: _dir);
        Assert.True(install.Exit == 0, install.ToString());

        var elsewhere = Directory.CreateDirectory(Path.Combine(_dir, "elsewhere")).FullName;
        var version = await CpctlProcess.RunFileAsync(Path.Combine(tools, "cpctl"), ["--version"], workingDirectory: elsewhere);
        Assert.True(version.Exit == 0, version.ToString());
        Assert.Equal("0.1.0", version.Out.Trim());

        var help = await CpctlProcess.RunFileAsync(Path.Combine(tools, "cpctl"), ["instances", "--help"], workingDirectory: elsewhere);
        Assert.Equal(0, help.Exit);
        Assert.Contains("create", help.Out);
    }

    [Fact]
    public async Task The_self_contained_single_file_runs_from_another_folder_without_the_project()
    {
        var output = Path.Combine(_dir, "single");
        // The command of docs/cli.md; its own artifacts folder, so that nothing it restores or builds touches the test run's outputs.
        var publish = await CpctlProcess.RunFileAsync("dotnet",
            ["publish", CpctlProcess.CliProject, "-c", "Release", "-r", "linux-x64", "--self-contained", "-p:PublishSingleFile=true", "-o", output,
             "--artifacts-path", Path.Combine(_dir, "artifacts")], timeout: TimeSpan.FromMinutes(6));
        Assert.True(publish.Exit == 0, publish.ToString());
        Assert.Equal(["cpctl"], Directory.GetFiles(output).Select(Path.GetFileName).Where(f => !f!.EndsWith(".pdb", StringComparison.Ordinal)));

        var elsewhere = Directory.CreateDirectory(Path.Combine(_dir, "elsewhere-single")).FullName;
        var version = await CpctlProcess.RunFileAsync(Path.Combine(output, "cpctl"), ["--version"], workingDirectory: elsewhere);
        Assert.True(version.Exit == 0, version.ToString());
        Assert.Equal("0.1.0", version.Out.Trim());
    }
}
