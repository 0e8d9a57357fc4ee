using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>Anti-affinity and zone-redundant requests over real gRPC, as tooling sends them.</summary>
[Collection(HostCollection.Name)]
public sealed class PlacementPolicyTests(HostFixture host)
{
    [Fact]
    public async Task A_zone_redundant_request_places_one_instance_in_each_zone_and_lists_them()
    {
        await host.CreateTenantAsync("zr-grpc", Api.Res(1000, 4000), "france-centre");
        var operation = await host.Provisioning.CreateZoneRedundantInstancesAsync(new CreateZoneRedundantInstancesRequest
        {
            RequestId = Guid.NewGuid().ToString(), TenantId = "zr-grpc", Name = "db", Size = "Standard_D4s_v5", Region = "france-centre", Count = 3,
        });
        var done = await host.WaitAsync(operation);

        Assert.Equal(OperationState.Succeeded, done.State);
        Assert.Equal(OperationKind.CreateZoneRedundantInstances, done.Kind);
        var members = await Task.WhenAll(done.InstanceIds.Select(id => host.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = id }).ResponseAsync));
        Assert.Equal(["db-1", "db-2", "db-3"], members.Select(m => m.Name).Order().ToArray());
        Assert.Equal(["fr-centre-1", "fr-centre-2", "fr-centre-3"], members.Select(m => m.Zone).Order().ToArray());
        Assert.All(members, m => Assert.Equal(("db", AntiAffinityScope.Zone), (m.AntiAffinityGroup, m.AntiAffinityScope)));
    }

    [Fact]
    public async Task Bad_anti_affinity_and_zone_redundant_requests_are_invalid_arguments()
    {
        await Api.FailsAsync(() => host.Provisioning.CreateInstanceAsync(new CreateInstanceRequest
        {
            RequestId = Guid.NewGuid().ToString(), TenantId = "nobody", Name = "vm", Size = "Standard_D2s_v5", Region = "france-centre",
            AntiAffinityScope = AntiAffinityScope.Zone,
        }).ResponseAsync, StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        await Api.FailsAsync(() => host.Provisioning.CreateInstanceAsync(new CreateInstanceRequest
        {
            RequestId = Guid.NewGuid().ToString(), TenantId = "nobody", Name = "vm", Size = "Standard_D2s_v5", Region = "france-centre",
            AntiAffinityGroup = "Not A Name",
        }).ResponseAsync, StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        var (_, badRequest) = await Api.FailsAsync(() => host.Provisioning.CreateZoneRedundantInstancesAsync(new CreateZoneRedundantInstancesRequest
        {
            RequestId = Guid.NewGuid().ToString(), TenantId = "nobody", Name = "db", Size = "Standard_D2s_v5", Region = "france-sud", Count = 2,
        }).ResponseAsync, StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        Assert.Contains(badRequest!.FieldViolations, v => v.Field == "count");
    }
}
