using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace ControlPlane.Grains.Tests.Storage;

/// <summary>The embedded mode's storage keeps what a database keeps: what was written, not what memory holds since.</summary>
public sealed class InProcessGrainStorageTests
{
    private static readonly GrainId Tenant = GrainId.Create("tenant", "acme");

    private readonly InProcessGrainStorage _storage = new(new ServiceCollection()
        .AddSerializer(s => s.AddAssembly(typeof(TenantState).Assembly))
        .BuildServiceProvider().GetRequiredService<DeepCopier>());

    [Fact]
    public async Task A_change_not_written_is_not_stored()
    {
        var written = await WriteAsync("web-1");
        written.State!.Instances["web-2"] = new TenantInstance("web-2", ResourceAmount.Zero);

        var read = await ReadAsync();

        Assert.True(read.RecordExists);
        Assert.Equal(["web-1"], read.State!.Instances.Keys);
        Assert.Equal(written.ETag, read.ETag);
    }

    [Fact]
    public async Task A_stale_etag_is_refused_and_changes_nothing()
    {
        var first = await ReadAsync();
        var second = await ReadAsync();
        first.State!.Instances["web-1"] = new TenantInstance("web-1", ResourceAmount.Zero);
        await _storage.WriteStateAsync("tenant", Tenant, first);

        second.State!.Instances["db-1"] = new TenantInstance("db-1", ResourceAmount.Zero);
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("tenant", Tenant, second));
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync("tenant", Tenant, second));

        Assert.Equal(["web-1"], (await ReadAsync()).State!.Instances.Keys);
    }

    [Fact]
    public async Task A_cleared_state_reads_as_new_and_can_be_written_again()
    {
        var written = await WriteAsync("web-1");
        await _storage.ClearStateAsync("tenant", Tenant, written);

        Assert.False(written.RecordExists);
        Assert.Empty(written.State!.Instances);
        var read = await ReadAsync();
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        await WriteAsync("web-2");
        Assert.Equal(["web-2"], (await ReadAsync()).State!.Instances.Keys);
    }

    private async Task<GrainState<TenantState>> WriteAsync(string instance)
    {
        var state = await ReadAsync();
        state.State!.Instances[instance] = new TenantInstance(instance, ResourceAmount.Zero);
        await _storage.WriteStateAsync("tenant", Tenant, state);
        return state;
    }

    private async Task<GrainState<TenantState>> ReadAsync()
    {
        var state = new GrainState<TenantState>(new TenantState());
        await _storage.ReadStateAsync("tenant", Tenant, state);
        return state;
    }
}
