using System.Reflection;
using ControlPlane.Contracts.V1;
using ControlPlane.Gateway.Services;
using ControlPlane.Grains.Abstractions.Errors;

namespace ControlPlane.Gateway.Tests;

/// <summary>Malformed requests are refused by the gateway before any grain is called.</summary>
public sealed class ValidationTests
{
    // A grain factory that fails the test if the gateway reaches the cluster.
    private static readonly IGrainFactory Unreachable = DispatchProxy.Create<IGrainFactory, NoGrains>();

    [Theory]
    [InlineData("a", true)]
    [InlineData("acme-prod-2", true)]
    [InlineData("", false)]
    [InlineData("Acme", false)]
    [InlineData("2acme", false)]
    [InlineData("acme-", false)]
    [InlineData("acme_prod", false)]
    [InlineData("acme\n", false)]
    public void Names_follow_dns_label_rules(string name, bool valid)
    {
        Assert.Equal(valid, Validate.Name("id", name) is null);
        Assert.NotNull(Validate.Name("id", new string('a', 64)));
    }

    [Theory]
    [InlineData("acme", false, null)]
    [InlineData("", false, "tenant_id is required")]
    [InlineData("", true, null)]
    [InlineData("Acme", true, "tenant_id 'Acme' must be 1 to 63 lower-case letters, digits or '-', start with a letter and not end with '-'")]
    public void A_tenant_id_is_a_name_required_unless_optional(string value, bool optional, string? problem) =>
        Assert.Equal(("tenant_id", problem), Validate.TenantId(value, optional));

    [Fact]
    public void A_trailing_newline_is_no_part_of_any_identifier()
    {
        Assert.NotNull(Validate.RequestId("request_id", "req-1\n"));
        Assert.NotNull(Validate.Id("instance_id", "i-1\n"));
        Assert.NotNull(Validate.Principal("principal", "svc:tooling\n"));
        Assert.Null(Validate.RequestId("request_id", "req-1"));
    }

    [Fact]
    public async Task List_events_refuses_a_bad_page_size_and_an_unknown_kind_together()
    {
        var service = new EventsService(Unreachable);

        var e = await Assert.ThrowsAsync<ControlPlaneException>(() => service.ListEvents(
            new ListEventsRequest { PageSize = 1001, Kind = (EventKind)9 }, new FakeCallContext()));

        Assert.Equal(ErrorStatus.InvalidArgument, e.Error.Code);
        Assert.Equal(["page_size", "kind"], e.Error.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task Create_instance_lists_every_bad_field_at_once()
    {
        var service = new ProvisioningService(Unreachable);

        var e = await Assert.ThrowsAsync<ControlPlaneException>(() => service.CreateInstance(
            new CreateInstanceRequest { RequestId = "", TenantId = "Bad", Name = "", Size = "", Region = "" }, new FakeCallContext()));

        Assert.Equal(ErrorStatus.InvalidArgument, e.Error.Code);
        Assert.Equal(["request_id", "tenant_id", "name", "size", "region"], e.Error.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task Wait_refuses_a_timeout_beyond_five_minutes()
    {
        var service = new ProvisioningService(Unreachable);

        var e = await Assert.ThrowsAsync<ControlPlaneException>(() => service.WaitOperation(new WaitOperationRequest
        {
            Id = "op-1", Timeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(6)),
        }, new FakeCallContext()));

        Assert.Equal("timeout", Assert.Single(e.Error.FieldViolations).Field);
    }

    /// <summary>Every call on this grain factory fails: the gateway must not reach the cluster here.</summary>
    public class NoGrains : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException($"the gateway called {targetMethod?.Name} for a request it should have refused");
    }
}
