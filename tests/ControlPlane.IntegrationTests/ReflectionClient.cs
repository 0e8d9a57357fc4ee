using System.Diagnostics;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// GenericClient/call.js under Node: grpc-js and grpc-js-reflection-client (npm), a client that learns the API and the error
/// detail types from server reflection alone and prints a failed call's details as JSON. Installed once per test run.
/// </summary>
public static class ReflectionClient
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "GenericClient");
    private static readonly Lazy<Task> Installed = new(() => RunAsync("npm", "install", "--no-audit", "--no-fund", "--prefer-offline"));

    public static async Task<BufCurl.Result> CallAsync(string endpoint, string method, string json)
    {
        await Installed.Value;
        return await RunAsync("node", "call.js", new Uri(endpoint).Authority, method, json);
    }

    private static async Task<BufCurl.Result> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Folder };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var result = new BufCurl.Result(process.ExitCode, await stdout, await stderr);
        if (program == "npm" && result.ExitCode != 0) throw new InvalidOperationException($"npm install failed: {result.Stderr}");
        return result;
    }
}
