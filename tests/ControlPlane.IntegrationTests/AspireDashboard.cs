using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// The operators' trace viewer, the .NET Aspire Dashboard, as the local cluster runs it: its real
/// executable from the package that deploy/dashboard/Dashboard.csproj downloads (restored on first
/// use, as deploy/local/cluster does), on free loopback ports, telemetry API enabled without
/// credentials. Telemetry is kept in the dashboard's memory and goes with its process.
/// </summary>
public sealed partial class AspireDashboard : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AspireDashboard(Process process, string url, string otlpGrpc)
    {
        _process = process;
        Url = url;
        OtlpGrpcEndpoint = otlpGrpc;
    }

    /// <summary>The UI and telemetry API, e.g. http://127.0.0.1:PORT.</summary>
    public string Url { get; }

    /// <summary>Where a silo sends OTLP over gRPC (its OTEL_EXPORTER_OTLP_ENDPOINT).</summary>
    public string OtlpGrpcEndpoint { get; }

    /// <summary>What the dashboard printed so far, for failure messages.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static async Task<AspireDashboard> StartAsync()
    {
        var executable = await ExecutableAsync();
        var (ui, otlpGrpc, otlpHttp) = ($"http://127.0.0.1:{Ports.Free()}", $"http://127.0.0.1:{Ports.Free()}", $"http://127.0.0.1:{Ports.Free()}");
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["ASPNETCORE_URLS"] = ui;
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = otlpGrpc;
        start.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = otlpHttp;
        start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        start.Environment["ASPIRE_DASHBOARD_API_ENABLED"] = "true";
        var dashboard = new AspireDashboard(Process.Start(start)!, ui, otlpGrpc);
        dashboard._process.OutputDataReceived += (_, e) => dashboard.Append(e.Data);
        dashboard._process.ErrorDataReceived += (_, e) => dashboard.Append(e.Data);
        dashboard._process.BeginOutputReadLine();
        dashboard._process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (dashboard._process.HasExited)
                throw new InvalidOperationException($"the Aspire Dashboard ended with {dashboard._process.ExitCode}:\n{dashboard.Output}");
            try
            {
                if ((await http.GetAsync($"{ui}/api/telemetry/resources")).IsSuccessStatusCode) return dashboard;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        await dashboard.DisposeAsync();
        throw new TimeoutException($"the Aspire Dashboard did not answer on {ui} within 60 s:\n{dashboard.Output}");
    }

    /// <summary>GET on the telemetry API (e.g. "traces?search=…"): the OTLP-shaped JSON it answers.</summary>
    public async Task<JsonDocument> TelemetryAsync(string pathAndQuery)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var response = await http.GetAsync($"{Url}/api/telemetry/{pathAndQuery}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /api/telemetry/{pathAndQuery}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }

    /// <summary>How many traces the viewer holds in all.</summary>
    public async Task<int> TraceCountAsync()
    {
        using var json = await TelemetryAsync("traces");
        return json.RootElement.GetProperty("returnedCount").GetInt32();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>
    /// The executable in the NuGet package folder, at the version Dashboard.csproj pins; restores
    /// that project when the package is not there yet. Fails (never skips) when it cannot be had.
    /// </summary>
    private static async Task<string> ExecutableAsync()
    {
        var project = Path.Combine(Repository.Root(), "deploy", "dashboard", "Dashboard.csproj");
        var version = PinnedVersion().Match(await File.ReadAllTextAsync(project)) is { Success: true } match
            ? match.Groups["version"].Value
            : throw new InvalidOperationException($"no Aspire.Dashboard.Sdk.linux-x64 version in {project}");
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var executable = Path.Combine(packages, "aspire.dashboard.sdk.linux-x64", version, "tools", "Aspire.Dashboard");
        if (File.Exists(executable)) return executable;

        var restore = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "restore", project, "-v", "q" }) restore.ArgumentList.Add(arg);
        using var process = Process.Start(restore)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return File.Exists(executable)
            ? executable
            : throw new InvalidOperationException($"'dotnet restore {project}' (exit {process.ExitCode}) did not bring {executable}:\n{await output}\n{await error}");
    }

    [GeneratedRegex("""Include="Aspire\.Dashboard\.Sdk\.linux-x64"\s+Version="\[(?<version>[^\]]+)\]""")]
    private static partial Regex PinnedVersion();
}
