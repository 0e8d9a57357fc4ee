using System.Text;
using System.Text.RegularExpressions;
using ControlPlane.Cli.Tests.Host;
using ControlPlane.Cli.Tests.Process;

namespace ControlPlane.Cli.Tests;

/// <summary>
/// The README's walkthrough, run as a new user runs it: every command of the fenced sh blocks of its
/// "Walkthrough with cpctl" section, as written, in one bash from the repository's root, with a home folder
/// of its own (so cpctl is packed and installed there as a .NET tool by the README's own lines, and no
/// other cpctl is on the PATH), against a fresh embedded control plane named by CONTROLPLANE_ENDPOINT.
/// Each command must exit 0, or with the code its comment gives ("(exit N").
/// </summary>
[Collection(WalkthroughCollection.Name)]
public sealed partial class ReadmeWalkthroughTests(WalkthroughHostFixture host) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("cpctl-walk-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private sealed record Step(string Line, int Exit);

    [Fact]
    public async Task Every_walkthrough_command_runs_as_written_with_cpctl_installed_as_a_tool()
    {
        var steps = Walkthrough(await File.ReadAllTextAsync(Path.Combine(CpctlProcess.Root, "README.md")));
        Assert.Contains(steps, s => s.Line.StartsWith("dotnet pack clients/ControlPlane.Cli", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Line.StartsWith("dotnet tool install -g ControlPlane.Cli", StringComparison.Ordinal));
        Assert.True(steps.Count(s => s.Line.StartsWith("cpctl ", StringComparison.Ordinal)) >= 15, string.Join('\n', steps));

        var script = new StringBuilder();
        foreach (var step in steps)
        {
            script.AppendLine($"echo {Quote("$ " + step.Line)}");
            script.AppendLine(step.Line);
            script.AppendLine($"rc=$?; if [ $rc -ne {step.Exit} ]; then echo \"walkthrough: exit $rc, expected {step.Exit}: \"{Quote(step.Line)} >&2; exit 1; fi");
        }
        // The cpctl that ran is the tool the walkthrough installed, not a build output or another user's.
        script.AppendLine("""[ "$(command -v cpctl)" = "$HOME/.dotnet/tools/cpctl" ] || { echo "walkthrough: cpctl is $(command -v cpctl)" >&2; exit 1; }""");

        var result = await CpctlProcess.RunFileAsync("bash", ["-c", script.ToString()], Environment(), workingDirectory: CpctlProcess.Root,
            timeout: TimeSpan.FromMinutes(8));

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains("Tool 'controlplane.cli' (version '0.1.0') was successfully installed", result.Out);
        Assert.Contains("QUOTA_EXCEEDED", result.Err);
        Assert.Matches(@"kind:\s+drain-server\s+state:\s+succeeded", result.Out);
        Assert.Matches(@"lifecycle:\s+decommissioned", result.Out);
    }

    /// <summary>The commands of the sh blocks between the walkthrough's heading and the next one, with the exit each expects.</summary>
    private static List<Step> Walkthrough(string readme)
    {
        var start = readme.IndexOf("\n## Walkthrough with `cpctl`", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Walkthrough with `cpctl`' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        var steps = new List<Step>();
        foreach (Match block in ShBlock().Matches(section))
        {
            foreach (var line in block.Groups["body"].Value.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0))
            {
                var expected = ExpectedExit().Match(line);
                steps.Add(new Step(line, expected.Success ? int.Parse(expected.Groups["code"].Value) : 0));
            }
        }
        return steps;
    }

    /// <summary>
    /// A new user's environment: this test's home folder, the NuGet package folder of the machine (nothing to
    /// download again), the control plane's address, and a PATH without any other cpctl.
    /// </summary>
    private Dictionary<string, string?> Environment()
    {
        var packages = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = string.Join(':', (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Where(dir => dir.Length > 0 && !File.Exists(Path.Combine(dir, "cpctl"))));
        return new()
        {
            ["HOME"] = _home, ["XDG_CONFIG_HOME"] = null, ["DOTNET_CLI_HOME"] = null, ["NUGET_PACKAGES"] = packages, ["PATH"] = path,
            ["CONTROLPLANE_ENDPOINT"] = host.Endpoint,
        };
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";

    [GeneratedRegex(@"^```sh\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ShBlock();

    [GeneratedRegex(@"#.*\(exit (?<code>\d+)\b")]
    private static partial Regex ExpectedExit();
}
