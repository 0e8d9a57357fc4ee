using ControlPlane.Grains.Abstractions.Audit;

namespace ControlPlane.Grains.Tests.Audit;

[Collection(ClusterCollection.Name)]
public sealed class AuditLogGrainTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Appends_from_many_callers_at_once_form_one_gapless_chain_each_caller_getting_its_own_record()
    {
        var log = _grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.Key);
        var entries = Enumerable.Range(0, 600)
            .Select(i => new AuditEntry($"svc:load-{i % 7}", "tooling", "idf", "Provisioning/CreateInstance", $"i-burst-{i}", "burst", "allowed", "", ""))
            .ToList();

        var records = await Task.WhenAll(entries.Select(log.AppendAsync));

        Assert.Equal(entries, records.Select(r => r.Entry));
        var sequences = records.Select(r => r.Sequence).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 600).Select(i => sequences[0] + i), sequences);
        var byHash = records.ToDictionary(r => r.Hash);
        Assert.All(records.OrderBy(r => r.Sequence).Skip(1), r => Assert.Equal(r.Sequence - 1, byHash[r.PreviousHash].Sequence));
        var verification = await log.VerifyAsync();
        Assert.True(verification.Valid, verification.Problem);
    }
}
