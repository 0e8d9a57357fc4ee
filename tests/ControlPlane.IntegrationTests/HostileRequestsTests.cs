using ControlPlane.Faults.Hostile;
using Xunit.Abstractions;

namespace ControlPlane.IntegrationTests;

/// <summary>The fault campaign's hostile requests against a real gateway of its own: every answer is a documented status.</summary>
public sealed class HostileRequestsTests(HostFixture host, ITestOutputHelper output) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Two_hundred_hostile_requests_get_documented_statuses_and_no_request_id_is_accepted_twice()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var report = await HostileRequests.RunAsync(host.Channel.CreateCallInvoker(), () => [], 200, timeout.Token);

        output.WriteLine(string.Join(", ", report.StatusCounts.OrderByDescending(s => s.Value).Select(s => $"{s.Key} {s.Value}")));
        Assert.Empty(report.Violations);
        Assert.Equal(200, report.StatusCounts.Values.Sum());
        Assert.True(report.Count("InvalidArgument/MALFORMED_REQUEST") > 50, "too few malformed requests reached the gateway");
        Assert.True(report.Count("AlreadyExists/IDEMPOTENCY_KEY_REUSED") >= 10, "the reused request_ids were not refused");
    }
}
