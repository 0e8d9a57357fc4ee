using System.Diagnostics;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// buf curl (npm package @bufbuild/buf, run through npx): a generic gRPC client that knows the API only through server
/// reflection, with no .proto file of ours. Exits with 8 × the gRPC status code when the call fails.
/// </summary>
public static class BufCurl
{
    public const string Package = "@bufbuild/buf@1.75.0";

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> CallAsync(string endpoint, string method, string json, params string[] extra)
    {
        var start = new ProcessStartInfo("npx")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in (string[])["--yes", "--prefer-offline", Package, "curl", "--protocol", "grpc", "--http2-prior-knowledge", .. extra,
            "-d", json, $"{endpoint}/{method}"])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("npx did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
