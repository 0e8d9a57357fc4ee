using ControlPlane.Contracts.V1;
using Microsoft.Extensions.Logging;

namespace ControlPlane.IntegrationTests;

/// <summary>Each finished operation logs one structured line: kind, outcome, duration, operation, tenant, trace.</summary>
[Collection(HostCollection.Name)]
public sealed class OperationLogTests(HostFixture host)
{
    private CapturedLogs.Entry[] FinishedLines(string operationId) =>
        [.. host.Logs.Entries.Where(e => e.Values.TryGetValue("OperationId", out var id) && id as string == operationId && e.Values.ContainsKey("Outcome"))];

    [Fact]
    public async Task A_succeeded_create_logs_one_line_at_information()
    {
        await host.CreateTenantAsync("oplog-acme", Api.Res(16, 64), "france-centre");

        var created = await host.WaitAsync(await host.CreateInstanceAsync("oplog-acme", "web-1", "Standard_D2s_v5"));

        Assert.Equal(OperationState.Succeeded, created.State);
        var line = Assert.Single(FinishedLines(created.Id));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(("CreateInstance", "SUCCEEDED", "oplog-acme", created.TraceId),
            (line.Values["OperationKind"]?.ToString(), line.Values["Outcome"], line.Values["TenantId"], line.Values["TraceId"]));
        var took = (created.EndTime.ToDateTimeOffset() - created.CreateTime.ToDateTimeOffset()).TotalMilliseconds;
        Assert.InRange(Convert.ToDouble(line.Values["DurationMs"]), Math.Floor(took) - 1, took + 1);
        Assert.Contains(created.Id, line.Message);
        Assert.Contains(created.TraceId, line.Message);
    }

    [Fact]
    public async Task A_refused_create_logs_its_reason_as_the_outcome()
    {
        await host.CreateTenantAsync("oplog-small", Api.Res(2, 8), "france-centre");

        var (info, _) = await Api.FailsAsync(() => host.CreateInstanceAsync("oplog-small", "big", "Standard_D16s_v5"),
            Grpc.Core.StatusCode.ResourceExhausted, "QUOTA_EXCEEDED");

        var line = Assert.Single(FinishedLines(info.Metadata["operation_id"]));
        Assert.Equal(("QUOTA_EXCEEDED", "oplog-small"), (line.Values["Outcome"], line.Values["TenantId"]));
        Assert.Matches("^[0-9a-f]{32}$", line.Values["TraceId"] as string);
    }
}
