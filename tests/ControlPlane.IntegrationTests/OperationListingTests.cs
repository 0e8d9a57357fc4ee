using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>Provisioning.ListOperations over real gRPC: filters, paging, and the tenant boundary.</summary>
[Collection(HostCollection.Name)]
public sealed class OperationListingTests(HostFixture host)
{
    private async Task<ListOperationsResponse> ListAsync(ListOperationsRequest request) => await host.Provisioning.ListOperationsAsync(request);

    [Fact]
    public async Task A_tenants_operations_are_listed_newest_first_filtered_by_state_and_kind_and_paged()
    {
        await host.CreateTenantAsync("ops-list", Api.Res(64, 256), "france-centre");
        await host.CreateTenantAsync("ops-other", Api.Res(64, 256), "france-centre");
        var first = await host.WaitAsync(await host.CreateInstanceAsync("ops-list", "a", "Standard_D2s_v5"));
        var second = await host.WaitAsync(await host.CreateInstanceAsync("ops-list", "b", "Standard_D2s_v5"));
        var deleted = await host.WaitAsync(await host.Provisioning.DeleteInstanceAsync(
            new DeleteInstanceRequest { RequestId = Guid.NewGuid().ToString(), InstanceId = first.InstanceId }));
        var other = await host.WaitAsync(await host.CreateInstanceAsync("ops-other", "a", "Standard_D2s_v5"));

        // The indexes follow within a flush: wait until the last change shows.
        await Eventually.HoldsAsync(async () =>
        {
            var all = await ListAsync(new ListOperationsRequest { TenantId = "ops-list" });
            return (all.Operations.Count == 3 && all.Operations.All(o => o.State == OperationState.Succeeded),
                string.Join(", ", all.Operations.Select(o => $"{o.Id}={o.State}")));
        }, TimeSpan.FromSeconds(10));

        var listed = await ListAsync(new ListOperationsRequest { TenantId = "ops-list" });
        Assert.Equal([deleted.Id, second.Id, first.Id], listed.Operations.Select(o => o.Id));
        Assert.Equal("", listed.NextPageToken);
        var deletes = await ListAsync(new ListOperationsRequest { TenantId = "ops-list", Kind = OperationKind.DeleteInstance });
        Assert.Equal(deleted.Id, Assert.Single(deletes.Operations).Id);
        Assert.Empty((await ListAsync(new ListOperationsRequest { TenantId = "ops-list", State = OperationState.Running })).Operations);

        var page1 = await ListAsync(new ListOperationsRequest { TenantId = "ops-list", PageSize = 2 });
        Assert.Equal([deleted.Id, second.Id], page1.Operations.Select(o => o.Id));
        Assert.NotEqual("", page1.NextPageToken);
        var page2 = await ListAsync(new ListOperationsRequest { TenantId = "ops-list", PageSize = 2, PageToken = page1.NextPageToken });
        Assert.Equal(first.Id, Assert.Single(page2.Operations).Id);
        Assert.Equal("", page2.NextPageToken);

        // Every tenant's: merged from the platform-wide shards, paged through to the end without a repeat. The shards
        // are fed by their own flushes (other tenants' operations too): wait until the other tenant's create shows.
        var seen = new List<string>();
        await Eventually.HoldsAsync(async () =>
        {
            seen = await ListEveryTenantsSucceededAsync();
            return (seen.Contains(other.Id) && seen.Contains(deleted.Id), $"{seen.Count} listed");
        }, TimeSpan.FromSeconds(10));
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Contains(deleted.Id, seen);
        Assert.True(seen.IndexOf(deleted.Id) < seen.IndexOf(first.Id));
    }

    private async Task<List<string>> ListEveryTenantsSucceededAsync()
    {
        var seen = new List<string>();
        var token = "";
        do
        {
            var page = await ListAsync(new ListOperationsRequest { PageSize = 7, PageToken = token, State = OperationState.Succeeded });
            Assert.True(page.Operations.Count <= 7);
            seen.AddRange(page.Operations.Select(o => o.Id));
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return seen;
    }

    [Fact]
    public async Task Bad_filters_and_tokens_are_invalid_argument_with_every_field_named()
    {
        var (_, bad) = await Api.FailsAsync(() => host.Provisioning.ListOperationsAsync(new ListOperationsRequest
        {
            TenantId = "Not A Tenant", State = (OperationState)42, Kind = (OperationKind)42, PageSize = 5000,
        }).ResponseAsync, StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        Assert.Equal(["tenant_id", "state", "kind", "page_size"], bad!.FieldViolations.Select(v => v.Field));
        await Api.FailsAsync(() => host.Provisioning.ListOperationsAsync(new ListOperationsRequest { PageToken = "garbage" }).ResponseAsync,
            StatusCode.InvalidArgument, "INVALID_PAGE_TOKEN");
    }
}
