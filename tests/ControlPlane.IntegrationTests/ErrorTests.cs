using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>Every kind of bad input gets its status, a stable reason and, for bad fields, a field violation.</summary>
[Collection(HostCollection.Name)]
public sealed class ErrorTests(HostFixture host) : IAsyncLifetime
{
    private const string Tenant = "err-tenant";

    public async Task InitializeAsync()
    {
        try
        {
            await host.CreateTenantAsync(Tenant, Api.Res(16, 64), "france-centre");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, string, string, string, string> BadInstances => new()
    {
        // request_id, tenant, name, size, region, zone
        { "", Tenant, "vm", "Standard_D2s_v5", "france-centre", "" },
        { "bad id!", Tenant, "vm", "Standard_D2s_v5", "france-centre", "" },
        { "r", "", "vm", "Standard_D2s_v5", "france-centre", "" },
        { "r", "Upper", "vm", "Standard_D2s_v5", "france-centre", "" },
        { "r", Tenant, "", "Standard_D2s_v5", "france-centre", "" },
        { "r", Tenant, "-vm", "Standard_D2s_v5", "france-centre", "" },
        { "r", Tenant, "vm", "", "france-centre", "" },
        { "r", Tenant, "vm", "Standard_D2s_v5", "", "" },
    };

    [Theory]
    [MemberData(nameof(BadInstances))]
    public async Task Malformed_create_instance_is_invalid_argument_naming_the_field(string requestId, string tenant, string name, string size, string region, string zone)
    {
        var (_, badRequest) = await Api.FailsAsync(() => host.CreateInstanceAsync(tenant, name, size, region, zone, requestId == "r" ? null : requestId),
            StatusCode.InvalidArgument, "INVALID_ARGUMENT");

        Assert.NotNull(badRequest);
        var field = requestId != "r" ? "request_id" : tenant != Tenant ? "tenant_id" : name != "vm" ? "name" : size.Length == 0 ? "size" : "region";
        Assert.Contains(badRequest.FieldViolations, v => v.Field == field);
    }

    [Theory]
    [InlineData("Standard_Z99", "france-centre", "", "size", "UNKNOWN_SIZE")]
    [InlineData("Standard_D2s_v5", "germany-west", "", "region", "UNKNOWN_REGION")]
    [InlineData("Standard_D2s_v5", "france-centre", "fr-centre-9", "zone", "UNKNOWN_ZONE")]
    [InlineData("Standard_D2s_v5", "france-centre", "fr-sud-1", "zone", "ZONE_NOT_IN_REGION")]
    public async Task Unknown_size_region_or_zone_is_invalid_argument(string size, string region, string zone, string field, string reason)
    {
        var (_, badRequest) = await Api.FailsAsync(() => host.CreateInstanceAsync(Tenant, "vm", size, region, zone), StatusCode.InvalidArgument, reason);

        Assert.Contains(badRequest!.FieldViolations, v => v.Field == field);
    }

    [Fact]
    public async Task An_error_echoing_a_huge_field_stays_small_and_the_connection_keeps_serving()
    {
        var zone = new string('z', 60_000);
        var e = await Assert.ThrowsAsync<RpcException>(() => host.CreateInstanceAsync(Tenant, "vm", "Standard_D2s_v5", "france-centre", zone));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.True(e.Status.Detail.Length < 1024, $"{e.Status.Detail.Length} characters");
        var status = e.GetRpcStatus()!;
        Assert.True(status.CalculateSize() < 8 * 1024, $"{status.CalculateSize()} bytes");
        Assert.Equal("zone", Assert.Single(status.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations).Field);
        // The same channel (one HTTP/2 connection) still answers.
        Assert.NotEmpty((await host.Topology.ListRegionsAsync(new ListRegionsRequest())).Regions);
    }

    [Fact]
    public async Task A_trailing_newline_makes_a_tenant_id_invalid()
    {
        var (_, badRequest) = await Api.FailsAsync(() => host.CreateTenantAsync("acme\n", Api.Res(1, 1), "france-centre"),
            StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        Assert.Contains(badRequest!.FieldViolations, v => v.Field == "id");
    }

    [Fact]
    public async Task Unknown_tenant_instance_operation_server_and_zone_are_not_found()
    {
        await Api.FailsAsync(() => host.CreateInstanceAsync("err-nobody", "vm", "Standard_D2s_v5"), StatusCode.NotFound, "TENANT_NOT_FOUND");
        await Api.FailsAsync(() => host.Tenants.GetTenantAsync(new GetTenantRequest { Id = "err-nobody" }).ResponseAsync, StatusCode.NotFound, "TENANT_NOT_FOUND");
        await Api.FailsAsync(() => host.Provisioning.ListInstancesAsync(new ListInstancesRequest { TenantId = "err-nobody" }).ResponseAsync, StatusCode.NotFound, "TENANT_NOT_FOUND");
        await Api.FailsAsync(() => host.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = "i-missing" }).ResponseAsync, StatusCode.NotFound, "INSTANCE_NOT_FOUND");
        await Api.FailsAsync(() => host.Provisioning.DeleteInstanceAsync(new DeleteInstanceRequest { RequestId = Guid.NewGuid().ToString(), InstanceId = "i-missing" }).ResponseAsync,
            StatusCode.NotFound, "INSTANCE_NOT_FOUND");
        await Api.FailsAsync(() => host.Provisioning.GetOperationAsync(new GetOperationRequest { Id = "op-missing" }).ResponseAsync, StatusCode.NotFound, "OPERATION_NOT_FOUND");
        await Api.FailsAsync(() => host.Provisioning.WaitOperationAsync(new WaitOperationRequest { Id = "op-missing" }).ResponseAsync, StatusCode.NotFound, "OPERATION_NOT_FOUND");
        await Api.FailsAsync(() => host.Topology.GetServerAsync(new GetServerRequest { Id = "srv-missing" }).ResponseAsync, StatusCode.NotFound, "SERVER_NOT_FOUND");
        await Api.FailsAsync(() => host.Topology.ListServersAsync(new ListServersRequest { Zone = "zone-missing" }).ResponseAsync, StatusCode.NotFound, "ZONE_NOT_FOUND");
    }

    [Fact]
    public async Task Region_outside_the_tenant_policy_is_permission_denied()
    {
        var (info, _) = await Api.FailsAsync(() => host.CreateInstanceAsync(Tenant, "vm", "Standard_D2s_v5", "france-sud"), StatusCode.PermissionDenied, "REGION_NOT_ALLOWED");
        Assert.Equal("france-sud", info.Metadata["region"]);
    }

    [Fact]
    public async Task A_name_already_used_in_the_tenant_is_already_exists()
    {
        await host.WaitAsync(await host.CreateInstanceAsync(Tenant, "dup", "Standard_D2s_v5"));

        await Api.FailsAsync(() => host.CreateInstanceAsync(Tenant, "dup", "Standard_D2s_v5"), StatusCode.AlreadyExists, "INSTANCE_NAME_TAKEN");
    }

    [Fact]
    public async Task Malformed_tenants_are_invalid_argument_and_duplicates_already_exist()
    {
        await Api.FailsAsync(() => host.CreateTenantAsync("", Api.Res(1, 1), "france-centre"), StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        await Api.FailsAsync(() => host.CreateTenantAsync("Bad_Id", Api.Res(1, 1), "france-centre"), StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        await Api.FailsAsync(() => host.CreateTenantAsync("err-noregion", Api.Res(1, 1)), StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        await Api.FailsAsync(() => host.CreateTenantAsync("err-negative", Api.Res(-1, 1), "france-centre"), StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        await Api.FailsAsync(() => host.Tenants.CreateTenantAsync(new CreateTenantRequest { Id = "err-noquota", AllowedRegions = { "france-centre" } }).ResponseAsync,
            StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        var (_, badRequest) = await Api.FailsAsync(() => host.CreateTenantAsync("err-mars", Api.Res(1, 1), "france-centre", "mars"), StatusCode.InvalidArgument, "UNKNOWN_REGION");
        Assert.Equal("allowed_regions[1]", Assert.Single(badRequest!.FieldViolations).Field);
        await Api.FailsAsync(() => host.CreateTenantAsync(Tenant, Api.Res(1, 1), "france-centre"), StatusCode.AlreadyExists, "TENANT_ALREADY_EXISTS");
        // None of the refused tenants exists afterwards.
        await Api.FailsAsync(() => host.Tenants.GetTenantAsync(new GetTenantRequest { Id = "err-mars" }).ResponseAsync, StatusCode.NotFound, "TENANT_NOT_FOUND");
    }

    [Fact]
    public async Task Bad_paging_and_wait_arguments_are_invalid_argument()
    {
        await Api.FailsAsync(() => host.Topology.ListServersAsync(new ListServersRequest { Zone = "fr-centre-1", PageToken = "garbage" }).ResponseAsync,
            StatusCode.InvalidArgument, "INVALID_PAGE_TOKEN");
        await Api.FailsAsync(() => host.Topology.ListServersAsync(new ListServersRequest { Zone = "fr-centre-1", PageSize = 5000 }).ResponseAsync,
            StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        await Api.FailsAsync(() => host.Topology.ListServersAsync(new ListServersRequest()).ResponseAsync, StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        await Api.FailsAsync(() => host.Topology.ListZonesAsync(new ListZonesRequest { Region = "mars" }).ResponseAsync, StatusCode.InvalidArgument, "UNKNOWN_REGION");
        await Api.FailsAsync(() => host.Provisioning.WaitOperationAsync(new WaitOperationRequest
        {
            Id = "op-x", Timeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromHours(1)),
        }).ResponseAsync, StatusCode.InvalidArgument, "INVALID_ARGUMENT");
    }
}
