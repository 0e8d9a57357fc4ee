using ControlPlane.Grains.Abstractions.Audit;
using ControlPlane.Grains.Abstractions.Errors;

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

    [Fact]
    public async Task A_record_the_store_refuses_fails_only_its_own_caller_with_a_status_of_the_api()
    {
        var log = _grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.Key);
        var entries = Enumerable.Range(0, 40)
            .Select(i => new AuditEntry($"op:{i}", "operator", "idf", "Servers/CordonServer", i == 17 ? $"{RefusingAuditStore.Refused}-{i}" : $"srv-poison-{i}", "", "allowed", "", ""))
            .ToList();

        var appends = entries.Select(log.AppendAsync).ToList();
        var outcomes = await Task.WhenAll(appends.Select(async a =>
        {
            try { return (Record: await a, Error: (ControlPlaneException?)null); }
            catch (ControlPlaneException e) { return (Record: (AuditRecord?)null, Error: e); }
        }));

        var refused = Assert.Single(outcomes, o => o.Error is not null);
        Assert.Equal((ErrorStatus.Unavailable, ErrorReasons.AuditUnavailable), (refused.Error!.Error.Code, refused.Error.Error.Reason));
        var stored = outcomes.Where(o => o.Record is not null).Select(o => o.Record!).OrderBy(r => r.Sequence).ToList();
        Assert.Equal(39, stored.Count);
        Assert.Equal(Enumerable.Range(0, 39).Select(i => stored[0].Sequence + i), stored.Select(r => r.Sequence));
        var verification = await log.VerifyAsync();
        Assert.True(verification.Valid, verification.Problem);
    }

    [Fact]
    public async Task Hostile_text_is_stored_escaped_and_bounded_and_hashed_as_stored()
    {
        var log = _grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.Key);

        var record = await log.AppendAsync(new AuditEntry("unauthenticated", "", "", "Tenants/GetTenant", "x\0y\u001b[2J" + new string('a', 1 << 20), "acme\n", "denied", "UNAUTHENTICATED", ""));

        Assert.StartsWith("x\\u0000y\\u001b[2J", record.Entry.Target);
        Assert.EndsWith("chars)", record.Entry.Target);
        Assert.True(record.Entry.Target.Length < 300);
        Assert.Equal("acme\\u000a", record.Entry.TenantId);
        var verification = await log.VerifyAsync();
        Assert.True(verification.Valid, verification.Problem);
    }
}
