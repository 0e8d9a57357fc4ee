using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlPlane.Silo.Health;

/// <summary>
/// <c>/health</c>'s body: the overall status and each check's status, description and data, as JSON
/// (<c>{"status":"Healthy","duration_ms":3,"checks":{"membership":{"status":"Healthy","description":…,"data":{"active_silos":3,…}}}}</c>).
/// The HTTP status says the same: 503 when Unhealthy.
/// </summary>
public static class HealthReportJson
{
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            duration_ms = Math.Round(report.TotalDuration.TotalMilliseconds),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        };
        return JsonSerializer.SerializeAsync(http.Response.Body, body, cancellationToken: http.RequestAborted);
    }
}
