namespace ControlPlane.Cli.Tests.Process;

/// <summary>
/// A user's shell: a home folder of its own (so its own cpctl configuration), a working folder that is not the
/// repository, and the environment variables the test exports.
/// </summary>
public sealed class UserShell : IDisposable
{
    private readonly Dictionary<string, string?> _environment;

    public UserShell()
    {
        Home = Directory.CreateTempSubdirectory("cpctl-home-").FullName;
        _environment = new() { ["HOME"] = Home, ["XDG_CONFIG_HOME"] = null };
    }

    public string Home { get; }

    public string ConfigPath => Path.Combine(Home, ".config", "cpctl", "config.yaml");

    /// <summary>export NAME=VALUE (null: unset).</summary>
    public UserShell Export(string name, string? value)
    {
        _environment[name] = value;
        return this;
    }

    public Task<ProcessResult> RunAsync(params string[] args) => CpctlProcess.RunAsync(_environment, args);

    /// <summary>Runs cpctl and asserts it exited 0 (the result, stdout and stderr, in the failure message).</summary>
    public async Task<ProcessResult> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.Exit == 0, result.ToString());
        return result;
    }

    /// <summary>The shell command a user types in a terminal (<see cref="Tmux"/>), with this shell's variables, then the exit code it ended with, then a pause to read the screen.</summary>
    public string InTerminal(params string[] args) =>
        $"env {string.Join(' ', _environment.Where(e => e.Value is not null).Select(e => $"{e.Key}='{e.Value}'"))} dotnet '{CpctlProcess.Dll}' " +
        $"{string.Join(' ', args.Select(a => $"'{a}'"))}; echo EXIT=$?; sleep 120";

    public void Dispose() => Directory.Delete(Home, recursive: true);
}
